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
  // The run's part (global-setup.ts) lets the run remove at its end whatever a test file left behind.
  const run = process.env.OMNILOOP_TEST_RUN;
  const name = `omniloop_t_${run ? `${run}_` : ''}${ulid().toLowerCase()}`;
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

/** Drops the PostgreSQL databases whose names start with `prefix` (a test run's), if the server is there. */
export async function dropDatabasesOfRun(prefix: string): Promise<void> {
  if (!/^omniloop_t_[0-9a-f]+_$/.test(prefix)) throw new Error(`Not a test run's prefix: ${prefix}`);
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  try {
    await client.connect();
  } catch {
    return; // no PostgreSQL here: a SQLite run made no databases on it
  }
  try {
    const { rows } = await client.query<{ datname: string }>(
      'select datname from pg_database where starts_with(datname, $1)',
      [prefix],
    );
    for (const { datname } of rows) await client.query(`drop database if exists ${datname} with (force)`);
  } finally {
    await client.end();
  }
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

/** Ends every server connection to a test database, as a failover or an idle-connection reaper would. */
export async function terminateConnections(target: DatabaseTarget): Promise<number> {
  if (target.engine !== 'postgres') throw new Error('Only a PostgreSQL server has connections to end');
  const name = new URL(target.url).pathname.slice(1);
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    const { rowCount } = await client.query(
      'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
      [name],
    );
    return rowCount ?? 0;
  } finally {
    await client.end();
  }
}

/** Opens or closes a test database to new connections (a maintenance window, a failover in progress). */
export async function allowConnections(target: DatabaseTarget, allow: boolean): Promise<void> {
  if (target.engine !== 'postgres') throw new Error('Only a PostgreSQL server refuses connections');
  const name = new URL(target.url).pathname.slice(1);
  await adminQuery(`alter database ${name} allow_connections ${allow}`);
}
