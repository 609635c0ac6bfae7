import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, ENGINE, type TestDatabase } from '../../../test/helpers/database.js';
import { type Database, openDatabase } from './index.js';

// What a node's connections are opened with, beyond the engines' defaults (sqlite.ts, postgres.ts say why).

let testDb: TestDatabase;
let database: Database;
beforeAll(async () => {
  testDb = await createTestDatabase();
  database = openDatabase(testDb.target);
});
afterAll(async () => {
  await database.close();
  await testDb.drop();
});

it.runIf(ENGINE === 'sqlite')('SQLite reads through a mapping of the file, up to 1 GiB', async () => {
  const { rows } = await sql<{ mmap_size: number }>`pragma mmap_size`.execute(database.db);
  expect(Number(rows[0]?.mmap_size)).toBe(2 ** 30);
});

it.runIf(ENGINE === 'postgres')(
  'PostgreSQL compiles no statement just in time (a startup option of every pooled connection)',
  async () => {
    const answers = await Promise.all(
      Array.from({ length: 4 }, () =>
        database.transaction(async (trx) => (await sql<{ jit: string }>`show jit`.execute(trx)).rows[0]?.jit),
      ),
    );
    expect(answers).toEqual(['off', 'off', 'off', 'off']);
  },
);
