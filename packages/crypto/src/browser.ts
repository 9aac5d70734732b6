// @confide/crypto for browsers (the "browser" condition of package.json `exports`): the formats
// over the @noble primitives. Left out, Node only: the Node stream Transforms (encryptDataset,
// decryptDataset: use encryptDatasetChunks, decryptDatasetChunks), computeResultDigest (reads
// files) and the enclave sealing (HPKE; its library reaches for node:crypto when bundled).
export * from './datasetChecksum.js';
export {
  DATASET_HEADER_LENGTH,
  DATASET_VERSION,
  type DatasetKey,
  DEFAULT_CHUNK_SIZE,
  MAX_CHUNK_SIZE,
  MIN_CHUNK_SIZE,
} from './datasetFormat.js';
export * from './datasetOpener.js';
export * from './datasetSealer.js';
export * from './decryptResult.js';
export * from './deserializeProtectedData.js';
export * from './encodeDatasetKey.js';
export * from './encryptResult.js';
export * from './errors.js';
export * from './formatIdentityFile.js';
export * from './generateDatasetKey.js';
export * from './generateResultKeyPair.js';
export * from './parseIdentityFile.js';
export {
  PROTECTED_MIME_TYPES,
  type ProtectedMimeType,
  type ProtectedScalarType,
  type ProtectedValueOf,
  type ProtectedValueType,
} from './protectedDataLeaf.js';
export * from './readProtectedValue.js';
export {
  type ProtectedData,
  type ProtectedDataLeaf,
  type ProtectedDataSchema,
  type ProtectedDataStreamInput,
  type SerializeProtectedDataErrorType,
  type SerializeProtectedDataReturnType,
  type SerializeProtectedDataStreamReturnType,
  serializeProtectedData,
  serializeProtectedDataStream,
} from './serializeProtectedData.js';
export * from './signResult.js';
