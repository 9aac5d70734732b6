import pino, { type Logger } from 'pino';
import { getAddress } from 'viem';
import { UPDATES_BACKFILL, type UpdatesBackfill } from './db/migrations.js';
import { openIndexerDatabase } from './db/openIndexerDatabase.js';
import type { IndexerDb } from './db/tables.js';
import { applyBatch } from './follower/applyBatch.js';
import { ChainMovedError, fetchBatch, type IndexedAddresses, type IndexerChainClient } from './follower/fetchBatch.js';
import { rollbackTo } from './follower/rollbackTo.js';

/** Reads of one range retried in a row when the chain changes under them. */
const MAX_RETRIES = 5;

/** Parameters of {@link createIndexer}. */
export type CreateIndexerParameters = {
  /** SQLite file (created if absent), `:memory:`, or a PostgreSQL URL (`postgres://…`, database created beforehand). */
  database: string;
  publicClient: IndexerChainClient;
  addresses: IndexedAddresses;
  /** Blocks to wait below the head before indexing one; 0 on a devnet. Default 0. */
  confirmations?: number;
  /** Blocks read per `eth_getLogs`. Default 1,000. */
  batchSize?: number;
  /** First block to index (the deployment's). Default 0. */
  fromBlock?: bigint;
  /** Pause between two catch-ups when `start`ed. Default 1,000 ms. */
  pollingIntervalMs?: number;
  /** Where to log (silent by default). */
  logger?: Logger;
};

/** What one {@link Indexer.syncOnce} did. */
export type SyncResult = {
  /** The chain's head when the catch-up began. */
  head: bigint;
  /** The last indexed block afterwards, or null when nothing is indexed yet. */
  indexedTo: bigint | null;
  /** Events projected. */
  events: number;
  /** Reorgs detected and rolled back. */
  reorgs: number;
};

/** A follower of the Confide contracts writing into its database. */
export type Indexer = {
  /** The database, for {@link createIndexerServer} and tests. */
  db: IndexerDb;
  /** Catches up with the chain (head − confirmations) once, rolling back reorgs first. */
  syncOnce: () => Promise<SyncResult>;
  /** Catches up now and then every `pollingIntervalMs`, logging (not throwing) failures. */
  start: () => void;
  /** Stops the loop and waits for the catch-up in progress. */
  stop: () => Promise<void>;
  /** Stops, then closes the database. */
  close: () => Promise<void>;
};

/**
 * Creates the follower: it indexes the events of the given contracts into SQLite or PostgreSQL
 * and resumes from the cursor stored there. Before each batch it compares the stored hash of the last indexed
 * block with the chain's; on a mismatch it walks back to the newest block both agree on, deletes
 * everything above and indexes again. An index made before the follower read `DatasetUpdated`
 * (migration 004) has its blocks read again for those events alone first, without state reads.
 * @throws {IndexerDatabaseMismatchError} when the database indexes other contracts
 * @throws {IndexerDatabaseUnavailableError} when the database cannot be opened
 * @example
 * const indexer = await createIndexer({ database: 'index.sqlite', publicClient, addresses });
 * await indexer.syncOnce();
 */
export async function createIndexer(p: CreateIndexerParameters): Promise<Indexer> {
  const confirmations = BigInt(p.confirmations ?? 0);
  const batchSize = BigInt(p.batchSize ?? 1000);
  const fromBlock = p.fromBlock ?? 0n;
  const pollingIntervalMs = p.pollingIntervalMs ?? 1000;
  const logger = p.logger ?? pino({ enabled: false });
  const client = p.publicClient;
  const addresses: IndexedAddresses = {
    hub: getAddress(p.addresses.hub),
    appRegistry: getAddress(p.addresses.appRegistry),
    datasetRegistry: getAddress(p.addresses.datasetRegistry),
    workerpoolRegistry: getAddress(p.addresses.workerpoolRegistry),
    dataProtector: getAddress(p.addresses.dataProtector),
    dataSharing: getAddress(p.addresses.dataSharing),
  };
  const { db, close: closeDb } = await openIndexerDatabase({
    location: p.database,
    identity: { ...addresses, fromBlock: fromBlock.toString() },
  });

  /** The chain's hash at `number`, or null when the chain has no such block (it got shorter). */
  const chainHash = async (number: number) => {
    try {
      return (await client.getBlock({ blockNumber: BigInt(number) })).hash;
    } catch {
      return null;
    }
  };

  /** The newest stored block whose hash the chain still has; null when none is left. */
  const commonAncestor = async (below: number) => {
    for (let top = below; ; ) {
      const page = await db
        .selectFrom('blocks')
        .select(['block_number', 'block_hash'])
        .where('block_number', '<=', top)
        .orderBy('block_number', 'desc')
        .limit(64)
        .execute();
      for (const block of page) {
        if ((await chainHash(block.block_number)) === block.block_hash) {
          return { number: block.block_number, hash: block.block_hash };
        }
      }
      const oldest = page.at(-1);
      if (!oldest || page.length < 64) return null;
      top = oldest.block_number - 1;
    }
  };

  /** Set once no backfill is pending: only a migration at open makes one. */
  let backfillDone = false;
  const pendingBackfill = async (): Promise<UpdatesBackfill | null> => {
    const row = await db.selectFrom('meta').select('value').where('key', '=', UPDATES_BACKFILL).executeTakeFirst();
    return row ? (JSON.parse(row.value) as UpdatesBackfill) : null;
  };

  const catchUp = async (): Promise<SyncResult> => {
    // Not viem's cached head (kept for the client's polling interval, 4 s by default): the index
    // would trail the chain by that much whatever `pollingIntervalMs` says.
    const head = await client.getBlockNumber({ cacheTime: 0 });
    const target = head - confirmations;
    const result: SyncResult = { head, indexedTo: null, events: 0, reorgs: 0 };
    let moved = 0;
    for (;;) {
      const cursor = await db.selectFrom('cursor').selectAll().executeTakeFirst();
      result.indexedTo = cursor ? BigInt(cursor.block_number) : null;
      if (cursor && (await chainHash(cursor.block_number)) !== cursor.block_hash) {
        const ancestor = await commonAncestor(cursor.block_number - 1);
        await db.transaction().execute((trx) => rollbackTo(trx, ancestor));
        logger.warn(
          { from: cursor.block_number, ancestor: ancestor?.number ?? null, hash: cursor.block_hash },
          'reorg rolled back',
        );
        result.reorgs++;
        continue;
      }
      // Blocks indexed before the follower read `DatasetUpdated` are read again for them first.
      const backfill = backfillDone ? null : await pendingBackfill();
      if (backfill) {
        const last = cursor ? Math.min(backfill.end, cursor.block_number) : -1;
        if (backfill.next > last) {
          await db.deleteFrom('meta').where('key', '=', UPDATES_BACKFILL).execute();
          backfillDone = true;
          logger.info({ to: last }, 'dataset updates backfilled');
          continue;
        }
      } else {
        backfillDone = true;
      }
      const from = backfill ? BigInt(backfill.next) : cursor ? BigInt(cursor.block_number) + 1n : fromBlock;
      const end = backfill && cursor ? BigInt(Math.min(backfill.end, cursor.block_number)) : target;
      if (from > end) return result;
      const to = from + batchSize - 1n < end ? from + batchSize - 1n : end;
      let batch: Awaited<ReturnType<typeof fetchBatch>>;
      try {
        batch = await fetchBatch({ client, addresses, from, to, ...(backfill && { only: 'DatasetUpdated' as const }) });
      } catch (error) {
        // A chain that keeps moving under every read is a node problem: give up until the next poll.
        if (!(error instanceof ChainMovedError) || ++moved > MAX_RETRIES) throw error;
        logger.warn(
          { from: Number(from), to: Number(to), reason: error.message },
          'chain moved during a read; retrying',
        );
        continue;
      }
      if (backfill) {
        const next: UpdatesBackfill = { next: Number(to) + 1, end: backfill.end };
        await db.transaction().execute(async (trx) => {
          await applyBatch(trx, batch, null);
          await trx
            .updateTable('meta')
            .set({ value: JSON.stringify(next) })
            .where('key', '=', UPDATES_BACKFILL)
            .execute();
        });
        result.events += batch.events.length;
        continue;
      }
      const last = batch.blocks.find((b) => b.number === Number(to));
      if (!last) throw new Error(`block ${to} missing from its own batch`);
      await db.transaction().execute((trx) => applyBatch(trx, batch, last));
      result.indexedTo = to;
      result.events += batch.events.length;
      if (batch.events.length > 0) {
        logger.info({ from: Number(from), to: Number(to), events: batch.events.length }, 'indexed');
      }
    }
  };

  // One catch-up at a time: a syncOnce during the loop's waits for it, then runs.
  let queue: Promise<unknown> = Promise.resolve();
  const syncOnce = () => {
    const run = queue.then(catchUp, catchUp);
    queue = run.catch(() => {});
    return run;
  };

  let running: Promise<void> | null = null;
  let stopping = false;
  let wake: () => void = () => {};
  const loop = async () => {
    while (!stopping) {
      try {
        await syncOnce();
      } catch (error) {
        const { name, message } = error instanceof Error ? error : { name: 'Error', message: String(error) };
        logger.error({ errorName: name, error: message.slice(0, 500) }, 'sync failed; retrying');
      }
      if (stopping) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollingIntervalMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  };
  const stop = async () => {
    stopping = true;
    wake();
    await running;
    await queue;
    running = null;
  };
  return {
    db,
    syncOnce,
    start: () => {
      if (running) return;
      stopping = false;
      running = loop();
    },
    stop,
    close: async () => {
      await stop();
      await closeDb();
    },
  };
}
