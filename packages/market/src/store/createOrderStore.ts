import type { ExpressionBuilder, Transaction } from 'kysely';
import { type Address, type Hex, zeroAddress } from 'viem';
import type { OrderKind } from '../../../protocol/src/index.js';
import type { MarketDb } from '../db/openMarketDatabase.js';
import type { MarketDatabase, OrderStatus, OrdersTable } from '../db/schema.js';
import { fromU256Key, u256Key } from './orderRows.js';

/** Filters of a book query; each narrows the result (see `docs/market.md`). */
export type OrderFilters = {
  /** Orders of this app (app and request orders). */
  app?: Address;
  /** Orders of this dataset (dataset and request orders). */
  dataset?: Address;
  /** Workerpool orders of this pool; request orders that accept it (their `workerpool` is it or zero). */
  workerpool?: Address;
  /** Request orders of this requester. */
  requester?: Address;
  /** Orders whose restriction admits this address: the restriction is it, or zero (anyone). */
  apprestrict?: Address;
  datasetrestrict?: Address;
  workerpoolrestrict?: Address;
  requesterrestrict?: Address;
  /**
   * iExec's strict filters: with the restriction filter of the same name, only the orders
   * restricted to exactly that address, not those open to anyone. (For request orders,
   * `isWorkerpoolStrict` applies to `workerpool`.)
   */
  isAppStrict?: boolean;
  isDatasetStrict?: boolean;
  isWorkerpoolStrict?: boolean;
  isRequesterStrict?: boolean;
  category?: bigint;
  /** Orders whose tag has at least these bits. */
  minTag?: Hex;
  /** Orders whose tag has no bit outside these. */
  maxTag?: Hex;
  /** Orders with at least this remaining volume. */
  minVolume?: bigint;
  /** Workerpool orders offering at least this trust. */
  minTrust?: bigint;
  /** Request orders asking at most this trust. */
  maxTrust?: bigint;
};

type Row = Pick<
  OrdersTable,
  'order_hash' | 'chain_id' | 'kind' | 'order_json' | 'remaining' | 'status' | 'publication_timestamp' | 'signer'
>;
/** Rows per INSERT: 22 columns each, well under SQLite's 32,766 and PostgreSQL's 65,535 parameters. */
const INSERT_CHUNK = 500;

const ENTRY_COLUMNS = [
  'order_hash',
  'chain_id',
  'kind',
  'order_json',
  'remaining',
  'status',
  'publication_timestamp',
  'signer',
] as const;

/** The orders a chain event may change, with what the follower needs to judge them. */
export type WatchedOrder = Pick<OrdersTable, 'order_hash' | 'kind' | 'volume' | 'status' | 'signer' | 'order_json'>;

/** One change the follower applies. */
export type OrderChange = { orderHash: Hex; remaining: bigint; status: OrderStatus; signer?: Address };

/** The market's query layer: every read and write of orders goes through it. */
export type OrderStore = ReturnType<typeof createOrderStore>;

/**
 * Queries over the `orders`, `cursors` and `challenges` tables, written with kysely's builder
 * only (no dialect-specific SQL), so SQLite and PostgreSQL run the same code.
 * @example const store = createOrderStore(db); await store.list('AppOrder', { app }, 0, 20)
 */
export function createOrderStore(db: MarketDb) {
  // Group commit: inserts share multi-row statements (one commit, and each index page written
  // once, for hundreds of orders). One batch is written at a time; the orders that arrive
  // meanwhile make the next one, so batches grow when the database is the bottleneck.
  let pending: { row: OrdersTable; resolve: (inserted: boolean) => void; reject: (error: unknown) => void }[] = [];
  let flushing = false;
  const insertChunk = async (executor: MarketDb | Transaction<MarketDatabase>, rows: OrdersTable[]) =>
    executor
      .insertInto('orders')
      .values(rows)
      .onConflict((oc) => oc.column('order_hash').doNothing())
      .returning('order_hash')
      .execute();
  const flushInserts = async () => {
    const batch = pending;
    pending = [];
    flushing = true;
    const unique = [...new Map(batch.map((p) => [p.row.order_hash, p.row])).values()];
    try {
      const inserted = new Set<string>();
      // One statement is atomic by itself; more share a transaction.
      if (unique.length <= INSERT_CHUNK) {
        for (const { order_hash } of await insertChunk(db, unique)) inserted.add(order_hash);
      } else {
        await db.transaction().execute(async (trx) => {
          for (let i = 0; i < unique.length; i += INSERT_CHUNK) {
            const rows = await insertChunk(trx, unique.slice(i, i + INSERT_CHUNK));
            for (const { order_hash } of rows) inserted.add(order_hash);
          }
        });
      }
      // Two publications of one order in the same batch: the first inserts it, the second finds it.
      for (const p of batch) p.resolve(inserted.delete(p.row.order_hash));
    } catch (error) {
      for (const p of batch) p.reject(error);
    } finally {
      flushing = false;
      if (pending.length > 0) setImmediate(flushInserts);
    }
  };

  return {
    /** Inserts a new order; `false` when one with this hash exists already. */
    insert(row: OrdersTable): Promise<boolean> {
      return new Promise((resolve, reject) => {
        if (pending.length === 0 && !flushing) setImmediate(flushInserts);
        pending.push({ row, resolve, reject });
      });
    },

    /** Re-opens an order that had left the book (e.g. dead, then its owner got the asset back). */
    async reopen(orderHash: Hex, remaining: bigint, signer: Address): Promise<void> {
      await db
        .updateTable('orders')
        .set({ status: 'open', remaining: u256Key(remaining), signer: signer.toLowerCase() })
        .where('order_hash', '=', orderHash)
        .where('status', '!=', 'open')
        .execute();
    },

    /** The order with this hash, whatever its status. */
    get(orderHash: Hex, kind?: OrderKind): Promise<Row | undefined> {
      let query = db.selectFrom('orders').select(ENTRY_COLUMNS).where('order_hash', '=', orderHash.toLowerCase());
      if (kind) query = query.where('kind', '=', kind);
      return query.executeTakeFirst();
    },

    /** One page of a kind's open orders, best price first, and how many match in all. */
    async list(kind: OrderKind, filters: OrderFilters, page: number, pageSize: number) {
      const where = (eb: ExpressionBuilder<MarketDatabase, 'orders'>) => eb.and(conditions(eb, kind, filters));
      const direction = kind === 'RequestOrder' ? 'desc' : 'asc';
      const [rows, total] = await Promise.all([
        db
          .selectFrom('orders')
          .select(ENTRY_COLUMNS)
          .where(where)
          .orderBy('price', direction)
          .orderBy('publication_timestamp', 'asc')
          .orderBy('order_hash', 'asc')
          .limit(pageSize)
          .offset(page * pageSize)
          .execute(),
        db
          .selectFrom('orders')
          .select((eb) => eb.fn.countAll<string | number | bigint>().as('count'))
          .where(where)
          .executeTakeFirstOrThrow(),
      ]);
      return { rows, count: Number(total.count) };
    },

    /** The open orders among `orderHashes`. */
    watched(orderHashes: readonly Hex[]): Promise<WatchedOrder[]> {
      if (orderHashes.length === 0) return Promise.resolve([]);
      return db
        .selectFrom('orders')
        .select(['order_hash', 'kind', 'volume', 'status', 'signer', 'order_json'])
        .where(
          'order_hash',
          'in',
          orderHashes.map((h) => h.toLowerCase()),
        )
        .where('status', '=', 'open')
        .execute();
    },

    /** The open orders of `kind` on `asset` that `signer` answers for. */
    ofAssetAndSigner(kind: Exclude<OrderKind, 'RequestOrder'>, asset: Address, signer: Address) {
      const column = ({ AppOrder: 'app', DatasetOrder: 'dataset', WorkerpoolOrder: 'workerpool' } as const)[kind];
      return db
        .selectFrom('orders')
        .select(['order_hash', 'kind', 'volume', 'status', 'signer', 'order_json'])
        .where('kind', '=', kind)
        .where(column, '=', asset.toLowerCase())
        .where('signer', '=', signer.toLowerCase())
        .where('status', '=', 'open')
        .execute();
    },

    /** Applies changes and, for the follower, moves its cursor in the same transaction. */
    async apply(changes: readonly OrderChange[], cursor?: { name: string; block: bigint }): Promise<void> {
      await db.transaction().execute(async (trx) => {
        for (const change of changes) {
          await trx
            .updateTable('orders')
            .set({
              remaining: u256Key(change.remaining),
              status: change.status,
              ...(change.signer ? { signer: change.signer.toLowerCase() } : {}),
            })
            .where('order_hash', '=', change.orderHash.toLowerCase())
            .execute();
        }
        if (cursor) await setCursor(trx, cursor.name, cursor.block);
      });
    },

    /** Removes a signer's orders (unpublish): one, or all of a kind (on one asset); returns them. */
    async remove(
      kind: OrderKind,
      signer: Address,
      target: { orderHash: Hex } | { asset?: Address },
    ): Promise<{ orderHash: Hex; remaining: string }[]> {
      return db.transaction().execute(async (trx) => {
        let query = trx
          .selectFrom('orders')
          .select(['order_hash', 'remaining'])
          .where('kind', '=', kind)
          .where('signer', '=', signer.toLowerCase());
        // One order goes whatever its status; "all" means all those still in the book.
        if ('orderHash' in target) query = query.where('order_hash', '=', target.orderHash.toLowerCase());
        else query = query.where('status', '=', 'open');
        if (!('orderHash' in target) && target.asset) {
          const column = kind === 'RequestOrder' ? 'app' : assetColumn(kind);
          query = query.where(column, '=', target.asset.toLowerCase());
        }
        const rows = await query.execute();
        const hashes = rows.map((r) => r.order_hash);
        for (let i = 0; i < hashes.length; i += 500) {
          await trx
            .deleteFrom('orders')
            .where('order_hash', 'in', hashes.slice(i, i + 500))
            .execute();
        }
        return rows.map((r) => ({ orderHash: r.order_hash as Hex, remaining: fromU256Key(r.remaining).toString() }));
      });
    },

    /** The follower's last applied block, or `undefined` before its first range. */
    async cursor(name: string): Promise<bigint | undefined> {
      const row = await db.selectFrom('cursors').select('block').where('name', '=', name).executeTakeFirst();
      return row ? BigInt(row.block) : undefined;
    },
  };
}

function assetColumn(kind: Exclude<OrderKind, 'RequestOrder'>) {
  return ({ AppOrder: 'app', DatasetOrder: 'dataset', WorkerpoolOrder: 'workerpool' } as const)[kind];
}

async function setCursor(trx: Transaction<MarketDatabase>, name: string, block: bigint): Promise<void> {
  await trx
    .insertInto('cursors')
    .values({ name, block: block.toString() })
    .onConflict((oc) => oc.column('name').doUpdateSet({ block: block.toString() }))
    .execute();
}

const ZERO = zeroAddress.toLowerCase();

function conditions(eb: ExpressionBuilder<MarketDatabase, 'orders'>, kind: OrderKind, f: OrderFilters) {
  const list = [eb('kind', '=', kind), eb('status', '=', 'open')];
  const exact = (column: 'app' | 'dataset' | 'workerpool' | 'requester', value?: Address) => {
    if (value) list.push(eb(column, '=', value.toLowerCase()));
  };
  type RestrictColumn = 'apprestrict' | 'datasetrestrict' | 'workerpoolrestrict' | 'requesterrestrict' | 'workerpool';
  const admits = (column: RestrictColumn, value: Address | undefined, strict: boolean | undefined) => {
    if (!value) return;
    const exactly = eb(column, '=', value.toLowerCase());
    list.push(strict ? exactly : eb.or([exactly, eb(column, '=', ZERO)]));
  };
  exact('app', f.app);
  exact('dataset', f.dataset);
  exact('requester', f.requester);
  // A request order's `workerpool` is a restriction (zero: any pool); for a workerpool order it is the pool.
  if (kind === 'RequestOrder') admits('workerpool', f.workerpool, f.isWorkerpoolStrict);
  else exact('workerpool', f.workerpool);
  admits('apprestrict', f.apprestrict, f.isAppStrict);
  admits('datasetrestrict', f.datasetrestrict, f.isDatasetStrict);
  admits('workerpoolrestrict', f.workerpoolrestrict, f.isWorkerpoolStrict);
  admits('requesterrestrict', f.requesterrestrict, f.isRequesterStrict);
  if (f.category !== undefined) list.push(eb('category', '=', u256Key(f.category)));
  if (f.minTrust !== undefined) list.push(eb('trust', '>=', u256Key(f.minTrust)));
  if (f.maxTrust !== undefined) list.push(eb('trust', '<=', u256Key(f.maxTrust)));
  if (f.minVolume !== undefined) list.push(eb('remaining', '>=', u256Key(f.minVolume)));
  const pattern = tagPattern(f.minTag, f.maxTag);
  if (pattern === null) list.push(eb.lit(false));
  else if (pattern !== undefined) list.push(eb('tag_bits', 'like', pattern));
  return list;
}

/**
 * A LIKE pattern over `tag_bits`: `1` where `minTag` has a bit, `0` where `maxTag` lacks one,
 * `_` elsewhere; `null` when no tag can satisfy both, `undefined` when neither is given.
 */
function tagPattern(minTag?: Hex, maxTag?: Hex): string | null | undefined {
  if (minTag === undefined && maxTag === undefined) return undefined;
  const min = minTag === undefined ? 0n : BigInt(minTag);
  const max = maxTag === undefined ? 2n ** 256n - 1n : BigInt(maxTag);
  if ((min & ~max) !== 0n) return null;
  let pattern = '';
  for (let bit = 0; bit < 256; bit++) {
    const mask = 1n << BigInt(bit);
    pattern += min & mask ? '1' : max & mask ? '_' : '0';
  }
  const trimmed = pattern.replace(/_+$/, '');
  return `${trimmed}%`;
}
