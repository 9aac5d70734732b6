import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MarketDatabaseError, openMarketDatabase } from './openMarketDatabase.js';

describe('openMarketDatabase', () => {
  it('error: an unreachable PostgreSQL server is refused by name, its password left out', async () => {
    await assert.rejects(
      openMarketDatabase('postgres://market:hunter2@127.0.0.1:1/market'),
      (error: unknown) =>
        error instanceof MarketDatabaseError &&
        error.code === 'MARKET_DATABASE_UNAVAILABLE' &&
        error.message.includes('postgres://market:***@127.0.0.1:1/market') &&
        error.message.includes('ECONNREFUSED') &&
        !error.message.includes('hunter2'),
    );
  });

  it('error: a SQLite file in a directory that does not exist', async () => {
    await assert.rejects(
      openMarketDatabase('/nonexistent-confide-dir/market.sqlite'),
      (error: unknown) =>
        error instanceof MarketDatabaseError &&
        error.code === 'MARKET_DATABASE_UNAVAILABLE' &&
        error.message.includes('/nonexistent-confide-dir/market.sqlite'),
    );
  });
});
