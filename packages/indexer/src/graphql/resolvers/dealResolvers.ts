import { computeTaskId } from '../../../../protocol/src/index.js';
import type { DealsTable, TaskEventsTable, TasksTable } from '../../db/tables.js';
import { address, bytes32, page } from '../inputs.js';
import { positionOf, type Resolver, type ResolverContext } from './context.js';

type PageArgs = { first?: number; skip?: number };
type DealFilter = { requester?: string; app?: string; dataset?: string; workerpool?: string };
type TaskFilter = { status?: TasksTable['status']; dealId?: string; worker?: string };
type DealView = ReturnType<typeof deal>;

const deal = (row: DealsTable) => ({
  id: row.deal_id,
  app: row.app,
  dataset: row.dataset,
  workerpool: row.workerpool,
  workerpoolOwner: row.workerpool_owner,
  requester: row.requester,
  beneficiary: row.beneficiary,
  sponsor: row.sponsor,
  callback: row.callback,
  appPrice: row.app_price,
  datasetPrice: row.dataset_price,
  workerpoolPrice: row.workerpool_price,
  workerStake: row.worker_stake,
  botFirst: row.bot_first,
  botSize: row.bot_size,
  volume: row.volume,
  category: row.category,
  tag: row.tag,
  trust: row.trust,
  timeref: row.timeref,
  startTime: row.start_time,
  params: row.params,
  appHash: row.app_hash,
  datasetHash: row.dataset_hash,
  workerpoolHash: row.workerpool_hash,
  requestHash: row.request_hash,
  ...positionOf(row),
});

const task = (row: TasksTable) => ({
  id: row.task_id,
  dealId: row.deal_id,
  index: row.idx,
  status: row.status,
  workerpool: row.workerpool,
  worker: row.worker,
  resultDigest: row.result_digest,
  results: row.results,
  failureReason: row.failure_reason,
});

const statusChange = (row: TaskEventsTable) => ({
  status: row.status,
  worker: row.worker,
  reason: row.reason,
  ...positionOf(row),
});

/** A deal by its lowercase id, or null. */
export async function dealById(ctx: ResolverContext, id: string) {
  ctx.charge(1);
  const row = await ctx.db.selectFrom('deals').selectAll().where('deal_id', '=', id).executeTakeFirst();
  return row ? deal(row) : null;
}

/** An initialized task by its lowercase id, or null. */
export async function taskById(ctx: ResolverContext, id: string) {
  ctx.charge(1);
  const row = await ctx.db.selectFrom('tasks').selectAll().where('task_id', '=', id).executeTakeFirst();
  return row ? task(row) : null;
}

/** The deal's tasks by index, with UNSET ones for indexes not initialized yet. */
async function tasksOfDeal(ctx: ResolverContext, parent: DealView, args: PageArgs) {
  const { limit, offset } = page(args);
  const count = Math.max(0, Math.min(limit, parent.botSize - offset));
  const first = BigInt(parent.botFirst) + BigInt(offset);
  const indexes = Array.from({ length: count }, (_, i) => first + BigInt(i));
  const ids = indexes.map((idx) => computeTaskId(parent.id as `0x${string}`, idx));
  ctx.charge(ids.length);
  const rows =
    ids.length === 0 ? [] : await ctx.db.selectFrom('tasks').selectAll().where('task_id', 'in', ids).execute();
  const known = new Map(rows.map((row) => [row.task_id, task(row)]));
  return ids.map(
    (id, i) =>
      known.get(id) ?? {
        id,
        dealId: parent.id,
        index: (indexes[i] as bigint).toString(),
        status: 'UNSET',
        workerpool: parent.workerpool,
        worker: null,
        resultDigest: null,
        results: null,
        failureReason: null,
      },
  );
}

/** Resolvers of deals, tasks, order operations and the index's position. */
export const dealResolvers = {
  Query: {
    deals: (async (_, args, ctx) => {
      const { limit, offset } = page(args);
      const where = args.where ?? {};
      let query = ctx.db.selectFrom('deals').selectAll();
      for (const field of ['requester', 'app', 'dataset', 'workerpool'] as const) {
        const value = where[field];
        if (value != null) query = query.where(field, '=', address(value, `where.${field}`));
      }
      const rows = await query
        .orderBy('block_number', 'desc')
        .orderBy('log_index', 'desc')
        .limit(limit)
        .offset(offset)
        .execute();
      ctx.charge(rows.length);
      return rows.map(deal);
    }) as Resolver<unknown, PageArgs & { where?: DealFilter }>,
    deal: ((_, args, ctx) => dealById(ctx, bytes32(args.id, 'id'))) as Resolver<unknown, { id: string }>,
    tasks: (async (_, args, ctx) => {
      const { limit, offset } = page(args);
      const where = args.where ?? {};
      let query = ctx.db.selectFrom('tasks').selectAll();
      if (where.status != null) query = query.where('status', '=', where.status);
      if (where.dealId != null) query = query.where('deal_id', '=', bytes32(where.dealId, 'where.dealId'));
      if (where.worker != null) query = query.where('worker', '=', address(where.worker, 'where.worker'));
      const rows = await query
        .orderBy('block_number', 'desc')
        .orderBy('log_index', 'desc')
        .limit(limit)
        .offset(offset)
        .execute();
      ctx.charge(rows.length);
      return rows.map(task);
    }) as Resolver<unknown, PageArgs & { where?: TaskFilter }>,
    task: ((_, args, ctx) => taskById(ctx, bytes32(args.id, 'id'))) as Resolver<unknown, { id: string }>,
    orderOperations: (async (_, args, ctx) => {
      const { limit, offset } = page(args);
      let query = ctx.db.selectFrom('order_operations').selectAll();
      if (args.where?.orderHash != null) {
        query = query.where('order_hash', '=', bytes32(args.where.orderHash, 'where.orderHash'));
      }
      const rows = await query
        .orderBy('block_number', 'desc')
        .orderBy('log_index', 'desc')
        .limit(limit)
        .offset(offset)
        .execute();
      ctx.charge(rows.length);
      return rows.map((row) => ({
        kind: row.kind,
        orderHash: row.order_hash,
        operation: row.operation,
        owner: row.owner,
        volume: row.volume,
        ...positionOf(row),
      }));
    }) as Resolver<unknown, PageArgs & { where?: { orderHash?: string } }>,
    _meta: (async (_, __, ctx) => {
      const cursor = await ctx.db
        .selectFrom('cursor')
        .leftJoin('blocks', 'blocks.block_number', 'cursor.block_number')
        .select(['cursor.block_number', 'cursor.block_hash', 'blocks.timestamp'])
        .executeTakeFirst();
      return {
        block: cursor ? { number: cursor.block_number, hash: cursor.block_hash, timestamp: cursor.timestamp } : null,
      };
    }) as Resolver,
  },
  Deal: {
    tasks: ((parent, args, ctx) => tasksOfDeal(ctx, parent, args)) as Resolver<DealView, PageArgs>,
  },
  Task: {
    deal: ((parent, _, ctx) => dealById(ctx, parent.dealId)) as Resolver<{ dealId: string }>,
    history: (async (parent, _, ctx) => {
      const rows = await ctx.db
        .selectFrom('task_events')
        .selectAll()
        .where('task_id', '=', parent.id)
        .orderBy('block_number')
        .orderBy('log_index')
        .execute();
      ctx.charge(rows.length);
      return rows.map(statusChange);
    }) as Resolver<{ id: string }>,
  },
};
