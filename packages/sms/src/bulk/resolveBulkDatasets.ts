import { type Address, getAddress, type Hex } from 'viem';
import {
  type BulkContentSource,
  BulkInvalidError,
  bulkOrderProblem,
  readBulkSlice,
} from '../../../protocol/src/index.js';
import type { BulkOrderReader } from '../chain/createBulkOrderReader.js';
import type { TaskFacts } from '../chain/createTaskReader.js';
import { SmsError } from '../errors.js';
import type { SecretStore } from '../store/openSecretStore.js';

/** One dataset of a bulk slice as released to the enclave: where it is, what it must hash to, its key. */
export type ReleasedBulkDataset = { address: Address; location: string; checksum: Hex; key: string };

/** Parameters of {@link resolveBulkDatasets}. */
type ResolveBulkDatasetsParameters = {
  facts: Pick<TaskFacts, 'app' | 'requester' | 'workerpool' | 'tag' | 'taskIndex'>;
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
 * `SMS_BULK_ORDER_REVOKED` (cancelled or used up), `SMS_SECRET_NOT_FOUND` (no key pushed),
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
    const key = p.store.getSecret({ kind: 'dataset-key', owner: getAddress(order.dataset), name: '' });
    if (!key) throw new SmsError('SMS_SECRET_NOT_FOUND', `${where}: its owner has not pushed its key`);
    released.push({
      address: getAddress(order.dataset),
      location: state.location,
      checksum: state.checksum,
      key: Buffer.from(key).toString('utf8'),
    });
  }
  return released;
}
