// @confide/dataprotector for browsers (the "browser" condition of package.json `exports`): everything
// but DataProtectorDeserializer, which reads the protected data's file inside an enclave (Node).
export type { BulkRequest, BulkTask } from './bulk/bulkRequest.js';
export type {
  BulkStatus,
  InspectBulkRequestParameters,
  InspectBulkRequestReturnType,
} from './bulk/inspectBulkRequest.js';
export type { PrepareBulkRequestParameters, PrepareBulkRequestReturnType } from './bulk/prepareBulkRequest.js';
export type { ProcessBulkRequestParameters, ProcessBulkRequestReturnType } from './bulk/processBulkRequest.js';
export {
  type CreateDataProtectorParameters,
  createDataProtector,
  type DataProtector,
  type DataProtectorServices,
  type GetProtectedDataParameters,
  type GrantedAccess,
  type ProtectedDataEntry,
} from './createDataProtector.js';
export {
  type ContractRevert,
  DataProtectorError,
  type DataProtectorErrorCode,
  DataProtectorErrorCodes,
} from './errors.js';
export type { BookEntry, BookPage, MarketApi } from './market.js';
export type { RotateKeyParameters, RotateKeyReturnType, RotateKeyStep } from './rotateKey.js';
export type { Collection, DataPolicy, ProtectedDataPricingParams, SetPolicyParameters } from './sharing.js';
export type { OnStatusUpdate, StatusUpdate } from './statusUpdates.js';
