import { ConfideError, type ConfideErrorOptions } from '../../errors/src/index.js';

/** Every stable code a `@confide/crypto` error can carry. Clients switch on these, never on messages. */
export type ConfideCryptoErrorCode =
  | 'CONFIDE_CRYPTO_DATASET_HEADER_INVALID'
  | 'CONFIDE_CRYPTO_CHUNK_TAMPERED'
  | 'CONFIDE_CRYPTO_DATASET_TRUNCATED'
  | 'CONFIDE_CRYPTO_DATASET_TRAILING_DATA'
  | 'CONFIDE_CRYPTO_DATASET_KEY_INVALID'
  | 'CONFIDE_CRYPTO_DATASET_TOO_LARGE'
  | 'CONFIDE_CRYPTO_PROTECTED_DATA_INVALID'
  | 'CONFIDE_CRYPTO_RESULT_KEY_INVALID'
  | 'CONFIDE_CRYPTO_RESULT_DECRYPT_FAILED'
  | 'CONFIDE_CRYPTO_SEALING_KEY_INVALID'
  | 'CONFIDE_CRYPTO_SEALED_SECRET_INVALID'
  | 'CONFIDE_CRYPTO_RESULT_DIGEST_FAILED'
  | 'CONFIDE_CRYPTO_INPUT_INVALID';

/** Options shared by every error of this package: `details` (text) and `cause`. */
export type ConfideCryptoErrorOptions = ConfideErrorOptions;

/**
 * Root of every error thrown by `@confide/crypto`: a short message, optional details, a stable `code`.
 * @example
 * try { decryptDatasetBytes({ ciphertext, key }) } catch (error) {
 *   if (error instanceof ConfideCryptoError && error.code === 'CONFIDE_CRYPTO_CHUNK_TAMPERED') refuse();
 * }
 */
export class ConfideCryptoError extends ConfideError<ConfideCryptoErrorCode> {
  override name: string = 'ConfideCryptoError';

  constructor(shortMessage: string, code: ConfideCryptoErrorCode, options: ConfideCryptoErrorOptions = {}) {
    super({ code, shortMessage, details: options.details, cause: options.cause });
  }
}

/**
 * The bytes do not start with a valid Confide dataset header (magic, version or chunk size).
 * @example throw new DatasetHeaderInvalidError({ details: 'magic is "PK\\x03\\x04", expected "CFDS"' })
 */
export class DatasetHeaderInvalidError extends ConfideCryptoError {
  override name = 'DatasetHeaderInvalidError' as const;
  constructor(options: ConfideCryptoErrorOptions = {}) {
    super(
      'Not a Confide encrypted dataset: its header is invalid. Check that the file was produced by encryptDataset and downloaded completely.',
      'CONFIDE_CRYPTO_DATASET_HEADER_INVALID',
      options,
    );
  }
}

/**
 * A chunk failed authentication: the key is wrong, or chunks were modified, reordered, dropped or duplicated.
 * @example throw new DatasetChunkTamperedError({ chunkIndex: 3 })
 */
export class DatasetChunkTamperedError extends ConfideCryptoError {
  override name = 'DatasetChunkTamperedError' as const;
  readonly chunkIndex: number;
  constructor({ chunkIndex, ...options }: ConfideCryptoErrorOptions & { chunkIndex: number }) {
    super(
      `Dataset chunk ${chunkIndex} failed authentication: the key is wrong, or the data was modified, reordered or spliced. Nothing after this point can be trusted; fetch the dataset again and check its checksum.`,
      'CONFIDE_CRYPTO_CHUNK_TAMPERED',
      options,
    );
    this.chunkIndex = chunkIndex;
  }
}

/**
 * The encrypted dataset ended before its final chunk: it was cut short.
 * @example throw new DatasetTruncatedError({ chunkIndex: 2 })
 */
export class DatasetTruncatedError extends ConfideCryptoError {
  override name = 'DatasetTruncatedError' as const;
  readonly chunkIndex: number;
  constructor({ chunkIndex, ...options }: ConfideCryptoErrorOptions & { chunkIndex: number }) {
    super(
      `Encrypted dataset is truncated: it ended at chunk ${chunkIndex} without a final chunk. Download it again completely.`,
      'CONFIDE_CRYPTO_DATASET_TRUNCATED',
      options,
    );
    this.chunkIndex = chunkIndex;
  }
}

/**
 * Bytes follow the final chunk of an encrypted dataset.
 * @example throw new DatasetTrailingDataError({ details: '12 bytes after the final chunk' })
 */
export class DatasetTrailingDataError extends ConfideCryptoError {
  override name = 'DatasetTrailingDataError' as const;
  constructor(options: ConfideCryptoErrorOptions = {}) {
    super(
      'Encrypted dataset has data after its final chunk. The file was altered or concatenated; fetch the original.',
      'CONFIDE_CRYPTO_DATASET_TRAILING_DATA',
      options,
    );
  }
}

/**
 * A dataset key is not 32 bytes (or not canonical base64 of 32 bytes).
 * @example throw new DatasetKeyInvalidError({ details: 'got 16 bytes' })
 */
export class DatasetKeyInvalidError extends ConfideCryptoError {
  override name = 'DatasetKeyInvalidError' as const;
  constructor(options: ConfideCryptoErrorOptions = {}) {
    super(
      'Dataset key is invalid: expected 32 bytes, or their base64 encoding as returned by encodeDatasetKey.',
      'CONFIDE_CRYPTO_DATASET_KEY_INVALID',
      options,
    );
  }
}

/**
 * A dataset exceeds what one key and nonce prefix may encrypt (2^32 chunks).
 * @example throw new DatasetTooLargeError({ details: 'chunk counter would exceed 2^32 - 1' })
 */
export class DatasetTooLargeError extends ConfideCryptoError {
  override name = 'DatasetTooLargeError' as const;
  constructor(options: ConfideCryptoErrorOptions = {}) {
    super(
      'Dataset is too large for one encryption: at most 2^32 chunks. Use a larger chunk size or split the dataset.',
      'CONFIDE_CRYPTO_DATASET_TOO_LARGE',
      options,
    );
  }
}

/**
 * A protected-data object, schema or zip is malformed; `path` names the offending key (dotted).
 * @example throw new ProtectedDataInvalidError({ path: 'user.age', details: 'NaN is not a finite number' })
 */
export class ProtectedDataInvalidError extends ConfideCryptoError {
  override name = 'ProtectedDataInvalidError' as const;
  readonly path: string;
  constructor({ path, ...options }: ConfideCryptoErrorOptions & { path: string }) {
    super(
      `Protected data is invalid at "${path || '(root)'}". Values must be boolean, finite number, bigint (i128), string, Uint8Array/ArrayBuffer, or a non-empty object of those.`,
      'CONFIDE_CRYPTO_PROTECTED_DATA_INVALID',
      options,
    );
    this.path = path;
  }
}

/**
 * An age identity (`AGE-SECRET-KEY-1…`), recipient (`age1…`) or identity file is malformed.
 * @example throw new ResultKeyInvalidError({ details: 'recipient must start with "age1"' })
 */
export class ResultKeyInvalidError extends ConfideCryptoError {
  override name = 'ResultKeyInvalidError' as const;
  constructor(options: ConfideCryptoErrorOptions = {}) {
    super(
      'Result encryption key is invalid: expected an age X25519 recipient (age1…) or identity (AGE-SECRET-KEY-1…), as printed by generateResultKeyPair or age-keygen.',
      'CONFIDE_CRYPTO_RESULT_KEY_INVALID',
      options,
    );
  }
}

/**
 * An encrypted result could not be decrypted: not age, no matching identity, or modified.
 * @example throw new ResultDecryptError({ details: 'no identity matched any recipient stanza' })
 */
export class ResultDecryptError extends ConfideCryptoError {
  override name = 'ResultDecryptError' as const;
  constructor(options: ConfideCryptoErrorOptions = {}) {
    super(
      'Could not decrypt the result: it is not an age file for this identity, or it was modified. Check that you use the identity whose recipient the result was encrypted to.',
      'CONFIDE_CRYPTO_RESULT_DECRYPT_FAILED',
      options,
    );
  }
}

/**
 * An X25519 sealing key is not 32 bytes, or is a low-order point.
 * @example throw new SealingKeyInvalidError({ details: 'public key is 33 bytes' })
 */
export class SealingKeyInvalidError extends ConfideCryptoError {
  override name = 'SealingKeyInvalidError' as const;
  constructor(options: ConfideCryptoErrorOptions = {}) {
    super(
      "Sealing key is invalid: expected a 32-byte X25519 key, as returned by generateSealingKeyPair. Take the enclave's key from its verified quote.",
      'CONFIDE_CRYPTO_SEALING_KEY_INVALID',
      options,
    );
  }
}

/**
 * A sealed secret failed to open: wrong key, another task's secret, or modified bytes.
 * @example throw new SealedSecretInvalidError({ details: 'shorter than 48 bytes' })
 */
export class SealedSecretInvalidError extends ConfideCryptoError {
  override name = 'SealedSecretInvalidError' as const;
  constructor(options: ConfideCryptoErrorOptions = {}) {
    super(
      'Sealed secret could not be opened: it was sealed to another key or another task, or it was modified. Ask the SMS to seal it again for this enclave and task.',
      'CONFIDE_CRYPTO_SEALED_SECRET_INVALID',
      options,
    );
  }
}

/**
 * The deterministic output path cannot be digested (missing, empty folder, sub-folder, link).
 * @example throw new ResultDigestError({ details: '/iexec_out/result is an empty directory' })
 */
export class ResultDigestError extends ConfideCryptoError {
  override name = 'ResultDigestError' as const;
  constructor(options: ConfideCryptoErrorOptions = {}) {
    super(
      'Cannot compute the result digest. Point deterministic-output-path at an existing file, or at a non-empty folder of regular files only.',
      'CONFIDE_CRYPTO_RESULT_DIGEST_FAILED',
      options,
    );
  }
}

/**
 * An argument is malformed (e.g. a task id that is not 32 bytes of hex, a worker that is not an address).
 * @example throw new CryptoInputInvalidError({ details: 'taskId must be 32 bytes of 0x-hex' })
 */
export class CryptoInputInvalidError extends ConfideCryptoError {
  override name = 'CryptoInputInvalidError' as const;
  constructor(options: ConfideCryptoErrorOptions = {}) {
    super(
      'An argument is malformed. Pass 0x-prefixed hex of the right size: 32 bytes for keys, task ids and digests, 20 bytes for addresses.',
      'CONFIDE_CRYPTO_INPUT_INVALID',
      options,
    );
  }
}
