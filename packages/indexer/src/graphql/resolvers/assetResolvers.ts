import { sql } from 'kysely';
import type {
  AppsTable,
  DatasetsTable,
  DatasetUpdatesTable,
  TransfersTable,
  WorkerpoolsTable,
} from '../../db/tables.js';
import { flattenSchema } from '../../schema/flattenSchema.js';
import { parseRequiredSchema } from '../../schema/parseRequiredSchema.js';
import { address, collectionId, page, seconds } from '../inputs.js';
import { positionOf, type Resolver, type ResolverContext } from './context.js';

type PageArgs = { first?: number; skip?: number };
type ProtectedDataFilter = {
  id?: string;
  owner?: string;
  requiredSchema?: unknown;
  createdAfter?: bigint;
  createdBefore?: bigint;
  collection?: string;
  inCollection?: boolean;
  effectiveOwner?: string;
  forRent?: boolean;
  forSale?: boolean;
};

const protectedData = (row: DatasetsTable & { collection_owner: string | null }) => ({
  id: row.address,
  owner: row.owner,
  effectiveOwner: row.collection_owner ?? row.owner,
  collectionId: row.collection_id,
  rentalParams: row.rental_price === null ? null : { price: row.rental_price, duration: row.rental_duration as number },
  saleParams: row.sale_price === null ? null : { price: row.sale_price },
  name: row.name,
  jsonSchema: row.schema_json ?? '',
  multiaddr: row.multiaddr,
  checksum: row.checksum,
  creationTimestamp: row.timestamp,
  ...positionOf(row),
});

const app = (row: AppsTable) => ({
  id: row.address,
  owner: row.owner,
  name: row.name,
  appType: row.app_type,
  multiaddr: row.multiaddr,
  checksum: row.checksum,
  fingerprint: row.fingerprint,
  creationTimestamp: row.timestamp,
  ...positionOf(row),
});

const workerpool = (row: WorkerpoolsTable) => ({
  id: row.address,
  owner: row.owner,
  description: row.description,
  creationTimestamp: row.timestamp,
  ...positionOf(row),
});

const transfer = (row: TransfersTable) => ({ from: row.from_address, to: row.to_address, ...positionOf(row) });

const update = (row: DatasetUpdatesTable) => ({ multiaddr: row.multiaddr, checksum: row.checksum, ...positionOf(row) });

/** Protected data, newest first, filtered; also what collections list. */
export async function protectedDatas(ctx: ResolverContext, where: ProtectedDataFilter, args: PageArgs) {
  const { limit, offset } = page(args);
  const required = where.requiredSchema == null ? [] : parseRequiredSchema(where.requiredSchema);
  let query = ctx.db
    .selectFrom('datasets')
    .leftJoin('collections', 'collections.collection_id', 'datasets.collection_id')
    .selectAll('datasets')
    .select('collections.owner as collection_owner')
    .where('datasets.schema_json', 'is not', null);
  if (where.id != null) query = query.where('datasets.address', '=', address(where.id, 'where.id'));
  if (where.owner != null) query = query.where('datasets.owner', '=', address(where.owner, 'where.owner'));
  if (where.createdAfter != null) query = query.where('datasets.timestamp', '>=', seconds(where.createdAfter));
  if (where.createdBefore != null) query = query.where('datasets.timestamp', '<', seconds(where.createdBefore));
  if (where.collection != null) {
    query = query.where('datasets.collection_id', '=', collectionId(where.collection, 'where.collection'));
  }
  if (where.inCollection != null) {
    query = query.where('datasets.collection_id', where.inCollection ? 'is not' : 'is', null);
  }
  if (where.effectiveOwner != null) {
    const owner = address(where.effectiveOwner, 'where.effectiveOwner');
    query = query.where((eb) => eb(eb.fn.coalesce('collections.owner', 'datasets.owner'), '=', owner));
  }
  if (where.forRent != null) {
    query = query.where('datasets.rental_duration', where.forRent ? 'is not' : 'is', null);
  }
  if (where.forSale != null) query = query.where('datasets.sale_price', where.forSale ? 'is not' : 'is', null);
  for (const { path, types } of required) {
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('schema_paths')
          .select(sql<number>`1`.as('one'))
          .whereRef('schema_paths.dataset', '=', 'datasets.address')
          .where('schema_paths.path', '=', path)
          .where('schema_paths.type', 'in', types),
      ),
    );
  }
  const rows = await query
    .orderBy('datasets.block_number', 'desc')
    .orderBy('datasets.log_index', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
  ctx.charge(rows.length);
  return rows.map(protectedData);
}

/** An asset's transfers, oldest first. */
export async function transfers(ctx: ResolverContext, registry: TransfersTable['registry'], asset: string) {
  const rows = await ctx.db
    .selectFrom('transfers')
    .selectAll()
    .where('registry', '=', registry)
    .where('asset', '=', asset)
    .orderBy('block_number')
    .orderBy('log_index')
    .execute();
  ctx.charge(rows.length);
  return rows.map(transfer);
}

/** A dataset's updates, oldest first. */
async function updates(ctx: ResolverContext, dataset: string) {
  const rows = await ctx.db
    .selectFrom('dataset_updates')
    .selectAll()
    .where('dataset', '=', dataset)
    .orderBy('block_number')
    .orderBy('log_index')
    .execute();
  ctx.charge(rows.length);
  return rows.map(update);
}

/** Resolvers of protected data, apps and workerpools. */
export const assetResolvers = {
  Query: {
    protectedDatas: ((_, args, ctx) => protectedDatas(ctx, args.where ?? {}, args)) as Resolver<
      unknown,
      PageArgs & { where?: ProtectedDataFilter }
    >,
    protectedData: (async (_, args, ctx) =>
      (await protectedDatas(ctx, { id: args.id }, { first: 1 }))[0] ?? null) as Resolver<unknown, { id: string }>,
    apps: (async (_, args, ctx) => {
      const { limit, offset } = page(args);
      let query = ctx.db.selectFrom('apps').selectAll();
      if (args.where?.owner != null) query = query.where('owner', '=', address(args.where.owner, 'where.owner'));
      const rows = await query
        .orderBy('block_number', 'desc')
        .orderBy('log_index', 'desc')
        .limit(limit)
        .offset(offset)
        .execute();
      ctx.charge(rows.length);
      return rows.map(app);
    }) as Resolver<unknown, PageArgs & { where?: { owner?: string } }>,
    app: (async (_, args, ctx) => {
      ctx.charge(1);
      const row = await ctx.db
        .selectFrom('apps')
        .selectAll()
        .where('address', '=', address(args.id, 'id'))
        .executeTakeFirst();
      return row ? app(row) : null;
    }) as Resolver<unknown, { id: string }>,
    workerpools: (async (_, args, ctx) => {
      const { limit, offset } = page(args);
      let query = ctx.db.selectFrom('workerpools').selectAll();
      if (args.where?.owner != null) query = query.where('owner', '=', address(args.where.owner, 'where.owner'));
      const rows = await query
        .orderBy('block_number', 'desc')
        .orderBy('log_index', 'desc')
        .limit(limit)
        .offset(offset)
        .execute();
      ctx.charge(rows.length);
      return rows.map(workerpool);
    }) as Resolver<unknown, PageArgs & { where?: { owner?: string } }>,
    workerpool: (async (_, args, ctx) => {
      ctx.charge(1);
      const row = await ctx.db
        .selectFrom('workerpools')
        .selectAll()
        .where('address', '=', address(args.id, 'id'))
        .executeTakeFirst();
      return row ? workerpool(row) : null;
    }) as Resolver<unknown, { id: string }>,
  },
  ProtectedData: {
    schema: ((parent) =>
      (flattenSchema(parent.jsonSchema) ?? []).map(({ path, type }) => ({
        id: `${path}:${type}`,
        path,
        type,
      }))) as Resolver<{
      jsonSchema: string;
    }>,
    transfers: ((parent, _, ctx) => transfers(ctx, 'dataset', parent.id)) as Resolver<{ id: string }>,
    updates: ((parent, _, ctx) => updates(ctx, parent.id)) as Resolver<{ id: string }>,
  },
  App: {
    transfers: ((parent, _, ctx) => transfers(ctx, 'app', parent.id)) as Resolver<{ id: string }>,
  },
  Workerpool: {
    transfers: ((parent, _, ctx) => transfers(ctx, 'workerpool', parent.id)) as Resolver<{ id: string }>,
  },
};
