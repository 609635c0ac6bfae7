import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { DatabaseTarget } from '../../src/platform/config.js';
import { ulid } from '../../src/platform/ids.js';

/** `npm test` runs on SQLite; `npm run test:pg` (DB=postgres) runs the same suite on PostgreSQL. */
export const ENGINE: 'sqlite' | 'postgres' = process.env.DB === 'postgres' ? 'postgres' : 'sqlite';

const PG_ADMIN_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  target: DatabaseTarget;
  /** Removes the database (PostgreSQL) or its files (SQLite). */
  drop(): Promise<void>;
}

/** A new, empty database of the engine under test, owned by one test file. */
export async function createTestDatabase(engine: 'sqlite' | 'postgres' = ENGINE): Promise<TestDatabase> {
  const name = `omniloop_t_${ulid().toLowerCase()}`;
  if (engine === 'sqlite') {
    const path = join(tmpdir(), `${name}.db`);
    return {
      target: { engine: 'sqlite', path },
      async drop() {
        for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
      },
    };
  }
  await adminQuery(`create database ${name}`);
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    target: { engine: 'postgres', url: url.toString() },
    drop: () => adminQuery(`drop database if exists ${name} with (force)`),
  };
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
