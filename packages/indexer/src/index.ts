export {
  type CreateIndexerClientParameters,
  createIndexerClient,
  type IndexerClient,
  type IndexerQuery,
} from './client/createIndexerClient.js';
export { type GetDealErrorType, type GetDealReturnType, getDeal, type IndexedDeal } from './client/getDeal.js';
export {
  type GetProtectedDataErrorType,
  type GetProtectedDataParameters,
  type GetProtectedDataReturnType,
  getProtectedData,
  type ProtectedData,
  type RequiredSchema,
} from './client/getProtectedData.js';
export {
  type GetTaskErrorType,
  type GetTaskReturnType,
  getTask,
  type IndexedTask,
  type IndexedTaskStatus,
  type TaskStatusChange,
} from './client/getTask.js';
export {
  type Earnings,
  type GetRentalsParameters,
  type GetSharedProtectedDataParameters,
  type GetSubscriptionsParameters,
  getCollection,
  getCollections,
  getConsumptions,
  getEarnings,
  getPolicy,
  getRentals,
  getSales,
  getSharedProtectedData,
  getSubscriptions,
  type IndexedCollection,
  type IndexedConsumption,
  type IndexedPolicy,
  type IndexedRental,
  type IndexedSale,
  type IndexedSubscription,
  type PeriodOffer,
  type SharedProtectedData,
  type SharingPage,
  type SharingReadErrorType,
} from './client/sharing.js';
export { type IndexerConfig, parseIndexerConfig } from './config.js';
export { type CreateIndexerParameters, createIndexer, type Indexer, type SyncResult } from './createIndexer.js';
export { type CreateIndexerServerOptions, createIndexerServer } from './createIndexerServer.js';
export {
  IndexerConfigInvalidError,
  IndexerDatabaseMismatchError,
  IndexerDatabaseUnavailableError,
  IndexerError,
  type IndexerErrorCode,
  IndexerHttpError,
  IndexerInputError,
  IndexerQueryError,
  IndexerUnreachableError,
} from './errors.js';
export type { IndexedAddresses, IndexerChainClient } from './follower/fetchBatch.js';
export { typeDefs } from './graphql/typeDefs.js';
