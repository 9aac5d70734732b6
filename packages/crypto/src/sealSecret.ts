import { DeserializeError, EncapError } from '@hpke/core';
import type { Hex } from 'viem';
import { concatBytes, latin1Bytes } from './bytes.js';
import { type BytesLike, toFixedBytes } from './bytesInput.js';
import { CryptoInputInvalidError, SealingKeyInvalidError } from './errors.js';
import { sealingSuite } from './sealingSuite.js';

/** The HPKE `info` domain string; the 32 task-id bytes follow it. */
export const SEALED_SECRET_INFO_PREFIX = 'confide/sealed-secret/v1';

/** Internal: info = "confide/sealed-secret/v1" (24 ASCII bytes) ‖ taskId (32 bytes). */
export function sealedSecretInfo(taskId: BytesLike): Uint8Array {
  return concatBytes([latin1Bytes(SEALED_SECRET_INFO_PREFIX), toFixedBytes(taskId, 32, 'taskId')]);
}

/** Parameters of {@link sealSecret}. */
export type SealSecretParameters = {
  /** The enclave's X25519 public key (32 bytes), taken from its verified quote. */
  recipientPublicKey: BytesLike;
  /** The secret: a dataset key, a requester secret… */
  plaintext: Uint8Array | string;
  /** The task the secret is released for (bytes32); the sealed secret opens for this task only. */
  taskId: Hex | Uint8Array;
};

/** What {@link sealSecret} returns: enc (32 bytes) ‖ AES-256-GCM ciphertext ‖ tag (16 bytes). */
export type SealSecretReturnType = Uint8Array;

/** Errors {@link sealSecret} rejects with. */
export type SealSecretErrorType = SealingKeyInvalidError | CryptoInputInvalidError;

/**
 * Seals a secret to an enclave with HPKE (RFC 9180 base mode, DHKEM(X25519, HKDF-SHA256),
 * HKDF-SHA256, AES-256-GCM; implemented by `@hpke/core`). The `info` binds the task:
 * info = "confide/sealed-secret/v1" ‖ taskId, so a sealed secret cannot be replayed to another
 * task's enclave even under the same key. Asynchronous (the library runs on WebCrypto): invalid
 * input rejects the promise rather than throwing.
 * @param parameters - the enclave public key, the secret and the task id.
 * @returns enc ‖ ciphertext, 48 bytes longer than the plaintext.
 * @example const sealed = await sealSecret({ recipientPublicKey: quote.sealingKey, plaintext: datasetKey, taskId })
 */
export async function sealSecret({
  recipientPublicKey,
  plaintext,
  taskId,
}: SealSecretParameters): Promise<SealSecretReturnType> {
  let publicKey: Uint8Array;
  try {
    publicKey = toFixedBytes(recipientPublicKey, 32, 'recipientPublicKey');
  } catch (cause) {
    throw new SealingKeyInvalidError({ details: 'recipientPublicKey must be 32 bytes', cause });
  }
  if (typeof plaintext !== 'string' && !(plaintext instanceof Uint8Array)) {
    throw new CryptoInputInvalidError({ details: 'plaintext must be a Uint8Array or a string' });
  }
  const info = sealedSecretInfo(taskId);
  const data = typeof plaintext === 'string' ? new TextEncoder().encode(plaintext) : plaintext;
  try {
    const recipientKey = await sealingSuite.kem.deserializePublicKey(publicKey);
    const { enc, ct } = await sealingSuite.seal({ recipientPublicKey: recipientKey, info }, data);
    return concatBytes([new Uint8Array(enc), new Uint8Array(ct)]);
  } catch (cause) {
    // EncapError: the X25519 shared secret is all zero, i.e. the public key is a low-order point.
    if (cause instanceof EncapError) {
      throw new SealingKeyInvalidError({ details: 'the public key is a low-order point', cause });
    }
    if (cause instanceof DeserializeError) {
      throw new SealingKeyInvalidError({ details: 'not an X25519 public key', cause });
    }
    throw cause;
  }
}
