/**
 * The Confide protocol client. Every action is a free function `action(client, parameters)`
 * (tree-shakable) and a method of the client made by `createConfideClient`.
 *
 * @module @confide/sdk
 */

export * from './actions/account/deposit.js';
export * from './actions/account/getAccountBalance.js';
export * from './actions/account/withdraw.js';
export * from './actions/app/checkAppSecretExists.js';
export * from './actions/app/checkDeployedApp.js';
export * from './actions/app/countUserApps.js';
export * from './actions/app/deployApp.js';
export * from './actions/app/deployAppBundle.js';
export * from './actions/app/pushAppSecret.js';
export * from './actions/app/showApp.js';
export * from './actions/app/transferApp.js';
export * from './actions/category/countCategory.js';
export * from './actions/category/createCategory.js';
export * from './actions/category/showCategory.js';
export * from './actions/dataset/checkDatasetSecretExists.js';
export * from './actions/dataset/checkDeployedDataset.js';
export * from './actions/dataset/countUserDatasets.js';
export * from './actions/dataset/deployDataset.js';
export * from './actions/dataset/pushDatasetSecret.js';
export * from './actions/dataset/showDataset.js';
export * from './actions/dataset/transferDataset.js';
export * from './actions/deal/claimDeal.js';
export * from './actions/deal/observeDeal.js';
export * from './actions/deal/showDeal.js';
export * from './actions/order/cancelOrder.js';
export * from './actions/order/checkRequestRequirements.js';
export * from './actions/order/createAppOrder.js';
export * from './actions/order/createDatasetOrder.js';
export * from './actions/order/createRequestOrder.js';
export * from './actions/order/createWorkerpoolOrder.js';
export * from './actions/order/estimateMatchOrders.js';
export * from './actions/order/hashOrder.js';
export * from './actions/order/matchOrders.js';
export type { MatchableOrders } from './actions/order/matchSchema.js';
export * from './actions/order/publishOrder.js';
export * from './actions/order/signOrder.js';
export * from './actions/order/unpublishOrder.js';
export * from './actions/orderbook/fetchAppOrderbook.js';
export * from './actions/orderbook/fetchDatasetOrderbook.js';
export * from './actions/orderbook/fetchOrder.js';
export * from './actions/orderbook/fetchRequestOrderbook.js';
export * from './actions/orderbook/fetchWorkerpoolOrderbook.js';
export * from './actions/result/fetchTaskResult.js';
export * from './actions/result/generateResultKey.js';
export * from './actions/secrets/checkRequesterSecretExists.js';
export * from './actions/secrets/pushRequesterSecret.js';
export * from './actions/task/claimTask.js';
export * from './actions/task/observeTask.js';
export * from './actions/task/showTask.js';
export * from './actions/wallet/getWalletBalances.js';
export * from './actions/wallet/requestFaucet.js';
export { type SendErrorType, type SendParameters, type SendReturnType, send } from './actions/wallet/send.js';
export * from './actions/wallet/sweep.js';
export * from './actions/worker/showContribution.js';
export * from './actions/worker/showWorker.js';
export * from './actions/workerpool/checkDeployedWorkerpool.js';
export * from './actions/workerpool/countUserWorkerpools.js';
export * from './actions/workerpool/deployWorkerpool.js';
export * from './actions/workerpool/showWorkerpool.js';
export * from './actions/workerpool/transferWorkerpool.js';
export type { ConfideClient, ConfideContracts, ConfideServices } from './client.js';
export * from './createConfideClient.js';
export * from './errors.js';
export type { TagInput } from './internal/orders.js';
export type { RequestParams } from './internal/params.js';
export type { TaskStatusName } from './internal/tasks.js';
