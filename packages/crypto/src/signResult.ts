import { type Address, type Hex, isAddress } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { enclaveMessageHash } from '../../protocol/src/ids.js';
import { toFixedBytes } from './bytesInput.js';
import { CryptoInputInvalidError } from './errors.js';

/** Parameters of {@link signResult}. */
export type SignResultParameters = {
  /** The enclave's secp256k1 key (its address is the task's `enclaveChallenge`). */
  enclavePrivateKey: Hex;
  /** The worker that contributes the result. */
  worker: Address;
  /** The task (bytes32). */
  taskId: Hex;
  /** From {@link computeResultDigest} (web2) or keccak256(callback-data) (web3). */
  resultDigest: Hex;
};

/** What {@link signResult} returns: a 65-byte EIP-191 signature, 0x-hex. */
export type SignResultReturnType = Promise<Hex>;

/** Errors {@link signResult} throws. */
export type SignResultErrorType = CryptoInputInvalidError;

/**
 * Signs a result as the enclave, as PoCo checks on `contribute`: EIP-191 ("\x19Ethereum Signed
 * Message:\n32") over keccak256(resultHash ‖ resultSeal), where resultHash = keccak256(taskId ‖ digest)
 * and resultSeal = keccak256(worker ‖ taskId ‖ digest) — `enclaveMessageHash` of @confide/protocol.
 * @param parameters - the enclave key, the worker, the task and the digest.
 * @returns the signature, to put in `computed.json` as `enclave-signature`.
 * @example const signature = await signResult({ enclavePrivateKey, worker, taskId, resultDigest })
 */
export async function signResult({
  enclavePrivateKey,
  worker,
  taskId,
  resultDigest,
}: SignResultParameters): SignResultReturnType {
  toFixedBytes(enclavePrivateKey, 32, 'enclavePrivateKey');
  toFixedBytes(taskId, 32, 'taskId');
  toFixedBytes(resultDigest, 32, 'resultDigest');
  if (!isAddress(worker, { strict: false }))
    throw new CryptoInputInvalidError({ details: 'worker must be a 20-byte address' });
  let account: ReturnType<typeof privateKeyToAccount>;
  try {
    account = privateKeyToAccount(enclavePrivateKey);
  } catch (cause) {
    throw new CryptoInputInvalidError({ details: 'enclavePrivateKey is not a valid secp256k1 private key', cause });
  }
  return account.signMessage({ message: { raw: enclaveMessageHash(worker, taskId, resultDigest) } });
}
