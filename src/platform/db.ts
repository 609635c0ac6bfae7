import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type Transaction } from 'kysely';
import pg from 'pg';
import { migrations } from '../migrations/index.js';
import type { DB } from '../schema.js';
import type { DatabaseTarget } from './config.js';

export type Engine = 'sqlite' | 'postgres';
export type Trx = Transaction<DB>;
export type { DB };

/**
 * The system of record. `transaction()` is the one way services write: it runs the function in one
 * transaction and, after the commit, tells listeners (the event dispatcher) that new outbox rows may exist.
 */
export interface Database {
  readonly engine: Engine;
  readonly db: Kysely<DB>;
  transaction<T>(fn: (trx: Trx) => Promise<T>): Promise<T>;
  /** Called after every commit made through `transaction()`. */
  onCommit(listener: () => void): () => void;
  close(): Promise<void>;
}

// int8 (bigint) columns and count(*) arrive from pg as strings; every number we keep fits in 2^53, so parse
// them once here instead of in every mapper.
pg.types.setTypeParser(20, (value) => Number(value));

export interface OpenDatabaseOptions {
  poolSize?: number;
}

export function openDatabase(target: DatabaseTarget, options: OpenDatabaseOptions = {}): Database {
  const db =
    target.engine === 'sqlite' ? openSqlite(target.path) : openPostgres(target.url, options.poolSize);
  const listeners = new Set<() => void>();
  return {
    engine: target.engine,
    db,
    async transaction(fn) {
      const result = await db.transaction().execute(fn);
      for (const listener of listeners) listener();
      return result;
    },
    onCommit(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      listeners.clear();
      await db.destroy();
    },
  };
}

function openSqlite(path: string): Kysely<DB> {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SqliteDatabase(path);
  // WAL lets readers run beside the writer; NORMAL syncs at checkpoints, which survives an application crash
  // (only an OS crash may roll back the very last commits). busy_timeout covers a CLI command writing while
  // the server runs.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  return new Kysely<DB>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
}

/**
 * Kysely prepares every query anew; better-sqlite3 statements are reusable, and preparing costs as much as
 * running a small update. Caching by SQL text (bounded) takes that off every hot path.
 */
function withStatementCache(sqlite: SqliteDatabase.Database) {
  const cache = new Map<string, SqliteDatabase.Statement>();
  const limit = 500;
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      let statement = cache.get(sql);
      if (statement === undefined) {
        statement = sqlite.prepare(sql);
        if (cache.size >= limit) cache.delete(cache.keys().next().value as string);
        cache.set(sql, statement);
      }
      return statement;
    },
  };
}

function openPostgres(url: string, poolSize = Number(process.env.DATABASE_POOL_SIZE ?? 20)): Kysely<DB> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle client that errors (server restart) must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
}

/** Brings the schema up to date; safe to run on every start and from several nodes at once. */
export async function migrateToLatest(db: Kysely<DB>): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
