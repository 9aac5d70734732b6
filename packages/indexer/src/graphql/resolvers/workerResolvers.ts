import type { ContributionEventsTable, ContributionsTable } from '../../db/tables.js';
import { address, page } from '../inputs.js';
import { positionOf, type Resolver, type ResolverContext } from './context.js';
import { taskById } from './dealResolvers.js';

type PageArgs = { first?: number; skip?: number };
type WorkerView = { id: string; score: number };

/**
 * Contributions with what became of them: the last later event gives the status (CONTRIBUTED
 * when none), the REVEALED one the digest, the settling one the amount and the score after it.
 */
async function withOutcome(ctx: ResolverContext, rows: ContributionsTable[]) {
  if (rows.length === 0) return [];
  const events = await ctx.db
    .selectFrom('contribution_events')
    .selectAll()
    .where(
      'task_id',
      'in',
      rows.map((r) => r.task_id),
    )
    .where(
      'worker',
      'in',
      rows.map((r) => r.worker),
    )
    .orderBy('block_number')
    .orderBy('log_index')
    .execute();
  ctx.charge(events.length);
  const byContribution = new Map<string, ContributionEventsTable[]>();
  for (const e of events) {
    const key = `${e.task_id}:${e.worker}`;
    byContribution.set(key, [...(byContribution.get(key) ?? []), e]);
  }
  return rows.map((row) => {
    const later: ContributionEventsTable[] = byContribution.get(`${row.task_id}:${row.worker}`) ?? [];
    const settled = later.findLast((e) => e.status === 'REWARDED' || e.status === 'SLASHED');
    return {
      taskId: row.task_id,
      worker: row.worker,
      resultHash: row.result_hash,
      status: later.at(-1)?.status ?? 'CONTRIBUTED',
      resultDigest: later.find((e) => e.status === 'REVEALED')?.result_digest ?? null,
      amount: settled?.amount ?? null,
      scoreAfter: settled?.score ?? null,
      ...positionOf(row),
    };
  });
}

/** A worker's current score: its last score change, 0 before the first. */
async function scoreOf(ctx: ResolverContext, worker: string): Promise<number> {
  const last = await ctx.db
    .selectFrom('worker_scores')
    .select('score')
    .where('worker', '=', worker)
    .orderBy('block_number', 'desc')
    .orderBy('log_index', 'desc')
    .executeTakeFirst();
  return last?.score ?? 0;
}

/** Resolvers of the replicated path: workers, their scores and contributions, a task's consensus. */
export const workerResolvers = {
  Query: {
    worker: (async (_, args, ctx) => {
      ctx.charge(1);
      const id = address(args.id, 'id');
      const known = await ctx.db
        .selectFrom('contributions')
        .select('worker')
        .where('worker', '=', id)
        .executeTakeFirst();
      return known ? { id, score: await scoreOf(ctx, id) } : null;
    }) as Resolver<unknown, { id: string }>,
    workers: (async (_, args, ctx) => {
      const { limit, offset } = page(args);
      // The last score change of each worker: no later change of the same worker exists.
      const latest = ctx.db
        .selectFrom('worker_scores as s')
        .select(['s.worker', 's.score'])
        .where(({ not, exists, selectFrom, or, and, eb }) =>
          not(
            exists(
              selectFrom('worker_scores as t')
                .select('t.worker')
                .whereRef('t.worker', '=', 's.worker')
                .where(({ eb: inner }) =>
                  or([
                    inner('t.block_number', '>', eb.ref('s.block_number')),
                    and([
                      inner('t.block_number', '=', eb.ref('s.block_number')),
                      inner('t.log_index', '>', eb.ref('s.log_index')),
                    ]),
                  ]),
                ),
            ),
          ),
        );
      const rows = await ctx.db
        .selectFrom(ctx.db.selectFrom('contributions').select('worker').distinct().as('w'))
        .leftJoin(latest.as('l'), 'l.worker', 'w.worker')
        .select(({ fn, val }) => ['w.worker', fn.coalesce('l.score', val(0)).as('score')])
        .orderBy('score', 'desc')
        .orderBy('w.worker')
        .limit(limit)
        .offset(offset)
        .execute();
      ctx.charge(rows.length);
      return rows.map((row) => ({ id: row.worker, score: Number(row.score) }));
    }) as Resolver<unknown, PageArgs>,
  },
  Worker: {
    contributions: (async (parent, args, ctx) => {
      const { limit, offset } = page(args);
      const rows = await ctx.db
        .selectFrom('contributions')
        .selectAll()
        .where('worker', '=', parent.id)
        .orderBy('block_number', 'desc')
        .orderBy('log_index', 'desc')
        .limit(limit)
        .offset(offset)
        .execute();
      ctx.charge(rows.length);
      return withOutcome(ctx, rows);
    }) as Resolver<WorkerView, PageArgs>,
  },
  Task: {
    contributions: (async (parent, args, ctx) => {
      const { limit, offset } = page(args);
      const rows = await ctx.db
        .selectFrom('contributions')
        .selectAll()
        .where('task_id', '=', parent.id)
        .orderBy('block_number')
        .orderBy('log_index')
        .limit(limit)
        .offset(offset)
        .execute();
      ctx.charge(rows.length);
      return withOutcome(ctx, rows);
    }) as Resolver<{ id: string }, PageArgs>,
    consensusValue: ((parent, _, ctx) =>
      consensusOf(ctx, parent.id).then((c) => c?.consensus_value ?? null)) as Resolver<{
      id: string;
    }>,
    winnerCounter: ((parent, _, ctx) =>
      consensusOf(ctx, parent.id).then((c) => c?.winner_counter ?? null)) as Resolver<{
      id: string;
    }>,
    revealDeadline: ((parent, _, ctx) =>
      consensusOf(ctx, parent.id).then((c) => c?.reveal_deadline ?? null)) as Resolver<{
      id: string;
    }>,
  },
  Contribution: {
    // A contribution needs an ACTIVE task, so its task is always indexed.
    task: ((parent, _, ctx) => taskById(ctx, parent.taskId)) as Resolver<{ taskId: string }>,
  },
};

/** The task's last consensus change (reached, or reopened with nulls); undefined when none. */
async function consensusOf(ctx: ResolverContext, taskId: string) {
  ctx.charge(1);
  return ctx.db
    .selectFrom('task_consensus')
    .selectAll()
    .where('task_id', '=', taskId)
    .orderBy('block_number', 'desc')
    .orderBy('log_index', 'desc')
    .executeTakeFirst();
}
