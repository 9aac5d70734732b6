import type { Transaction } from 'kysely';
import type { IndexerTables, TaskStatusName } from '../db/tables.js';

type Trx = Transaction<IndexerTables>;

/** An asset whose owner must be read again from its transfers. */
export type AssetKey = { registry: 'app' | 'dataset' | 'workerpool'; asset: string };

const OWNED_TABLES = { app: 'apps', dataset: 'datasets', workerpool: 'workerpools' } as const;

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
    await trx
      .updateTable(OWNED_TABLES[registry])
      .set({ owner: last.to_address })
      .where('address', '=', asset)
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
