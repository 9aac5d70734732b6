import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { concat, encodePacked, keccak256, recoverMessageAddress, toHex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { expectCryptoError } from './expectCryptoError.js';
import { signResult } from './signResult.js';

const enclavePrivateKey = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d';
const worker = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const taskId = keccak256(toHex('task'));
const resultDigest = keccak256(toHex('digest'));

describe('signResult', () => {
  it('signs keccak256(resultHash ‖ resultSeal) with EIP-191, recoverable to the enclave address', async () => {
    const signature = await signResult({ enclavePrivateKey, worker, taskId, resultDigest });
    // Rebuilt here from PoCo's definition, independently of @confide/protocol.
    const resultHash = keccak256(concat([taskId, resultDigest]));
    const resultSeal = keccak256(encodePacked(['address', 'bytes32', 'bytes32'], [worker, taskId, resultDigest]));
    const message = keccak256(concat([resultHash, resultSeal]));
    const signer = await recoverMessageAddress({ message: { raw: message }, signature });
    assert.equal(signer, privateKeyToAccount(enclavePrivateKey).address);
  });

  it('error: a task id, digest, worker or key of the wrong shape', async () => {
    const invalid = (run: () => unknown) =>
      expectCryptoError(run, 'CryptoInputInvalidError', 'CONFIDE_CRYPTO_INPUT_INVALID');
    await invalid(() => signResult({ enclavePrivateKey, worker, taskId: '0x12', resultDigest }));
    await invalid(() => signResult({ enclavePrivateKey, worker, taskId, resultDigest: 'digest' as `0x${string}` }));
    await invalid(() => signResult({ enclavePrivateKey, worker: '0x1234', taskId, resultDigest }));
    await invalid(() => signResult({ enclavePrivateKey: `0x${'00'.repeat(32)}`, worker, taskId, resultDigest }));
  });
});
