export {
  type CreateDataProtectorParameters,
  createDataProtector,
  type DataProtector,
  type DataProtectorServices,
  type GetProtectedDataParameters,
  type GrantedAccess,
  type ProtectedDataEntry,
} from './createDataProtector.js';
export { DataProtectorError, type DataProtectorErrorCode, DataProtectorErrorCodes } from './errors.js';
export type { BookEntry, BookPage, MarketApi } from './market.js';
export type { OnStatusUpdate, StatusUpdate } from './statusUpdates.js';
