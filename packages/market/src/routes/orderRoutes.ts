import { type Context, Hono } from 'hono';
import { type Hex, zeroAddress, zeroHash } from 'viem';
import { z } from 'zod';
import type { OrderKind } from '../../../protocol/src/index.js';
import type { UnpublishAuth } from '../auth/unpublishAuth.js';
import type { Market } from '../createMarket.js';
import { MarketServerError } from '../errors.js';
import { ingestOrder } from '../ingest/ingestOrder.js';
import { address, bytes32, MARKET_BOOKS, type MarketBook } from '../orders/orderSchemas.js';
import { orderEntry } from '../store/orderRows.js';
import { parseBookQuery } from './parseBookQuery.js';

const publishBody = z.object({ order: z.unknown().refine((v) => v !== undefined, 'is required') });
const unpublishBody = z.discriminatedUnion('target', [
  z.strictObject({
    target: z.literal('orderHash'),
    orderHash: bytes32,
    challenge: bytes32,
    signature: z.string().regex(/^0x([0-9a-fA-F]{2}){1,2048}$/, 'must be 0x-hex bytes'),
  }),
  z.strictObject({
    target: z.literal('all'),
    asset: address.optional(),
    challenge: bytes32,
    signature: z.string().regex(/^0x([0-9a-fA-F]{2}){1,2048}$/, 'must be 0x-hex bytes'),
  }),
]);

/** Largest request body: a request order with long `params` fits with room to spare. */
const MAX_BODY_BYTES = 64 * 1024;

/**
 * Reads the body as JSON, at most {@link MAX_BODY_BYTES} (MARKET_BODY_TOO_LARGE), or refuses it
 * with `code`. A body without content-length is counted as it streams in, and not copied into a
 * second Request as hono's bodyLimit middleware does (that copy was ~12 % of the ingest CPU in
 * `bench:market`, whose requests carry no content-length).
 */
async function jsonBody(c: Context, code: 'MARKET_INVALID_ORDER' | 'MARKET_INVALID_INPUT'): Promise<unknown> {
  try {
    return JSON.parse(await boundedText(c.req.raw));
  } catch (error) {
    if (error instanceof MarketServerError) throw error;
    throw new MarketServerError(code, 'the body must be JSON (content-type: application/json)');
  }
}

async function boundedText(request: Request): Promise<string> {
  const tooLarge = () =>
    new MarketServerError('MARKET_BODY_TOO_LARGE', `the body must be at most ${MAX_BODY_BYTES} bytes`);
  const body = request.body;
  if (!body) return '';
  const length = request.headers.get('content-length');
  if (length !== null && !request.headers.has('transfer-encoding')) {
    if (Number.parseInt(length, 10) > MAX_BODY_BYTES) throw tooLarge();
    return request.text();
  }
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return chunks.length === 1 ? decoder.decode(chunks[0]) : decoder.decode(Buffer.concat(chunks, size));
}

const decoder = new TextDecoder();

function parseBody<T>(
  schema: z.ZodType<T, unknown>,
  input: unknown,
  code: 'MARKET_INVALID_ORDER' | 'MARKET_INVALID_INPUT',
) {
  const result = schema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new MarketServerError(code, `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
  }
  return result.data;
}

/**
 * The four books, each with publish (`POST /<book>`), query (`GET /<book>`), one order
 * (`GET /<book>/:orderHash`) and unpublish (`PUT /<book>`).
 */
export function orderRoutes(options: {
  market: Market;
  auth: UnpublishAuth;
  log: (event: string, fields: Record<string, unknown>) => void;
}) {
  const { market, auth, log } = options;
  const app = new Hono();
  for (const [book, kind] of Object.entries(MARKET_BOOKS) as [MarketBook, OrderKind][]) {
    app.post(`/${book}`, async (c) => {
      const { order } = parseBody(publishBody, await jsonBody(c, 'MARKET_INVALID_ORDER'), 'MARKET_INVALID_ORDER');
      const result = await ingestOrder(market, kind, order);
      if (result.created) log('published', { kind, orderHash: result.orderHash, signer: result.signer });
      const published = {
        orderHash: result.orderHash,
        remaining: result.remaining.toString(),
        signer: result.signer,
        publicationTimestamp: result.publicationTimestamp,
      };
      return c.json({ published }, result.created ? 201 : 200);
    });

    app.get(`/${book}`, async (c) => {
      const { filters, page, pageSize } = parseBookQuery(kind, new URL(c.req.url).searchParams, market.chain.chainId);
      const { rows, count } = await market.store.list(kind, filters, page, pageSize);
      const orders = rows.map((row) => {
        const { kind: _kind, ...entry } = orderEntry(row);
        return entry;
      });
      const nextPage = (page + 1) * pageSize < count ? page + 1 : undefined;
      return c.json({ orders, count, ...(nextPage === undefined ? {} : { nextPage }) });
    });

    app.get(`/${book}/:orderHash`, async (c) => {
      const orderHash = c.req.param('orderHash');
      if (!/^0x[0-9a-fA-F]{64}$/.test(orderHash)) {
        throw new MarketServerError('MARKET_INVALID_QUERY', 'orderHash: must be 32 bytes as 0x + 64 hex digits');
      }
      const row = await market.store.get(orderHash as Hex, kind);
      if (!row) throw new MarketServerError('MARKET_ORDER_NOT_FOUND', `no ${kind} ${orderHash} in this market`);
      const { kind: _kind, ...entry } = orderEntry(row);
      return c.json(entry);
    });

    app.put(`/${book}`, async (c) => {
      const body = parseBody(unpublishBody, await jsonBody(c, 'MARKET_INVALID_INPUT'), 'MARKET_INVALID_INPUT');
      const orderHash = body.target === 'orderHash' ? body.orderHash : zeroHash;
      const asset = body.target === 'all' ? (body.asset ?? zeroAddress) : zeroAddress;
      const signer = await auth.verify(
        { book, target: body.target, orderHash, asset, challenge: body.challenge },
        body.signature as Hex,
      );
      if (body.target === 'orderHash') {
        const row = await market.store.get(orderHash, kind);
        if (!row) throw new MarketServerError('MARKET_ORDER_NOT_FOUND', `no ${kind} ${orderHash} in this market`);
        if (row.signer !== signer.toLowerCase()) {
          throw new MarketServerError('MARKET_NOT_OWNER', `order ${orderHash} is ${row.signer}'s, not ${signer}'s`);
        }
      }
      const removed = await market.store.remove(
        kind,
        signer,
        body.target === 'orderHash' ? { orderHash } : { asset: body.asset },
      );
      for (const { orderHash: hash, remaining } of removed) {
        market.events.emit({ type: 'removed', kind, orderHash: hash, remaining, status: 'unpublished' });
      }
      log('unpublished', { kind, signer, count: removed.length });
      return c.json({ unpublished: removed.map((r) => r.orderHash) });
    });
  }
  return app;
}
