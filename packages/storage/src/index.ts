export type {
  CreateEmbeddedStorageErrorType,
  CreateEmbeddedStorageParameters,
  CreateEmbeddedStorageReturnType,
  EmbeddedStorage,
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
  CreateKuboRpcHandlerErrorType,
  CreateKuboRpcHandlerParameters,
  CreateKuboRpcHandlerReturnType,
  KuboRpcHandler,
  KuboRpcStorage,
} from './createKuboRpcHandler.js';
export { createKuboRpcHandler } from './createKuboRpcHandler.js';
export type {
  CreateKuboRpcServerErrorType,
  CreateKuboRpcServerParameters,
  CreateKuboRpcServerReturnType,
  KuboRpcServer,
} from './createKuboRpcServer.js';
export { createKuboRpcServer } from './createKuboRpcServer.js';
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
export type { ParseStorageNodeConfigErrorType, StorageNodeConfig } from './parseStorageNodeConfig.js';
export { parseStorageNodeConfig } from './parseStorageNodeConfig.js';
export type {
  StartStorageNodeErrorType,
  StartStorageNodeParameters,
  StartStorageNodeReturnType,
  StorageNode,
} from './startStorageNode.js';
export { startStorageNode } from './startStorageNode.js';
export type { PutResult, Storage, StorageCallOptions, StorageSource } from './storage.js';
