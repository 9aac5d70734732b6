import type { OrderKind } from '../../../protocol/src/index.js';

/** Where an order stands: in the book (`open`), or out of it and why. */
export type OrderStatus = 'open' | 'filled' | 'cancelled' | 'dead';

/**
 * One published order. Addresses are lowercase; every uint256 is stored as `u256Key` text (digit
 * count, then digits), so that text comparison and ordering are numeric on SQLite and PostgreSQL.
 */
export type OrdersTable = {
  order_hash: string;
  kind: OrderKind;
  chain_id: number;
  app: string | null;
  dataset: string | null;
  workerpool: string | null;
  requester: string | null;
  apprestrict: string | null;
  datasetrestrict: string | null;
  workerpoolrestrict: string | null;
  requesterrestrict: string | null;
  /** The asset's price; for request orders the workerpool max price (what the book is sorted by). */
  price: string;
  volume: string;
  remaining: string;
  tag: string;
  /** The tag as 256 characters `0`/`1`, bit 0 first: tag filters are LIKE patterns on it. */
  tag_bits: string;
  category: string | null;
  trust: string | null;
  /** Who answers for the order: the asset owner (or requester) it was accepted for, lowercase. */
  signer: string;
  status: OrderStatus;
  /** ISO 8601 with milliseconds: sorts as text. */
  publication_timestamp: string;
  /** The signed order as published, bigints as decimal strings. */
  order_json: string;
};

/** How far the chain follower has applied events, per hub. */
export type CursorsTable = {
  name: string;
  /** Last applied block, as a decimal string. */
  block: string;
};

/** Single-use challenges for unpublishing. */
export type ChallengesTable = {
  challenge: string;
  address: string;
  /** Unix seconds. */
  expires_at: number;
};

/** The market's database, as kysely sees it. */
export type MarketDatabase = {
  orders: OrdersTable;
  cursors: CursorsTable;
  challenges: ChallengesTable;
};
