import { deposit } from './actions/account/deposit.js';
import { getAccountBalance } from './actions/account/getAccountBalance.js';
import { withdraw } from './actions/account/withdraw.js';
import { checkAppSecretExists } from './actions/app/checkAppSecretExists.js';
import { checkDeployedApp } from './actions/app/checkDeployedApp.js';
import { countUserApps } from './actions/app/countUserApps.js';
import { deployApp, predictAppAddress } from './actions/app/deployApp.js';
import { deployAppBundle } from './actions/app/deployAppBundle.js';
import { pushAppSecret } from './actions/app/pushAppSecret.js';
import { showApp } from './actions/app/showApp.js';
import { transferApp } from './actions/app/transferApp.js';
import { countCategory } from './actions/category/countCategory.js';
import { createCategory } from './actions/category/createCategory.js';
import { showCategory } from './actions/category/showCategory.js';
import { checkDatasetSecretExists } from './actions/dataset/checkDatasetSecretExists.js';
import { checkDeployedDataset } from './actions/dataset/checkDeployedDataset.js';
import { countUserDatasets } from './actions/dataset/countUserDatasets.js';
import { deployDataset, predictDatasetAddress } from './actions/dataset/deployDataset.js';
import { pushDatasetSecret } from './actions/dataset/pushDatasetSecret.js';
import { showDataset } from './actions/dataset/showDataset.js';
import { transferDataset } from './actions/dataset/transferDataset.js';
import { claimDeal } from './actions/deal/claimDeal.js';
import { observeDeal } from './actions/deal/observeDeal.js';
import { showDeal } from './actions/deal/showDeal.js';
import { cancelOrder } from './actions/order/cancelOrder.js';
import { checkRequestRequirements } from './actions/order/checkRequestRequirements.js';
import { createAppOrder } from './actions/order/createAppOrder.js';
import { createDatasetOrder } from './actions/order/createDatasetOrder.js';
import { createRequestOrder } from './actions/order/createRequestOrder.js';
import { createWorkerpoolOrder } from './actions/order/createWorkerpoolOrder.js';
import { estimateMatchOrders } from './actions/order/estimateMatchOrders.js';
import { hashOrder } from './actions/order/hashOrder.js';
import { matchOrders } from './actions/order/matchOrders.js';
import { publishOrder } from './actions/order/publishOrder.js';
import { signOrder } from './actions/order/signOrder.js';
import { unpublishOrder } from './actions/order/unpublishOrder.js';
import { fetchAppOrderbook } from './actions/orderbook/fetchAppOrderbook.js';
import { fetchDatasetOrderbook } from './actions/orderbook/fetchDatasetOrderbook.js';
import { fetchOrder } from './actions/orderbook/fetchOrder.js';
import { fetchRequestOrderbook } from './actions/orderbook/fetchRequestOrderbook.js';
import { fetchWorkerpoolOrderbook } from './actions/orderbook/fetchWorkerpoolOrderbook.js';
import { fetchTaskResult } from './actions/result/fetchTaskResult.js';
import { generateResultKey } from './actions/result/generateResultKey.js';
import { checkRequesterSecretExists } from './actions/secrets/checkRequesterSecretExists.js';
import { pushRequesterSecret } from './actions/secrets/pushRequesterSecret.js';
import { claimTask } from './actions/task/claimTask.js';
import { observeTask } from './actions/task/observeTask.js';
import { showTask } from './actions/task/showTask.js';
import { getWalletBalances } from './actions/wallet/getWalletBalances.js';
import { requestFaucet } from './actions/wallet/requestFaucet.js';
import { send } from './actions/wallet/send.js';
import { sweep } from './actions/wallet/sweep.js';
import { showContribution } from './actions/worker/showContribution.js';
import { showWorker } from './actions/worker/showWorker.js';
import { checkDeployedWorkerpool } from './actions/workerpool/checkDeployedWorkerpool.js';
import { countUserWorkerpools } from './actions/workerpool/countUserWorkerpools.js';
import { deployWorkerpool, predictWorkerpoolAddress } from './actions/workerpool/deployWorkerpool.js';
import { showWorkerpool } from './actions/workerpool/showWorkerpool.js';
import { transferWorkerpool } from './actions/workerpool/transferWorkerpool.js';
import type { ConfideClient } from './client.js';

/** The parameters of an action after its client. */
// biome-ignore lint/suspicious/noExplicitAny: matches any action signature to drop its first parameter
type Rest<F> = F extends (client: any, ...rest: infer R) => any ? R : never;

/**
 * The decorator map: every action bound to `client` (`actions.deposit(p)` is `deposit(client, p)`).
 * @example const actions = confideActions(client); await actions.deposit({ amount: 1n })
 */
export function confideActions(client: ConfideClient) {
  return {
    getWalletBalances: (...rest: Rest<typeof getWalletBalances>) => getWalletBalances(client, ...rest),
    requestFaucet: (...rest: Rest<typeof requestFaucet>) => requestFaucet(client, ...rest),
    send: (...rest: Rest<typeof send>) => send(client, ...rest),
    sweep: (...rest: Rest<typeof sweep>) => sweep(client, ...rest),
    deposit: (...rest: Rest<typeof deposit>) => deposit(client, ...rest),
    getAccountBalance: (...rest: Rest<typeof getAccountBalance>) => getAccountBalance(client, ...rest),
    withdraw: (...rest: Rest<typeof withdraw>) => withdraw(client, ...rest),
    checkAppSecretExists: (...rest: Rest<typeof checkAppSecretExists>) => checkAppSecretExists(client, ...rest),
    checkDeployedApp: (...rest: Rest<typeof checkDeployedApp>) => checkDeployedApp(client, ...rest),
    countUserApps: (...rest: Rest<typeof countUserApps>) => countUserApps(client, ...rest),
    deployApp: (...rest: Rest<typeof deployApp>) => deployApp(client, ...rest),
    deployAppBundle: (...rest: Rest<typeof deployAppBundle>) => deployAppBundle(client, ...rest),
    predictAppAddress: (...rest: Rest<typeof predictAppAddress>) => predictAppAddress(client, ...rest),
    pushAppSecret: (...rest: Rest<typeof pushAppSecret>) => pushAppSecret(client, ...rest),
    showApp: (...rest: Rest<typeof showApp>) => showApp(client, ...rest),
    transferApp: (...rest: Rest<typeof transferApp>) => transferApp(client, ...rest),
    checkDatasetSecretExists: (...rest: Rest<typeof checkDatasetSecretExists>) =>
      checkDatasetSecretExists(client, ...rest),
    checkDeployedDataset: (...rest: Rest<typeof checkDeployedDataset>) => checkDeployedDataset(client, ...rest),
    countCategory: () => countCategory(client),
    createCategory: (...rest: Rest<typeof createCategory>) => createCategory(client, ...rest),
    showCategory: (...rest: Rest<typeof showCategory>) => showCategory(client, ...rest),
    countUserDatasets: (...rest: Rest<typeof countUserDatasets>) => countUserDatasets(client, ...rest),
    deployDataset: (...rest: Rest<typeof deployDataset>) => deployDataset(client, ...rest),
    predictDatasetAddress: (...rest: Rest<typeof predictDatasetAddress>) => predictDatasetAddress(client, ...rest),
    pushDatasetSecret: (...rest: Rest<typeof pushDatasetSecret>) => pushDatasetSecret(client, ...rest),
    showDataset: (...rest: Rest<typeof showDataset>) => showDataset(client, ...rest),
    transferDataset: (...rest: Rest<typeof transferDataset>) => transferDataset(client, ...rest),
    checkDeployedWorkerpool: (...rest: Rest<typeof checkDeployedWorkerpool>) =>
      checkDeployedWorkerpool(client, ...rest),
    countUserWorkerpools: (...rest: Rest<typeof countUserWorkerpools>) => countUserWorkerpools(client, ...rest),
    deployWorkerpool: (...rest: Rest<typeof deployWorkerpool>) => deployWorkerpool(client, ...rest),
    predictWorkerpoolAddress: (...rest: Rest<typeof predictWorkerpoolAddress>) =>
      predictWorkerpoolAddress(client, ...rest),
    showWorkerpool: (...rest: Rest<typeof showWorkerpool>) => showWorkerpool(client, ...rest),
    transferWorkerpool: (...rest: Rest<typeof transferWorkerpool>) => transferWorkerpool(client, ...rest),
    cancelOrder: (...rest: Rest<typeof cancelOrder>) => cancelOrder(client, ...rest),
    checkRequestRequirements: (...rest: Rest<typeof checkRequestRequirements>) =>
      checkRequestRequirements(client, ...rest),
    createAppOrder,
    createDatasetOrder,
    createRequestOrder: (...rest: Rest<typeof createRequestOrder>) => createRequestOrder(client, ...rest),
    createWorkerpoolOrder,
    estimateMatchOrders: (...rest: Rest<typeof estimateMatchOrders>) => estimateMatchOrders(client, ...rest),
    hashOrder: (...rest: Rest<typeof hashOrder>) => hashOrder(client, ...rest),
    matchOrders: (...rest: Rest<typeof matchOrders>) => matchOrders(client, ...rest),
    publishOrder: (...rest: Rest<typeof publishOrder>) => publishOrder(client, ...rest),
    signOrder: (...rest: Rest<typeof signOrder>) => signOrder(client, ...rest),
    unpublishOrder: (...rest: Rest<typeof unpublishOrder>) => unpublishOrder(client, ...rest),
    fetchAppOrderbook: (...rest: Rest<typeof fetchAppOrderbook>) => fetchAppOrderbook(client, ...rest),
    fetchDatasetOrderbook: (...rest: Rest<typeof fetchDatasetOrderbook>) => fetchDatasetOrderbook(client, ...rest),
    fetchOrder: (...rest: Rest<typeof fetchOrder>) => fetchOrder(client, ...rest),
    fetchRequestOrderbook: (...rest: Rest<typeof fetchRequestOrderbook>) => fetchRequestOrderbook(client, ...rest),
    fetchWorkerpoolOrderbook: (...rest: Rest<typeof fetchWorkerpoolOrderbook>) =>
      fetchWorkerpoolOrderbook(client, ...rest),
    claimDeal: (...rest: Rest<typeof claimDeal>) => claimDeal(client, ...rest),
    observeDeal: (...rest: Rest<typeof observeDeal>) => observeDeal(client, ...rest),
    showDeal: (...rest: Rest<typeof showDeal>) => showDeal(client, ...rest),
    claimTask: (...rest: Rest<typeof claimTask>) => claimTask(client, ...rest),
    observeTask: (...rest: Rest<typeof observeTask>) => observeTask(client, ...rest),
    showTask: (...rest: Rest<typeof showTask>) => showTask(client, ...rest),
    showWorker: (...rest: Rest<typeof showWorker>) => showWorker(client, ...rest),
    showContribution: (...rest: Rest<typeof showContribution>) => showContribution(client, ...rest),
    fetchTaskResult: (...rest: Rest<typeof fetchTaskResult>) => fetchTaskResult(client, ...rest),
    generateResultKey,
    checkRequesterSecretExists: (...rest: Rest<typeof checkRequesterSecretExists>) =>
      checkRequesterSecretExists(client, ...rest),
    pushRequesterSecret: (...rest: Rest<typeof pushRequesterSecret>) => pushRequesterSecret(client, ...rest),
  };
}

/** The actions of a Confide client. */
export type Actions = ReturnType<typeof confideActions>;
