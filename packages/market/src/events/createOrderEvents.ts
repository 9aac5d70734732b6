import type { Hex } from 'viem';
import type { OrderKind } from '../../../protocol/src/index.js';
import type { OrderStatus } from '../db/schema.js';

/**
 * What happened to an order: `published` (entered the book), `updated` (its remaining volume
 * changed), `removed` (left the book: filled, cancelled, dead, or unpublished by its signer).
 */
export type OrderEvent = {
  type: 'published' | 'updated' | 'removed';
  kind: OrderKind;
  orderHash: Hex;
  /** Remaining volume, as a decimal string. */
  remaining: string;
  status: OrderStatus | 'unpublished';
};

/** A fan-out of order events to the server-sent-events streams. */
export type OrderEvents = {
  emit: (event: OrderEvent) => void;
  /** Calls `listener` for every later event; returns the function that stops it. */
  subscribe: (listener: (event: OrderEvent) => void) => () => void;
};

/**
 * Creates the in-process event fan-out shared by the routes and the chain follower.
 * @example const events = createOrderEvents(); const stop = events.subscribe(console.log)
 */
export function createOrderEvents(): OrderEvents {
  const listeners = new Set<(event: OrderEvent) => void>();
  return {
    emit: (event) => {
      for (const listener of listeners) listener(event);
    },
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
