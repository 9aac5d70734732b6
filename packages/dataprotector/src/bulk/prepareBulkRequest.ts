import { type Address, getAddress, zeroAddress } from 'viem';
import { generateResultKeyPair } from '../../../crypto/src/generateResultKeyPair.js';
import {
  BULK_MIN_VOLUME,
  bulkOrderProblem,
  confideDomain,
  type DatasetOrder,
  DealParamsInvalidError,
  encodeBulkRoot,
  encodeBulkSlice,
  MAX_BULK_SLICES,
  MAX_DATASETS_PER_SLICE,
  NULL_DATASET_ORDER,
  parseDealParams,
  type RequestOrder,
  randomSalt,
  type Signed,
  signOrder,
  TAG_TEE,
  walletSigner,
} from '../../../protocol/src/index.js';
import type { GrantedAccess } from '../createDataProtector.js';
import { DataProtectorError } from '../errors.js';
import { pushRequesterSecrets } from '../pushRequesterSecrets.js';
import { type OnStatusUpdate, step } from '../statusUpdates.js';
import { address, count, invalid, price, service } from '../validate.js';
import { type BulkContext, type BulkRequest, toBulkRequest } from './bulkRequest.js';

/** Parameters of `prepareBulkRequest`, as iExec's. */
export type PrepareBulkRequestParameters = {
  /** Accesses granted with `allowBulk` (from `getGrantedAccess({ bulkOnly: true })`). */
  bulkAccesses: GrantedAccess[];
  app: Address;
  /** Protected data per task, 1…100 (default 100): the request has ⌈n / this⌉ tasks. */
  maxProtectedDataPerTask?: number;
  appMaxPrice?: bigint | number;
  workerpoolMaxPrice?: bigint | number;
  /** Only this workerpool may run the tasks (default: any). */
  workerpool?: Address;
  /** The category of the tasks (default 0, the smallest time budget). */
  category?: number;
  args?: string;
  /** URLs the app downloads (`iexec_input_files`). */
  inputFiles?: string[];
  /** Requester secrets by index (1…999), pushed to the SMS under random names. */
  secrets?: Record<number, string>;
  /** Confide always encrypts results; `false` is refused. */
  encryptResult?: boolean;
  /** The beneficiary's age key pair; a fresh one when absent (returned). */
  resultKey?: { identity: string; recipient: string };
  onStatusUpdate?: OnStatusUpdate<PrepareBulkRequestStep>;
};

/** Steps of `prepareBulkRequest`. */
type PrepareBulkRequestStep =
  | 'PUSH_REQUESTER_SECRET'
  | 'GENERATE_ENCRYPTION_KEY'
  | 'PREPARE_PROTECTED_DATA_BULK'
  | 'CREATE_BULK_REQUEST';

/** What `prepareBulkRequest` returns. */
export type PrepareBulkRequestReturnType = {
  bulkRequest: BulkRequest;
  /** The beneficiary's key pair: keep the identity, it alone decrypts the results. */
  resultKey: { identity: string; recipient: string };
};

function datasetOrderOf(access: GrantedAccess, i: number): Signed<DatasetOrder> {
  if (typeof access !== 'object' || access === null) throw invalid(`bulkAccesses[${i}] is not a granted access`);
  const amount = (v: unknown, name: string) => {
    if (typeof v !== 'string' || !/^(0|[1-9][0-9]{0,77})$/.test(v)) {
      throw invalid(`bulkAccesses[${i}].${name} must be a decimal string`);
    }
    return BigInt(v);
  };
  return {
    dataset: address(access.dataset, `bulkAccesses[${i}].dataset`),
    datasetprice: amount(access.datasetprice, 'datasetprice'),
    volume: amount(access.volume, 'volume'),
    tag: access.tag,
    apprestrict: address(access.apprestrict, `bulkAccesses[${i}].apprestrict`),
    workerpoolrestrict: address(access.workerpoolrestrict, `bulkAccesses[${i}].workerpoolrestrict`),
    requesterrestrict: address(access.requesterrestrict, `bulkAccesses[${i}].requesterrestrict`),
    salt: access.salt,
    sign: access.sign,
  };
}

/**
 * Prepares one request that processes many protected data: checks that every access allows
 * bulk processing by this app for this requester, splits the signed dataset orders into slices
 * of at most `maxProtectedDataPerTask`, stores each slice (a JSON array of signed dataset orders)
 * and the root (a JSON array of slice CIDs), and signs a request order with dataset 0x0, one
 * task per slice and `bulk_cid` = the root in its params. Nothing is paid until
 * `processBulkRequest`.
 * @returns the bulk request and the beneficiary's key pair
 * @throws DataProtectorError `CONFIDE_DATAPROTECTOR_INVALID_PARAMETER`,
 * `CONFIDE_DATAPROTECTOR_BULK_ACCESS_INVALID` (an access that is not a bulk grant for this app
 * and requester, or revoked), `CONFIDE_DATAPROTECTOR_SERVICE_FAILED`
 * @example
 * const { grantedAccess } = await dp.getGrantedAccess({ authorizedApp: app, authorizedUser: me, bulkOnly: true })
 * const { bulkRequest, resultKey } = await dp.prepareBulkRequest({ bulkAccesses: grantedAccess, app, maxProtectedDataPerTask: 10 })
 */
export async function prepareBulkRequest(
  ctx: BulkContext,
  params: PrepareBulkRequestParameters,
): Promise<PrepareBulkRequestReturnType> {
  const account = ctx.wallet.account;
  if (!Array.isArray(params?.bulkAccesses) || params.bulkAccesses.length === 0) {
    throw invalid('bulkAccesses must be a non-empty array of granted accesses');
  }
  const app = address(params.app, 'app');
  const perTask = count(params.maxProtectedDataPerTask ?? MAX_DATASETS_PER_SLICE, 'maxProtectedDataPerTask', 1);
  if (perTask > MAX_DATASETS_PER_SLICE)
    throw invalid(`maxProtectedDataPerTask must be at most ${MAX_DATASETS_PER_SLICE}`);
  const appMaxPrice = price(params.appMaxPrice ?? 0, 'appMaxPrice');
  const workerpoolMaxPrice = price(params.workerpoolMaxPrice ?? 0, 'workerpoolMaxPrice');
  const workerpool = params.workerpool === undefined ? zeroAddress : address(params.workerpool, 'workerpool');
  const category = BigInt(count(params.category ?? 0, 'category', 0));
  if (params.encryptResult === false) throw invalid('encryptResult cannot be false: Confide always encrypts results');
  if (params.args !== undefined && typeof params.args !== 'string') throw invalid('args must be a string');

  const orders = params.bulkAccesses.map(datasetOrderOf);
  const seen = new Set<Address>();
  let tag = BigInt(TAG_TEE);
  for (const [i, order] of orders.entries()) {
    const refuse = (why: string) =>
      new DataProtectorError('CONFIDE_DATAPROTECTOR_BULK_ACCESS_INVALID', {
        details: `bulkAccesses[${i}] (${order.dataset}): ${why}`,
      });
    if (seen.has(order.dataset)) throw refuse('the same protected data is listed twice');
    seen.add(order.dataset);
    const problem = bulkOrderProblem(order, { app, requester: account.address, workerpool, tag: order.tag });
    if (problem === 'PRICE' || problem === 'VOLUME') throw refuse('not granted with allowBulk (price 0, unlimited)');
    if (problem === 'APP') throw refuse(`granted to app ${order.apprestrict}, not ${app}`);
    if (problem === 'REQUESTER') throw refuse(`granted to user ${order.requesterrestrict}, not ${account.address}`);
    if (problem === 'WORKERPOOL') throw refuse(`restricted to workerpool ${order.workerpoolrestrict}`);
    const remaining = params.bulkAccesses[i]?.remainingAccess;
    if (typeof remaining === 'number' && remaining < Number(BULK_MIN_VOLUME)) {
      throw refuse('this access was revoked');
    }
    tag |= BigInt(order.tag);
  }
  const slices = Math.ceil(orders.length / perTask);
  if (slices > MAX_BULK_SLICES) throw invalid(`at most ${MAX_BULK_SLICES} tasks per bulk request (${slices} asked)`);
  const appParams = {
    ...(params.args ? { iexec_args: params.args } : {}),
    ...(params.inputFiles ? { iexec_input_files: params.inputFiles } : {}),
  };
  try {
    parseDealParams(JSON.stringify(appParams)); // As the SMS and the enclave will read them: refuse before any call.
  } catch (error) {
    if (error instanceof DealParamsInvalidError) throw invalid(String(error.details));
    throw error;
  }
  const chainId = await service('reading the chain', () => ctx.publicClient.getChainId());

  const secretNames = await pushRequesterSecrets({
    smsUrl: ctx.smsUrl,
    chainId: chainId,
    account: walletSigner(ctx.wallet),
    secrets: params.secrets,
    onStatusUpdate: params.onStatusUpdate,
  });
  const resultKey = await step(
    params.onStatusUpdate,
    'GENERATE_ENCRYPTION_KEY',
    () => params.resultKey ?? generateResultKeyPair(),
    (k) => ({ recipient: k.recipient }),
  );
  const rootCid = await step(
    params.onStatusUpdate,
    'PREPARE_PROTECTED_DATA_BULK',
    async () => {
      const cids: string[] = [];
      for (let start = 0; start < orders.length; start += perTask) {
        const slice = encodeBulkSlice(orders.slice(start, start + perTask));
        cids.push((await service('storing a bulk slice', () => ctx.storage.put(slice))).cid);
      }
      return (await service('storing the bulk root', () => ctx.storage.put(encodeBulkRoot(cids)))).cid;
    },
    (cid) => ({ cid, volume: String(slices) }),
  );
  const requestParams = JSON.stringify({
    ...appParams,
    ...(secretNames ? { iexec_secrets: secretNames } : {}),
    confide_result_recipient: resultKey.recipient,
    bulk_cid: rootCid,
  });
  const bulkRequest = await step(
    params.onStatusUpdate,
    'CREATE_BULK_REQUEST',
    async () => {
      const order: RequestOrder = {
        app,
        appmaxprice: appMaxPrice,
        dataset: NULL_DATASET_ORDER.dataset,
        datasetmaxprice: 0n,
        workerpool,
        workerpoolmaxprice: workerpoolMaxPrice,
        requester: account.address,
        volume: BigInt(slices),
        tag: `0x${tag.toString(16).padStart(64, '0')}`,
        category,
        trust: 0n,
        beneficiary: account.address,
        callback: zeroAddress,
        params: requestParams,
        salt: randomSalt(),
      };
      const signed = await service('signing the request', () =>
        signOrder({
          domain: confideDomain(chainId, ctx.hub),
          kind: 'RequestOrder',
          signer: walletSigner(ctx.wallet),
          order,
        }),
      );
      return toBulkRequest(signed);
    },
    (r) => ({ volume: r.volume, bulkCid: rootCid, requester: getAddress(r.requester) }),
  );
  return { bulkRequest, resultKey };
}
