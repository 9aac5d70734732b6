import { type Address, getAddress, type Hex } from 'viem';
import {
  type BulkContentSource,
  BulkInvalidError,
  bulkOrderProblem,
  readBulkSlice,
} from '../../../protocol/src/index.js';
import type { BulkOrderReader, BulkOrderState } from '../chain/createBulkOrderReader.js';
import type { TaskFacts } from '../chain/createTaskReader.js';
import { SmsError } from '../errors.js';
import type { SecretStore } from '../store/openSecretStore.js';

/**
 * One dataset of a bulk slice as released to the enclave: where it is, what it must hash to, its
 * key, and its policy's maximum result size in bytes when it sets one.
 */
export type ReleasedBulkDataset = {
  address: Address;
  location: string;
  checksum: Hex;
  key: string;
  maxResultSize?: number;
};

/** Parameters of {@link resolveBulkDatasets}. */
type ResolveBulkDatasetsParameters = {
  facts: Pick<TaskFacts, 'app' | 'requester' | 'beneficiary' | 'workerpool' | 'tag' | 'taskIndex'>;
  /** The root CID from the deal's params (`bulk_cid`). */
  rootCid: string;
  /** Where slices are read (CID-verified); absent when the SMS is run without storage. */
  source: BulkContentSource | undefined;
  /** Reads the orders' chain state; absent when the SMS is run without it. */
  orders: BulkOrderReader | undefined;
  store: Pick<SecretStore, 'getSecret'>;
};

/**
 * The datasets a bulk task may read, with their keys: slice `taskIndex` of the root, each of its
 * dataset orders checked against the deal and the chain. All or nothing: the first order that
 * fails a rule refuses the whole release (see docs/architecture.md, "Bulk processing"), so an
 * enclave never runs an app on part of a slice without knowing it.
 * @throws SmsError `SMS_BULK_SLICE_UNAVAILABLE` (storage down or content missing: retry),
 * `SMS_BULK_SLICE_INVALID`, `SMS_BULK_ORDER_NOT_BULK` (price ≠ 0 or volume < 2^53 − 2),
 * `SMS_BULK_ORDER_RESTRICTED` (app, requester, workerpool or tag not this deal's),
 * `SMS_BULK_ORDER_SIGNATURE` (not signed by the dataset's current owner),
 * `SMS_BULK_ORDER_REVOKED` (cancelled or used up), `SMS_POLICY_REFUSED` (the dataset's owner
 * policy refuses this use: reason = the hub's policy error, or `PolicyMaxUsesUncountable` when the
 * policy caps uses, which bulk tasks cannot count), `SMS_SECRET_NOT_FOUND` (no key pushed),
 * `SMS_CHAIN_UNAVAILABLE`
 * @example const datasets = await resolveBulkDatasets({ facts, rootCid, source: storage, orders, store })
 */
export async function resolveBulkDatasets(p: ResolveBulkDatasetsParameters): Promise<ReleasedBulkDataset[]> {
  const { source, orders } = p;
  if (!source || !orders) {
    throw new SmsError('SMS_BULK_SLICE_UNAVAILABLE', 'this SMS is not configured to read bulk slices (storage)');
  }
  let slice: Awaited<ReturnType<typeof readBulkSlice>>;
  try {
    slice = await readBulkSlice({ source, rootCid: p.rootCid, index: Number(p.facts.taskIndex) });
  } catch (error) {
    if (error instanceof BulkInvalidError) {
      throw new SmsError('SMS_BULK_SLICE_INVALID', `bulk slice ${p.facts.taskIndex}: ${String(error.details)}`);
    }
    throw new SmsError('SMS_BULK_SLICE_UNAVAILABLE', `bulk slice ${p.facts.taskIndex} cannot be read from storage`, {
      cause: error,
    });
  }
  const released: ReleasedBulkDataset[] = [];
  for (const [position, order] of slice.entries()) {
    const where = `dataset ${order.dataset} (slice ${p.facts.taskIndex}, entry ${position})`;
    const problem = bulkOrderProblem(order, p.facts);
    if (problem === 'PRICE' || problem === 'VOLUME') {
      throw new SmsError(
        'SMS_BULK_ORDER_NOT_BULK',
        `${where}: a bulk order must have price 0 and volume ≥ 2^53 − 2 (${problem})`,
      );
    }
    if (problem) {
      throw new SmsError('SMS_BULK_ORDER_RESTRICTED', `${where}: the order does not allow this deal (${problem})`);
    }
    const state = await orders.orderState(order);
    if (!state.signedByOwner) {
      throw new SmsError('SMS_BULK_ORDER_SIGNATURE', `${where}: the order is not signed by the dataset's owner`);
    }
    if (state.consumed >= order.volume) {
      throw new SmsError('SMS_BULK_ORDER_REVOKED', `${where}: the owner revoked this access (the order is closed)`);
    }
    await checkBulkPolicy(orders, order, state.policy, p.facts, where);
    const key = p.store.getSecret({ kind: 'dataset-key', owner: getAddress(order.dataset), name: '' });
    if (!key) throw new SmsError('SMS_SECRET_NOT_FOUND', `${where}: its owner has not pushed its key`);
    const maxResultSize = resultSizeLimit(state.policy.active ? state.policy.maxResultSize : 0n);
    released.push({
      address: getAddress(order.dataset),
      location: state.location,
      checksum: state.checksum,
      key: Buffer.from(key).toString('utf8'),
      ...(maxResultSize === undefined ? {} : { maxResultSize }),
    });
  }
  return released;
}

/**
 * The owner policy of a bulk dataset, applied as the hub applies it at a match, since a bulk deal
 * names no dataset and the hub never sees it: `checkPolicy` for this deal's app, requester and
 * beneficiary at the order's price, for one task. A policy that caps uses (`maxUses` > 0) refuses
 * bulk use outright: bulk tasks are not counted on chain, so the cap could not hold.
 */
async function checkBulkPolicy(
  orders: BulkOrderReader,
  order: { dataset: Address; datasetprice: bigint },
  policy: BulkOrderState['policy'],
  facts: Pick<TaskFacts, 'app' | 'requester' | 'beneficiary'>,
  where: string,
): Promise<void> {
  if (!policy.active) return;
  const refusal = await orders.policyRefusal({
    dataset: getAddress(order.dataset),
    app: facts.app,
    requester: facts.requester,
    beneficiary: facts.beneficiary,
    price: order.datasetprice,
  });
  if (refusal) {
    throw new SmsError('SMS_POLICY_REFUSED', `${where}: its owner's policy refuses this use (${refusal.name})`, {
      reason: refusal,
    });
  }
  if (policy.maxUses !== 0) {
    throw new SmsError(
      'SMS_POLICY_REFUSED',
      `${where}: its owner's policy caps uses at ${policy.maxUses}, which bulk tasks cannot count on chain`,
      { reason: { name: 'PolicyMaxUsesUncountable', args: [getAddress(order.dataset), String(policy.maxUses)] } },
    );
  }
}

/**
 * A policy's `maxResultSize` as the enclave takes it: a number of bytes, or `undefined` when there
 * is no limit (0, or more than 2^53 − 1 bytes, which no result reaches).
 */
export function resultSizeLimit(maxResultSize: bigint): number | undefined {
  if (maxResultSize === 0n || maxResultSize > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
  return Number(maxResultSize);
}
