import type { Transaction } from 'kysely';
import { type IndexerTables, PROJECTED_TABLES } from '../db/tables.js';
import { type AssetKey, refreshLocations, refreshOwners, refreshSharing, refreshTasks } from './refreshDerived.js';

/**
 * Undoes everything indexed above `ancestor` (a block both the database and the chain agree on),
 * inside the caller's transaction: deletes the rows of later blocks, derives the owners, task
 * statuses and sharing offers again from what remains, and moves the cursor back. `ancestor: null` empties the index.
 */
export async function rollbackTo(
  trx: Transaction<IndexerTables>,
  ancestor: { number: number; hash: string } | null,
): Promise<void> {
  const above = ancestor ? ancestor.number : -1;
  const transfers = await trx
    .selectFrom('transfers')
    .select(['registry', 'asset'])
    .where('block_number', '>', above)
    .execute();
  const taskEvents = await trx.selectFrom('task_events').select('task_id').where('block_number', '>', above).execute();
  const sharingEvents = await trx
    .selectFrom('sharing_events')
    .select('dataset')
    .where('block_number', '>', above)
    .where('dataset', 'is not', null)
    .execute();
  const updates = await trx.selectFrom('dataset_updates').select('dataset').where('block_number', '>', above).execute();
  for (const table of PROJECTED_TABLES) {
    await trx.deleteFrom(table).where('block_number', '>', above).execute();
  }
  await refreshOwners(trx, transfers as AssetKey[]);
  await refreshTasks(
    trx,
    taskEvents.map((e) => e.task_id),
  );
  await refreshSharing(
    trx,
    sharingEvents.map((e) => e.dataset as string),
  );
  await refreshLocations(
    trx,
    updates.map((e) => e.dataset),
  );
  if (ancestor) {
    await trx.updateTable('cursor').set({ block_number: ancestor.number, block_hash: ancestor.hash }).execute();
  } else {
    await trx.deleteFrom('cursor').execute();
  }
}
