import type { Transaction } from 'kysely';
import type { IndexerTables, SharingEventsTable, TaskStatusName } from '../db/tables.js';

type Trx = Transaction<IndexerTables>;

/** An asset whose owner must be read again from its transfers. */
export type AssetKey = { registry: 'app' | 'dataset' | 'workerpool' | 'collection'; asset: string };

/**
 * Sets each asset's owner to the recipient of its last transfer. Owners are derived, never
 * overwritten by hand: after a batch and after a rollback alike, the transfers decide.
 */
export async function refreshOwners(trx: Trx, assets: Iterable<AssetKey>): Promise<void> {
  for (const { registry, asset } of unique(assets, (a) => `${a.registry}:${a.asset}`)) {
    const last = await trx
      .selectFrom('transfers')
      .select('to_address')
      .where('registry', '=', registry)
      .where('asset', '=', asset)
      .orderBy('block_number', 'desc')
      .orderBy('log_index', 'desc')
      .executeTakeFirst();
    if (!last) continue;
    if (registry === 'collection') {
      await trx.updateTable('collections').set({ owner: last.to_address }).where('collection_id', '=', asset).execute();
    } else {
      const table = ({ app: 'apps', dataset: 'datasets', workerpool: 'workerpools' } as const)[registry];
      await trx.updateTable(table).set({ owner: last.to_address }).where('address', '=', asset).execute();
    }
  }
}

/**
 * Derives each protected data's place in DataSharing (its collection, rental offer and sale
 * price) by replaying its sharing events: leaving the collection, by removal or sale, clears all.
 */
export async function refreshSharing(trx: Trx, datasets: Iterable<string>): Promise<void> {
  for (const dataset of unique(datasets, (d) => d)) {
    const events = await trx
      .selectFrom('sharing_events')
      .selectAll()
      .where('dataset', '=', dataset)
      .orderBy('block_number')
      .orderBy('log_index')
      .execute();
    const state = events.reduce(replaySharing, NOT_SHARED);
    await trx.updateTable('datasets').set(state).where('address', '=', dataset).execute();
  }
}

type SharingState = {
  collection_id: string | null;
  rental_price: string | null;
  rental_duration: number | null;
  sale_price: string | null;
};

const NOT_SHARED: SharingState = { collection_id: null, rental_price: null, rental_duration: null, sale_price: null };

function replaySharing(state: SharingState, e: SharingEventsTable): SharingState {
  switch (e.kind) {
    case 'ADDED_TO_COLLECTION':
      return { ...NOT_SHARED, collection_id: e.collection_id };
    case 'REMOVED_FROM_COLLECTION':
    case 'SOLD':
      return NOT_SHARED;
    case 'RENTING_SET':
      return { ...state, rental_price: e.price, rental_duration: e.duration };
    case 'RENTING_REMOVED':
      return { ...state, rental_price: null, rental_duration: null };
    case 'SALE_SET':
      return { ...state, sale_price: e.price };
    case 'SALE_REMOVED':
      return { ...state, sale_price: null };
    case 'SUBSCRIPTION_PARAMS':
      return state;
  }
}

/**
 * Sets each dataset's multiaddr and checksum to its last update's, or back to its creation's
 * when no update remains (after a rollback).
 */
export async function refreshLocations(trx: Trx, datasets: Iterable<string>): Promise<void> {
  for (const dataset of unique(datasets, (d) => d)) {
    const last = await trx
      .selectFrom('dataset_updates')
      .select(['multiaddr', 'checksum'])
      .where('dataset', '=', dataset)
      .orderBy('block_number', 'desc')
      .orderBy('log_index', 'desc')
      .executeTakeFirst();
    const created = await trx
      .selectFrom('datasets')
      .select(['created_multiaddr', 'created_checksum'])
      .where('address', '=', dataset)
      .executeTakeFirst();
    if (!created) continue;
    await trx
      .updateTable('datasets')
      .set(last ?? { multiaddr: created.created_multiaddr, checksum: created.created_checksum })
      .where('address', '=', dataset)
      .execute();
  }
}

/**
 * Derives each task's status, worker, results and failure reason from its status changes: the
 * last change gives the status, the COMPLETED one the results, the FAILED one the reason.
 */
export async function refreshTasks(trx: Trx, taskIds: Iterable<string>): Promise<void> {
  for (const taskId of unique(taskIds, (id) => id)) {
    const events = await trx
      .selectFrom('task_events')
      .selectAll()
      .where('task_id', '=', taskId)
      .orderBy('block_number')
      .orderBy('log_index')
      .execute();
    const last = events.at(-1);
    if (!last) continue;
    const completed = events.findLast((e) => e.status === 'COMPLETED');
    const failed = events.findLast((e) => e.status === 'FAILED');
    await trx
      .updateTable('tasks')
      .set({
        status: last.status as TaskStatusName,
        worker: events.findLast((e) => e.worker !== null)?.worker ?? null,
        result_digest: completed?.result_digest ?? null,
        results: completed?.results ?? null,
        failure_reason: failed?.reason ?? null,
      })
      .where('task_id', '=', taskId)
      .execute();
  }
}

function unique<T>(items: Iterable<T>, key: (item: T) => string): T[] {
  return [...new Map([...items].map((item) => [key(item), item])).values()];
}
