import { sql } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, ENGINE, type TestDatabase } from '../../../test/helpers/database.js';
import { createRuntime } from '../../runtime.js';
import { loadConfig } from '../config.js';
import { type Database, migrateToLatest, openDatabase, plannerStatistics } from './index.js';

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

it.runIf(ENGINE === 'sqlite')(
  'a node says at start that its SQLite file holds planner statistics, which OmniLoop runs without',
  async () => {
    const file = await createTestDatabase('sqlite');
    const path = file.target.engine === 'sqlite' ? file.target.path : '';
    const config = loadConfig({
      db: path,
      env: { OMNILOOP_SECRET: 'settings-test-secret-0123456789abcdef' },
    });
    const warnings: { msg: string; tables?: string[] }[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => warnings.push(JSON.parse(line)) });
    try {
      await (await createRuntime(config, { logger })).close();
      expect(warnings).toEqual([]);
      const analysed = openDatabase(file.target);
      await migrateToLatest(analysed.db);
      // What someone running ANALYZE on the file by hand leaves (an indexed table with rows is enough).
      await sql`create table planner_probe (code text primary key)`.execute(analysed.db);
      await sql`insert into planner_probe (code) values ('a'), ('b')`.execute(analysed.db);
      await sql`analyze`.execute(analysed.db);
      expect(await plannerStatistics(analysed.db)).toEqual(['sqlite_stat1', 'sqlite_stat4']);
      await analysed.close();
      await (await createRuntime(config, { logger })).close();
      expect(warnings).toEqual([
        expect.objectContaining({
          tables: ['sqlite_stat1', 'sqlite_stat4'],
          msg: expect.stringContaining('README'),
        }),
      ]);
    } finally {
      await file.drop();
    }
  },
);

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
