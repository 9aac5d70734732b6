export type {
  CreateEmbeddedStorageErrorType,
  CreateEmbeddedStorageParameters,
  CreateEmbeddedStorageReturnType,
} from './createEmbeddedStorage.js';
export { createEmbeddedStorage } from './createEmbeddedStorage.js';
export type {
  CreateGatewayErrorType,
  CreateGatewayParameters,
  CreateGatewayReturnType,
  Gateway,
  GatewayErrorCode,
} from './createGateway.js';
export { createGateway } from './createGateway.js';
export type {
  CreateKuboStorageErrorType,
  CreateKuboStorageParameters,
  CreateKuboStorageReturnType,
} from './createKuboStorage.js';
export { createKuboStorage } from './createKuboStorage.js';
export type { CreateStorageErrorType, CreateStorageReturnType, StorageConfig } from './createStorage.js';
export { createStorage } from './createStorage.js';
export type { DeriveCidErrorType } from './deriveCid.js';
export { deriveCid } from './deriveCid.js';
export type { ConfideStorageErrorCode, ConfideStorageErrorDetails } from './errors.js';
export {
  ConfideStorageError,
  StorageCidInvalidError,
  StorageClosedError,
  StorageConfigInvalidError,
  StorageContentMismatchError,
  StorageNotFoundError,
  StorageRequestFailedError,
  StorageSourceInvalidError,
  StorageUnreachableError,
} from './errors.js';
export { CONFIDE_IMPORT_PARAMETERS } from './importParameters.js';
export type { ParseCidErrorType } from './parseCid.js';
export { parseCid } from './parseCid.js';
export type { PutResult, Storage, StorageCallOptions, StorageSource } from './storage.js';
