import { DecapError, OpenError } from '@hpke/core';
import type { Hex } from 'viem';
import { type BytesLike, toFixedBytes } from './bytesInput.js';
import { SealedSecretInvalidError, SealingKeyInvalidError } from './errors.js';
import { SEALED_ENC_LENGTH, SEALED_TAG_LENGTH, sealingSuite } from './sealingSuite.js';
import { sealedSecretInfo } from './sealSecret.js';

/** Parameters of {@link openSealedSecret}. */
export type OpenSealedSecretParameters = {
  /** The enclave's X25519 private key (32 bytes). */
  privateKey: BytesLike;
  /** What {@link sealSecret} returned. */
  sealed: Uint8Array;
  /** The task this enclave runs; must equal the one the secret was sealed for. */
  taskId: Hex | Uint8Array;
};

/** What {@link openSealedSecret} returns: the secret bytes. */
export type OpenSealedSecretReturnType = Uint8Array;

/** Errors {@link openSealedSecret} rejects with. */
export type OpenSealedSecretErrorType = SealedSecretInvalidError | SealingKeyInvalidError;

/**
 * Opens a secret sealed by {@link sealSecret}, inside the enclave (HPKE via `@hpke/core`). Rejects
 * with SealedSecretInvalidError if it was sealed to another key, for another task, or modified.
 * Asynchronous, like {@link sealSecret}.
 * @param parameters - the enclave private key, the sealed bytes and the current task id.
 * @returns the plaintext secret.
 * @example const datasetKey = await openSealedSecret({ privateKey: sealing.privateKey, sealed, taskId })
 */
export async function openSealedSecret({
  privateKey,
  sealed,
  taskId,
}: OpenSealedSecretParameters): Promise<OpenSealedSecretReturnType> {
  let key: Uint8Array;
  try {
    key = toFixedBytes(privateKey, 32, 'privateKey');
  } catch (cause) {
    throw new SealingKeyInvalidError({ details: 'privateKey must be 32 bytes', cause });
  }
  const info = sealedSecretInfo(taskId);
  if (!(sealed instanceof Uint8Array) || sealed.length < SEALED_ENC_LENGTH + SEALED_TAG_LENGTH) {
    throw new SealedSecretInvalidError({ details: 'shorter than 48 bytes (enc ‖ tag); it is truncated' });
  }
  let recipientKey: CryptoKey;
  try {
    recipientKey = await sealingSuite.kem.deserializePrivateKey(key);
  } catch (cause) {
    throw new SealingKeyInvalidError({ details: 'privateKey is not an X25519 private key', cause });
  }
  try {
    const plaintext = await sealingSuite.open(
      { recipientKey, enc: sealed.subarray(0, SEALED_ENC_LENGTH), info },
      sealed.subarray(SEALED_ENC_LENGTH),
    );
    return new Uint8Array(plaintext);
  } catch (cause) {
    // DecapError: enc is a low-order point; OpenError: AES-GCM authentication failed.
    if (cause instanceof DecapError || cause instanceof OpenError) {
      throw new SealedSecretInvalidError({
        details: 'authentication failed: wrong key, wrong task, or modified',
        cause,
      });
    }
    throw cause;
  }
}
