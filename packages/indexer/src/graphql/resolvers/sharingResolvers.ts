import { zeroAddress } from 'viem';
import type {
  CollectionsTable,
  ConsumptionSettlementsTable,
  ConsumptionsTable,
  RentalsTable,
  SalesTable,
  SubscriptionsTable,
} from '../../db/tables.js';
import { address, collectionId, page, seconds } from '../inputs.js';
import { protectedDatas, transfers } from './assetResolvers.js';
import { positionOf, type Resolver, type ResolverContext } from './context.js';
import { dealById } from './dealResolvers.js';

type PageArgs = { first?: number; skip?: number };
type RentalFilter = { renter?: string; dataset?: string; collection?: string; endAfter?: bigint };
type SubscriptionFilter = { subscriber?: string; collection?: string; endAfter?: bigint };
type SaleFilter = { buyer?: string; seller?: string; dataset?: string };
type ConsumptionFilter = { consumer?: string; dataset?: string };

/** What the hub's uint32 `uses` counter saturates at. */
const MAX_USES = 2n ** 32n - 1n;

const collection = (row: CollectionsTable) => ({
  id: row.collection_id,
  owner: row.owner,
  removed: row.owner === zeroAddress,
  creationTimestamp: row.timestamp,
  ...positionOf(row),
});

const rental = (row: RentalsTable) => ({
  dataset: row.dataset,
  collectionId: row.collection_id,
  renter: row.renter,
  endDate: row.end_date,
  price: row.price,
  payee: row.payee,
  ...positionOf(row),
});

const subscription = (row: SubscriptionsTable) => ({
  collectionId: row.collection_id,
  subscriber: row.subscriber,
  endDate: row.end_date,
  price: row.price,
  payee: row.payee,
  ...positionOf(row),
});

const sale = (row: SalesTable) => ({
  dataset: row.dataset,
  collectionId: row.collection_id,
  seller: row.seller,
  buyer: row.buyer,
  price: row.price,
  ...positionOf(row),
});

type SettlementColumns = { settled_amount: ConsumptionSettlementsTable['amount'] | null; settled_payee: string | null };

const consumption = (row: ConsumptionsTable & SettlementColumns) => ({
  dealId: row.deal_id,
  dataset: row.dataset,
  consumer: row.consumer,
  mode: row.mode,
  price: row.price,
  settled: row.settled_amount !== null,
  settledAmount: row.settled_amount,
  payee: row.settled_payee,
  ...positionOf(row),
});

async function collectionById(ctx: ResolverContext, id: string) {
  ctx.charge(1);
  const row = await ctx.db.selectFrom('collections').selectAll().where('collection_id', '=', id).executeTakeFirst();
  return row ? collection(row) : null;
}

async function rentals(ctx: ResolverContext, where: RentalFilter, args: PageArgs) {
  const { limit, offset } = page(args);
  let query = ctx.db.selectFrom('rentals').selectAll();
  if (where.renter != null) query = query.where('renter', '=', address(where.renter, 'where.renter'));
  if (where.dataset != null) query = query.where('dataset', '=', address(where.dataset, 'where.dataset'));
  if (where.collection != null) {
    query = query.where('collection_id', '=', collectionId(where.collection, 'where.collection'));
  }
  if (where.endAfter != null) query = query.where('end_date', '>', seconds(where.endAfter));
  const rows = await query
    .orderBy('block_number', 'desc')
    .orderBy('log_index', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
  ctx.charge(rows.length);
  return rows.map(rental);
}

async function subscriptions(ctx: ResolverContext, where: SubscriptionFilter, args: PageArgs) {
  const { limit, offset } = page(args);
  let query = ctx.db.selectFrom('subscriptions').selectAll();
  if (where.subscriber != null) {
    query = query.where('subscriber', '=', address(where.subscriber, 'where.subscriber'));
  }
  if (where.collection != null) {
    query = query.where('collection_id', '=', collectionId(where.collection, 'where.collection'));
  }
  if (where.endAfter != null) query = query.where('end_date', '>', seconds(where.endAfter));
  const rows = await query
    .orderBy('block_number', 'desc')
    .orderBy('log_index', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
  ctx.charge(rows.length);
  return rows.map(subscription);
}

/**
 * The policy of a protected data, replayed from its events: the last SET gives the terms, the
 * allow-lists are what joined (users: and was not revoked since); `uses` counts the tasks of the
 * deals matched on it since the first SET, as the hub does. Null if never set.
 */
async function policyOf(ctx: ResolverContext, dataset: string) {
  const events = await ctx.db
    .selectFrom('policy_events')
    .selectAll()
    .where('dataset', '=', dataset)
    .orderBy('block_number')
    .orderBy('log_index')
    .execute();
  ctx.charge(events.length);
  const sets = events.filter((e) => e.kind === 'SET');
  const [first, last] = [sets[0], sets.at(-1)];
  if (!first || !last) return null;
  const apps = new Set<string>();
  const users = new Set<string>();
  for (const e of events) {
    const account = e.account as string;
    if (e.kind === 'APP_ALLOWED') apps.add(account);
    if (e.kind === 'USER_ALLOWED' || e.kind === 'USER_REVOKED') users.delete(account);
    if (e.kind === 'USER_ALLOWED') users.add(account);
  }
  const deals = await ctx.db
    .selectFrom('deals')
    .select('volume')
    .where('dataset', '=', dataset)
    .where(({ or, and, eb }) =>
      or([
        eb('block_number', '>', first.block_number),
        and([eb('block_number', '=', first.block_number), eb('log_index', '>', first.log_index)]),
      ]),
    )
    .execute();
  ctx.charge(deals.length);
  const uses = deals.reduce((sum, d) => sum + BigInt(d.volume), 0n);
  return {
    restrictApps: last.restrict_apps === 1,
    restrictUsers: last.restrict_users === 1,
    pricePerUse: last.price_per_use,
    maxUses: last.max_uses,
    expiry: last.expiry,
    maxResultSize: last.max_result_size,
    uses: uses > MAX_USES ? MAX_USES : uses,
    allowedApps: [...apps],
    allowedUsers: [...users],
    ...positionOf(last),
  };
}

/** Sum of a decimal-string column, in bigint: prices may exceed what SQL integers hold. */
const total = (rows: readonly { amount: string }[]) => rows.reduce((sum, r) => sum + BigInt(r.amount), 0n);

/** What `account` received through DataSharing, by kind. */
async function earningsOf(ctx: ResolverContext, account: string) {
  ctx.charge(4);
  const [rentalRows, subscriptionRows, saleRows, settlementRows] = await Promise.all([
    ctx.db.selectFrom('rentals').select('price as amount').where('payee', '=', account).execute(),
    ctx.db.selectFrom('subscriptions').select('price as amount').where('payee', '=', account).execute(),
    ctx.db.selectFrom('sales').select('price as amount').where('seller', '=', account).execute(),
    ctx.db.selectFrom('consumption_settlements').select('amount').where('payee', '=', account).execute(),
  ]);
  const earnings = {
    rentals: total(rentalRows),
    subscriptions: total(subscriptionRows),
    sales: total(saleRows),
    consumptions: total(settlementRows),
  };
  return { ...earnings, total: earnings.rentals + earnings.subscriptions + earnings.sales + earnings.consumptions };
}

const protectedDataById = async (ctx: ResolverContext, id: string) =>
  (await protectedDatas(ctx, { id }, { first: 1 }))[0] ?? null;

/** Resolvers of DataSharing (collections, rentals, subscriptions, sales, consumptions, earnings) and policies. */
export const sharingResolvers = {
  Query: {
    collections: (async (_, args, ctx) => {
      const { limit, offset } = page(args);
      let query = ctx.db.selectFrom('collections').selectAll().where('owner', '!=', zeroAddress);
      if (args.where?.owner != null) query = query.where('owner', '=', address(args.where.owner, 'where.owner'));
      const rows = await query
        .orderBy('block_number', 'desc')
        .orderBy('log_index', 'desc')
        .limit(limit)
        .offset(offset)
        .execute();
      ctx.charge(rows.length);
      return rows.map(collection);
    }) as Resolver<unknown, PageArgs & { where?: { owner?: string } }>,
    collection: ((_, args, ctx) => collectionById(ctx, collectionId(args.id, 'id'))) as Resolver<
      unknown,
      { id: string }
    >,
    rentals: ((_, args, ctx) => rentals(ctx, args.where ?? {}, args)) as Resolver<
      unknown,
      PageArgs & { where?: RentalFilter }
    >,
    subscriptions: ((_, args, ctx) => subscriptions(ctx, args.where ?? {}, args)) as Resolver<
      unknown,
      PageArgs & { where?: SubscriptionFilter }
    >,
    sales: (async (_, args, ctx) => {
      const { limit, offset } = page(args);
      const where = args.where ?? {};
      let query = ctx.db.selectFrom('sales').selectAll();
      for (const field of ['buyer', 'seller', 'dataset'] as const) {
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
      return rows.map(sale);
    }) as Resolver<unknown, PageArgs & { where?: SaleFilter }>,
    consumptions: (async (_, args, ctx) => {
      const { limit, offset } = page(args);
      const where = args.where ?? {};
      // A deal is settled at most once (settling forgets it), so the join adds no rows.
      let query = ctx.db
        .selectFrom('consumptions as c')
        .leftJoin('consumption_settlements as s', 's.deal_id', 'c.deal_id')
        .selectAll('c')
        .select(['s.amount as settled_amount', 's.payee as settled_payee']);
      if (where.consumer != null) query = query.where('c.consumer', '=', address(where.consumer, 'where.consumer'));
      if (where.dataset != null) query = query.where('c.dataset', '=', address(where.dataset, 'where.dataset'));
      const rows = await query
        .orderBy('c.block_number', 'desc')
        .orderBy('c.log_index', 'desc')
        .limit(limit)
        .offset(offset)
        .execute();
      ctx.charge(rows.length);
      return rows.map(consumption);
    }) as Resolver<unknown, PageArgs & { where?: ConsumptionFilter }>,
    account: ((_, args) => ({ id: address(args.id, 'id') })) as Resolver<unknown, { id: string }>,
  },
  Account: {
    earnings: ((parent, _, ctx) => earningsOf(ctx, parent.id)) as Resolver<{ id: string }>,
  },
  Collection: {
    subscriptionParams: (async (parent, _, ctx) => {
      ctx.charge(1);
      const last = await ctx.db
        .selectFrom('sharing_events')
        .select(['price', 'duration'])
        .where('collection_id', '=', parent.id)
        .where('kind', '=', 'SUBSCRIPTION_PARAMS')
        .orderBy('block_number', 'desc')
        .orderBy('log_index', 'desc')
        .executeTakeFirst();
      // A zero duration stops offering subscriptions.
      return last?.duration ? { price: last.price, duration: last.duration } : null;
    }) as Resolver<{ id: string }>,
    protectedDatas: ((parent, args, ctx) => protectedDatas(ctx, { collection: parent.id }, args)) as Resolver<
      { id: string },
      PageArgs
    >,
    subscriptions: ((parent, args, ctx) => subscriptions(ctx, { collection: parent.id }, args)) as Resolver<
      { id: string },
      PageArgs
    >,
    transfers: ((parent, _, ctx) => transfers(ctx, 'collection', parent.id)) as Resolver<{ id: string }>,
  },
  ProtectedData: {
    collection: ((parent, _, ctx) =>
      parent.collectionId === null ? null : collectionById(ctx, parent.collectionId)) as Resolver<{
      collectionId: string | null;
    }>,
    policy: ((parent, _, ctx) => policyOf(ctx, parent.id)) as Resolver<{ id: string }>,
    rentals: ((parent, args, ctx) => rentals(ctx, { dataset: parent.id }, args)) as Resolver<{ id: string }, PageArgs>,
  },
  Rental: {
    collection: ((parent, _, ctx) => collectionById(ctx, parent.collectionId)) as Resolver<{ collectionId: string }>,
    protectedData: ((parent, _, ctx) => protectedDataById(ctx, parent.dataset)) as Resolver<{ dataset: string }>,
  },
  Subscription: {
    collection: ((parent, _, ctx) => collectionById(ctx, parent.collectionId)) as Resolver<{ collectionId: string }>,
  },
  Sale: {
    collection: ((parent, _, ctx) => collectionById(ctx, parent.collectionId)) as Resolver<{ collectionId: string }>,
    protectedData: ((parent, _, ctx) => protectedDataById(ctx, parent.dataset)) as Resolver<{ dataset: string }>,
  },
  Consumption: {
    deal: ((parent, _, ctx) => dealById(ctx, parent.dealId)) as Resolver<{ dealId: string }>,
  },
};
