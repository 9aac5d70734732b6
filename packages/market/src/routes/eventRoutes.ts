import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { MarketServerError } from '../errors.js';
import type { OrderEvent, OrderEvents } from '../events/createOrderEvents.js';
import { MARKET_BOOKS, type MarketBook } from '../orders/orderSchemas.js';

/** Events a slow reader may fall behind by before its stream is closed (it can reconnect). */
const MAX_QUEUED = 10_000;

/**
 * `GET /events[?book=<book>]`: server-sent events `published`, `updated` and `removed`, each
 * with `{ kind, orderHash, remaining, status }` as JSON. A `: ready` comment opens the stream
 * once it is subscribed; a `: ping` comment every 15 s keeps proxies from closing it.
 */
export function eventRoutes(options: { events: OrderEvents; maxStreams?: number; pingMs?: number }) {
  const { events } = options;
  const maxStreams = options.maxStreams ?? 1000;
  const pingMs = options.pingMs ?? 15_000;
  let open = 0;
  const app = new Hono();
  app.get('/events', (c) => {
    const params = new URL(c.req.url).searchParams;
    for (const name of params.keys()) {
      if (name !== 'book') throw new MarketServerError('MARKET_INVALID_QUERY', `${name}: unknown parameter (book)`);
    }
    const books = params.getAll('book');
    if (books.length > 1 || (books[0] !== undefined && !(books[0] in MARKET_BOOKS))) {
      throw new MarketServerError('MARKET_INVALID_QUERY', `book: one of ${Object.keys(MARKET_BOOKS).join(', ')}`);
    }
    const kind = books[0] === undefined ? undefined : MARKET_BOOKS[books[0] as MarketBook];
    if (open >= maxStreams) {
      throw new MarketServerError('MARKET_BUSY', 'too many event streams open; retry later');
    }
    open++;
    return streamSSE(c, async (stream) => {
      const queue: OrderEvent[] = [];
      let wake: (() => void) | undefined;
      let closed = false;
      const unsubscribe = events.subscribe((event) => {
        if (kind && event.kind !== kind) return;
        if (queue.length >= MAX_QUEUED) closed = true;
        else queue.push(event);
        wake?.();
      });
      stream.onAbort(() => {
        closed = true;
        wake?.();
      });
      try {
        await stream.write(': ready\n\n');
        while (!closed) {
          const event = queue.shift();
          if (event) {
            const { type, ...data } = event;
            await stream.writeSSE({ event: type, data: JSON.stringify(data) });
            continue;
          }
          const timedOut = await new Promise<boolean>((resolve) => {
            const timer = setTimeout(() => resolve(true), pingMs);
            wake = () => {
              clearTimeout(timer);
              resolve(false);
            };
          });
          wake = undefined;
          if (timedOut && !closed) await stream.write(': ping\n\n');
        }
      } finally {
        unsubscribe();
        open--;
      }
    });
  });
  return app;
}
