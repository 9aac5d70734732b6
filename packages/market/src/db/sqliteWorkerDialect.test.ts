import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Kysely, sql } from 'kysely';
import { sqliteWorkerDialect } from './sqliteWorkerDialect.js';

type Db = { t: { id: number; name: string } };

describe('sqliteWorkerDialect', () => {
  it('runs queries and transactions in the worker; a failed transaction leaves nothing', async () => {
    const db = new Kysely<Db>({ dialect: sqliteWorkerDialect(':memory:') });
    try {
      await db.schema
        .createTable('t')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('name', 'text')
        .execute();
      const inserted = await db
        .insertInto('t')
        .values([
          { id: 1, name: 'a' },
          { id: 2, name: 'b' },
        ])
        .returning('id')
        .execute();
      assert.deepEqual(inserted, [{ id: 1 }, { id: 2 }]);
      const { numUpdatedRows } = await db
        .updateTable('t')
        .set({ name: 'c' })
        .where('id', '=', 2)
        .executeTakeFirstOrThrow();
      assert.equal(numUpdatedRows, 1n);
      await assert.rejects(
        db.transaction().execute(async (trx) => {
          await trx.insertInto('t').values({ id: 3, name: 'd' }).execute();
          await trx.insertInto('t').values({ id: 1, name: 'duplicate' }).execute();
        }),
        (error: Error & { code?: string }) =>
          error.name === 'SqliteError' && error.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' && /UNIQUE/.test(error.message),
      );
      assert.deepEqual(await db.selectFrom('t').selectAll().orderBy('id').execute(), [
        { id: 1, name: 'a' },
        { id: 2, name: 'c' },
      ]);
      // Statements are cached by SQL text: the same query again gives fresh results.
      await db.insertInto('t').values({ id: 4, name: 'e' }).execute();
      const count = await sql<{ n: number }>`select count(*) as n from t`.execute(db);
      assert.deepEqual(count.rows, [{ n: 3 }]);
    } finally {
      await db.destroy();
    }
    await assert.rejects(db.selectFrom('t').selectAll().execute());
  });

  it('error: a file that cannot be opened fails the first query with its reason', async () => {
    const db = new Kysely<Db>({ dialect: sqliteWorkerDialect('/nonexistent-confide-dir/x.sqlite') });
    await assert.rejects(db.selectFrom('t').selectAll().execute(), (error: Error) =>
      /directory does not exist|unable to open/.test(error.message),
    );
    await db.destroy();
  });
});
