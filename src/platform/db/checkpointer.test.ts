import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createTestDatabase, ENGINE } from '../../../test/helpers/database.js';
import { FAST_PATHS, migrateToLatest, openDatabase, WRITER_CHECKPOINT_PAGES } from './index.js';

// SQLite only (PostgreSQL has no write-ahead log of ours to copy back), and a fast path: off with them.
describe.skipIf(ENGINE !== 'sqlite' || !FAST_PATHS)('background WAL checkpoints', () => {
  async function databaseFileGrowsAfterWrites(backgroundCheckpoints: boolean): Promise<boolean> {
    const target = await createTestDatabase('sqlite');
    const path = target.target.engine === 'sqlite' ? target.target.path : '';
    const database = openDatabase(target.target, { backgroundCheckpoints });
    try {
      await migrateToLatest(database.db);
      await sql`create table filler (id integer primary key, body blob not null)`.execute(database.db);
      // The migrations' own frames would bring the log near SQLite's threshold: start from an empty log.
      await sql`pragma wal_checkpoint(truncate)`.execute(database.db);
      const before = statSync(path).size;
      // About 200 pages: well under SQLite's own checkpoint threshold (1,000), so without the worker they stay
      // in the log and the database file does not grow.
      await database.transaction(async (trx) => {
        for (let i = 0; i < 200; i++)
          await sql`insert into filler (body) values (${Buffer.alloc(3000, i)})`.execute(trx);
      });
      for (let waited = 0; waited < 2000; waited += 50) {
        if (statSync(path).size > before) return true;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return false;
    } finally {
      await database.close();
      await target.drop();
    }
  }

  it('copies committed pages into the database file from a worker thread, and stops on close', async () => {
    expect(await databaseFileGrowsAfterWrites(true)).toBe(true);
  });

  it('lets a process that closes its database finish its work after the close', async () => {
    // The worker is unreferenced while it runs (it must not keep a process alive), but a close must still wait
    // for it: otherwise the process would end in the middle of the awaited close (exit code 13).
    const target = await createTestDatabase('sqlite');
    const path = target.target.engine === 'sqlite' ? target.target.path : '';
    const db = join(import.meta.dirname, 'index.ts');
    const script = `
      const { openDatabase } = await import(${JSON.stringify(db)});
      const database = openDatabase({ engine: 'sqlite', path: ${JSON.stringify(path)} }, { backgroundCheckpoints: true });
      await database.close();
      console.log('closed');`;
    try {
      const output = execFileSync(
        process.execPath,
        ['--import', 'tsx', '--input-type=module', '-e', script],
        {
          encoding: 'utf8',
        },
      );
      expect(output.trim()).toBe('closed');
    } finally {
      await target.drop();
    }
  });

  it('leaves them in the log without it', async () => {
    expect(await databaseFileGrowsAfterWrites(false)).toBe(false);
  });

  it('keeps the log bounded under writes without pause: the writer still lets it start over', async () => {
    const target = await createTestDatabase('sqlite');
    const path = target.target.engine === 'sqlite' ? target.target.path : '';
    const database = openDatabase(target.target, { backgroundCheckpoints: true });
    try {
      await migrateToLatest(database.db);
      await sql`create table filler (id integer primary key, body blob not null)`.execute(database.db);
      // Twice the writer's threshold, in commits of 100 pages that follow one another at once.
      const pages = WRITER_CHECKPOINT_PAGES * 2;
      for (let done = 0; done < pages; done += 100) {
        await database.transaction(async (trx) => {
          for (let i = 0; i < 100; i++)
            await sql`insert into filler (body) values (${Buffer.alloc(4000, i)})`.execute(trx);
        });
      }
      // The log started over on the way: it holds less than was written (a frame is a page and a 24-byte
      // header). It may pass the threshold by what is written while a checkpoint of the worker's ends.
      const log = statSync(`${path}-wal`).size;
      expect(log).toBeLessThan(WRITER_CHECKPOINT_PAGES * (4096 + 24) * 1.6);
      expect(log).toBeGreaterThan(0);
    } finally {
      await database.close();
      await target.drop();
    }
  });
});
