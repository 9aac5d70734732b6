import type { Transaction } from 'kysely';
import { zeroAddress } from 'viem';
import type { ContributionEventsTable, IndexerTables } from '../db/tables.js';
import { flattenSchema } from '../schema/flattenSchema.js';
import type { Batch, EventPosition, IndexedEvent } from './fetchBatch.js';
import { type AssetKey, refreshLocations, refreshOwners, refreshSharing, refreshTasks } from './refreshDerived.js';

type Trx = Transaction<IndexerTables>;

const position = (e: EventPosition) => ({
  block_number: e.blockNumber,
  log_index: e.logIndex,
  timestamp: e.timestamp,
  transaction_hash: e.transactionHash,
});

/**
 * Projects a batch into the database, inside the caller's transaction: blocks, then every event
 * in chain order, then the owners, task statuses, offers and locations the batch touched; finally the cursor.
 * @param cursor - the batch's last block, which becomes the last indexed block; null for a
 * backfill of blocks already indexed (the cursor stays)
 */
export async function applyBatch(
  trx: Trx,
  batch: Batch,
  cursor: { number: number; hash: string } | null,
): Promise<void> {
  for (const block of batch.blocks) {
    await trx
      .insertInto('blocks')
      .values({ block_number: block.number, block_hash: block.hash, timestamp: block.timestamp })
      .onConflict((oc) => oc.column('block_number').doUpdateSet({ block_hash: block.hash, timestamp: block.timestamp }))
      .execute();
  }
  const owners: AssetKey[] = [];
  const tasks: string[] = [];
  const shared: string[] = [];
  const located: string[] = [];
  for (const event of batch.events) {
    if (event.type === 'DatasetUpdated') {
      await trx
        .insertInto('dataset_updates')
        .values({ ...position(event), dataset: event.dataset, multiaddr: event.multiaddr, checksum: event.checksum })
        .execute();
      located.push(event.dataset);
    } else {
      await applyEvent(trx, event, owners, tasks, shared);
    }
  }
  await refreshOwners(trx, owners);
  await refreshTasks(trx, tasks);
  await refreshSharing(trx, shared);
  await refreshLocations(trx, located);
  if (!cursor) return;
  await trx
    .insertInto('cursor')
    .values({ id: 1, block_number: cursor.number, block_hash: cursor.hash })
    .onConflict((oc) => oc.column('id').doUpdateSet({ block_number: cursor.number, block_hash: cursor.hash }))
    .execute();
}

async function applyEvent(
  trx: Trx,
  e: Exclude<IndexedEvent, { type: 'DatasetUpdated' }>,
  owners: AssetKey[],
  tasks: string[],
  shared: string[],
): Promise<void> {
  const at = position(e);
  switch (e.type) {
    case 'Transfer':
      await trx
        .insertInto('transfers')
        .values({ ...at, registry: e.registry, asset: e.asset, from_address: e.from, to_address: e.to })
        .execute();
      owners.push({ registry: e.registry, asset: e.asset });
      return;
    case 'DatasetCreated':
      await trx
        .insertInto('datasets')
        .values({
          ...at,
          address: e.dataset,
          owner: e.owner,
          name: e.name,
          multiaddr: e.multiaddr,
          checksum: e.checksum,
          created_multiaddr: e.multiaddr,
          created_checksum: e.checksum,
          schema_json: null,
          collection_id: null,
          rental_price: null,
          rental_duration: null,
          sale_price: null,
        })
        .execute();
      owners.push({ registry: 'dataset', asset: e.dataset });
      return;
    case 'DatasetSchema': {
      // The DataProtector emits this in the transaction that created the dataset, so the row's
      // block_number covers both events and a rollback removes them together.
      await trx.updateTable('datasets').set({ schema_json: e.schema }).where('address', '=', e.dataset).execute();
      const paths = flattenSchema(e.schema) ?? [];
      if (paths.length > 0) {
        await trx
          .insertInto('schema_paths')
          .values(paths.map((p) => ({ dataset: e.dataset, path: p.path, type: p.type, block_number: e.blockNumber })))
          .onConflict((oc) => oc.doNothing())
          .execute();
      }
      return;
    }
    case 'AppCreated':
      await trx
        .insertInto('apps')
        .values({
          ...at,
          address: e.app,
          owner: e.owner,
          name: e.name,
          app_type: e.appType,
          multiaddr: e.multiaddr,
          checksum: e.checksum,
          fingerprint: e.fingerprint,
        })
        .execute();
      owners.push({ registry: 'app', asset: e.app });
      return;
    case 'WorkerpoolCreated':
      await trx
        .insertInto('workerpools')
        .values({ ...at, address: e.workerpool, owner: e.owner, description: e.description })
        .execute();
      owners.push({ registry: 'workerpool', asset: e.workerpool });
      return;
    case 'OrdersMatched':
      await trx
        .insertInto('deals')
        .values({ ...at, ...e.deal, params: null })
        .execute();
      return;
    case 'DealParams':
      // Emitted by matchOrders right after OrdersMatched, in the same transaction.
      await trx.updateTable('deals').set({ params: e.params }).where('deal_id', '=', e.dealId).execute();
      return;
    case 'TaskInitialized':
      await trx
        .insertInto('tasks')
        .values({
          ...at,
          task_id: e.taskId,
          deal_id: e.dealId,
          idx: e.idx.toString(),
          workerpool: e.workerpool,
          status: 'ACTIVE',
          worker: null,
          result_digest: null,
          results: null,
          failure_reason: null,
        })
        .execute();
      await taskEvent(trx, at, e.taskId, { status: 'ACTIVE' });
      tasks.push(e.taskId);
      return;
    case 'TaskFinalized':
      await taskEvent(trx, at, e.taskId, {
        status: 'COMPLETED',
        worker: e.worker,
        result_digest: e.resultDigest,
        results: e.results,
      });
      tasks.push(e.taskId);
      return;
    case 'TaskFailed':
      await taskEvent(trx, at, e.taskId, { status: 'FAILED', worker: e.worker, reason: e.reason });
      tasks.push(e.taskId);
      return;
    case 'TaskClaimed':
      await taskEvent(trx, at, e.taskId, { status: 'FAILED', reason: 'CLAIMED' });
      tasks.push(e.taskId);
      return;
    case 'TaskContributed':
    case 'TaskConsensusReached':
    case 'TaskRevealed':
    case 'TaskReopened':
    case 'ContributionRewarded':
    case 'ContributionSlashed':
      await applyReplicatedEvent(trx, e, tasks);
      return;
    case 'OrderPresigned':
    case 'OrderClosed':
      await trx
        .insertInto('order_operations')
        .values({
          ...at,
          kind: e.kind,
          order_hash: e.orderHash,
          operation: e.type === 'OrderPresigned' ? 'PRESIGNED' : 'CLOSED',
          owner: e.type === 'OrderPresigned' ? e.owner : null,
          volume: e.type === 'OrderClosed' ? e.volume.toString() : null,
        })
        .execute();
      return;
    case 'CollectionCreated':
    case 'SharingChanged':
    case 'NewRental':
    case 'NewSubscription':
    case 'ProtectedDataSold':
    case 'ProtectedDataConsumed':
    case 'ConsumptionSettled':
    case 'PolicyChanged':
      await applySharingEvent(trx, e, owners, shared);
      return;
  }
}

type SharingEvent = Extract<
  IndexedEvent,
  {
    type:
      | 'CollectionCreated'
      | 'SharingChanged'
      | 'NewRental'
      | 'NewSubscription'
      | 'ProtectedDataSold'
      | 'ProtectedDataConsumed'
      | 'ConsumptionSettled'
      | 'PolicyChanged';
  }
>;

/** DataSharing and the hub's owner policies: collections, offers, rentals, subscriptions, sales, consumptions. */
async function applySharingEvent(trx: Trx, e: SharingEvent, owners: AssetKey[], shared: string[]): Promise<void> {
  const at = position(e);
  switch (e.type) {
    case 'CollectionCreated':
      // Its mint's Transfer came first in the same transaction; the owner is derived from it.
      await trx
        .insertInto('collections')
        .values({ ...at, collection_id: e.collectionId, owner: e.owner })
        .execute();
      owners.push({ registry: 'collection', asset: e.collectionId });
      return;
    case 'SharingChanged':
      await trx
        .insertInto('sharing_events')
        .values({
          ...at,
          kind: e.kind,
          collection_id: e.collectionId,
          dataset: e.dataset,
          price: e.price?.toString() ?? null,
          duration: e.duration,
        })
        .execute();
      if (e.dataset) shared.push(e.dataset);
      return;
    case 'NewRental':
      await trx
        .insertInto('rentals')
        .values({
          ...at,
          dataset: e.dataset,
          collection_id: e.collectionId,
          renter: e.renter,
          end_date: e.endDate,
          price: e.price.toString(),
          payee: await collectionOwnerAt(trx, e.collectionId, e),
        })
        .execute();
      return;
    case 'NewSubscription':
      await trx
        .insertInto('subscriptions')
        .values({
          ...at,
          collection_id: e.collectionId,
          subscriber: e.subscriber,
          end_date: e.endDate,
          price: e.price.toString(),
          payee: await collectionOwnerAt(trx, e.collectionId, e),
        })
        .execute();
      return;
    case 'ProtectedDataSold':
      await trx
        .insertInto('sales')
        .values({
          ...at,
          dataset: e.dataset,
          collection_id: e.collectionId,
          seller: e.seller,
          buyer: e.buyer,
          price: e.price.toString(),
        })
        .execute();
      // A sale also ends the data's place in the collection, as a removal does.
      await trx
        .insertInto('sharing_events')
        .values({ ...at, kind: 'SOLD', collection_id: e.collectionId, dataset: e.dataset, price: null, duration: null })
        .execute();
      shared.push(e.dataset);
      return;
    case 'ProtectedDataConsumed':
      await trx
        .insertInto('consumptions')
        .values({
          ...at,
          deal_id: e.dealId,
          dataset: e.dataset,
          consumer: e.consumer,
          mode: e.mode,
          price: e.price.toString(),
        })
        .execute();
      return;
    case 'ConsumptionSettled':
      await trx
        .insertInto('consumption_settlements')
        .values({ ...at, deal_id: e.dealId, dataset: e.dataset, payee: e.payee, amount: e.amount.toString() })
        .execute();
      return;
    case 'PolicyChanged':
      await trx
        .insertInto('policy_events')
        .values({
          ...at,
          dataset: e.dataset,
          kind: e.kind,
          account: e.account,
          restrict_apps: e.terms ? Number(e.terms.restrictApps) : null,
          restrict_users: e.terms ? Number(e.terms.restrictUsers) : null,
          price_per_use: e.terms?.pricePerUse.toString() ?? null,
          max_uses: e.terms?.maxUses ?? null,
          expiry: e.terms?.expiry ?? null,
          max_result_size: e.terms?.maxResultSize.toString() ?? null,
        })
        .execute();
      return;
  }
}

/**
 * Who owned the collection just before the event at `at` (its last earlier transfer): the account
 * a rental or subscription paid. Earlier events of the batch are already in `transfers`, so this
 * holds within a batch, where the derived `collections.owner` is not refreshed yet.
 */
async function collectionOwnerAt(trx: Trx, collectionId: string, at: EventPosition): Promise<string> {
  const last = await trx
    .selectFrom('transfers')
    .select('to_address')
    .where('registry', '=', 'collection')
    .where('asset', '=', collectionId)
    .where(({ or, and, eb }) =>
      or([
        eb('block_number', '<', at.blockNumber),
        and([eb('block_number', '=', at.blockNumber), eb('log_index', '<', at.logIndex)]),
      ]),
    )
    .orderBy('block_number', 'desc')
    .orderBy('log_index', 'desc')
    .executeTakeFirst();
  // None only when indexing began after the collection's creation (a late fromBlock): unknown payee.
  return last?.to_address ?? zeroAddress;
}

type ReplicatedEvent = Extract<
  IndexedEvent,
  {
    type:
      | 'TaskContributed'
      | 'TaskConsensusReached'
      | 'TaskRevealed'
      | 'TaskReopened'
      | 'ContributionRewarded'
      | 'ContributionSlashed';
  }
>;

/** The replicated path (Proof of Contribution): contributions, consensus, reveals, scores. */
async function applyReplicatedEvent(trx: Trx, e: ReplicatedEvent, tasks: string[]): Promise<void> {
  const at = position(e);
  const contributionEvent = (worker: string, change: Partial<ContributionEventsTable>) =>
    trx
      .insertInto('contribution_events')
      .values({
        ...at,
        task_id: e.taskId,
        worker,
        status: 'REVEALED',
        result_digest: null,
        amount: null,
        score: null,
        ...change,
      })
      .execute();
  switch (e.type) {
    case 'TaskContributed':
      await trx
        .insertInto('contributions')
        .values({ ...at, task_id: e.taskId, worker: e.worker, result_hash: e.resultHash })
        .execute();
      return;
    case 'TaskConsensusReached':
      await trx
        .insertInto('task_consensus')
        .values({
          ...at,
          task_id: e.taskId,
          consensus_value: e.consensusValue,
          winner_counter: Number(e.winnerCounter),
          reveal_deadline: Number(e.revealDeadline),
        })
        .execute();
      await taskEvent(trx, at, e.taskId, { status: 'REVEALING' });
      tasks.push(e.taskId);
      return;
    case 'TaskRevealed':
      await contributionEvent(e.worker, { status: 'REVEALED', result_digest: e.resultDigest });
      return;
    case 'TaskReopened': {
      // The event counts the rejected winners; they are those still CONTRIBUTED to the value
      // being forgotten (a reopen needs no reveal), as the contract decides.
      const consensus = await trx
        .selectFrom('task_consensus')
        .select('consensus_value')
        .where('task_id', '=', e.taskId)
        .orderBy('block_number', 'desc')
        .orderBy('log_index', 'desc')
        .executeTakeFirst();
      const silent = await trx
        .selectFrom('contributions')
        .select('worker')
        .where('task_id', '=', e.taskId)
        .where('result_hash', '=', consensus?.consensus_value ?? '')
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('contribution_events as ce')
                .select('ce.worker')
                .whereRef('ce.task_id', '=', 'contributions.task_id')
                .whereRef('ce.worker', '=', 'contributions.worker'),
            ),
          ),
        )
        .execute();
      for (const { worker } of silent) await contributionEvent(worker, { status: 'REJECTED' });
      await trx
        .insertInto('task_consensus')
        .values({ ...at, task_id: e.taskId, consensus_value: null, winner_counter: null, reveal_deadline: null })
        .execute();
      await taskEvent(trx, at, e.taskId, { status: 'ACTIVE' });
      tasks.push(e.taskId);
      return;
    }
    case 'ContributionRewarded':
    case 'ContributionSlashed':
      await contributionEvent(e.worker, {
        status: e.type === 'ContributionRewarded' ? 'REWARDED' : 'SLASHED',
        amount: e.amount.toString(),
        score: Number(e.score),
      });
      await trx
        .insertInto('worker_scores')
        .values({ ...at, worker: e.worker, task_id: e.taskId, score: Number(e.score) })
        .execute();
      return;
  }
}

async function taskEvent(
  trx: Trx,
  at: ReturnType<typeof position>,
  taskId: string,
  change: {
    status: 'ACTIVE' | 'REVEALING' | 'COMPLETED' | 'FAILED';
    worker?: string;
    result_digest?: string;
    results?: string;
    reason?: string;
  },
): Promise<void> {
  await trx
    .insertInto('task_events')
    .values({
      ...at,
      task_id: taskId,
      status: change.status,
      worker: change.worker ?? null,
      result_digest: change.result_digest ?? null,
      results: change.results ?? null,
      reason: change.reason ?? null,
    })
    .execute();
}
