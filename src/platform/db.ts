import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, type QueryResult, SqliteDialect, type Transaction } from 'kysely';
import pg from 'pg';
import { migrations } from '../migrations/index.js';
import type { DB } from '../schema.js';
import { startBackgroundCheckpoints } from './checkpointer.js';
import type { DatabaseTarget } from './config.js';
import { placeEventsAsWritten } from './events/outbox.js';
import { tuneClient } from './pg-client.js';
import { executeDirectly } from './prepared.js';

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
  /** SQLite files: copy the WAL back into the database on a worker thread (a serving node wants this). */
  backgroundCheckpoints?: boolean;
}

export function openDatabase(target: DatabaseTarget, options: OpenDatabaseOptions = {}): Database {
  const db =
    target.engine === 'sqlite' ? openSqlite(target.path) : openPostgres(target.url, options.poolSize);
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of listeners) listener();
  };
  const checkpoints =
    target.engine === 'sqlite' && target.path !== ':memory:' && options.backgroundCheckpoints === true
      ? startBackgroundCheckpoints(target.path, { writerPages: WRITER_CHECKPOINT_PAGES })
      : undefined;
  // The writer's own checkpoint syncs the log and the database file (two fsyncs) on the thread that serves
  // requests, every 1,000 pages by default. With the worker copying pages back, it is needed only to let the log
  // start over (the worker never catches up with a writer that commits without pause, and stands aside at this
  // size for the writer's to run): every WRITER_CHECKPOINT_PAGES pages is often enough, and the log stays
  // bounded at about that size.
  if (checkpoints) {
    const statements = statementsOf.get(db)!;
    statements.execute(`pragma wal_autocheckpoint = ${WRITER_CHECKPOINT_PAGES}`, NO_PARAMETERS);
    // When the log starts over, its file is cut back to that size: its size then tells the worker where it is.
    const pageSize = Number(
      statements.execute<{ page_size: number }>('pragma page_size', NO_PARAMETERS).rows[0]!.page_size,
    );
    statements.execute(`pragma journal_size_limit = ${WRITER_CHECKPOINT_PAGES * pageSize}`, NO_PARAMETERS);
  }
  const groupCommit =
    target.engine === 'sqlite' ? sqliteGroupCommit(db, statementsOf.get(db)!, notify) : undefined;
  return {
    engine: target.engine,
    db,
    async transaction(fn) {
      if (groupCommit) return groupCommit(fn);
      const result = await db.transaction().execute(fn);
      notify();
      return result;
    },
    onCommit(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      listeners.clear();
      await checkpoints?.stop();
      await db.destroy();
    },
  };
}

interface QueuedTransaction {
  fn: (trx: Trx) => Promise<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/**
 * Group commit for SQLite. SQLite runs one write transaction at a time whatever we do, so transactions that are
 * asked for together run one after another inside one real transaction, each within its own savepoint: a failing
 * one is rolled back to its savepoint alone, and each caller gets its own result — but the batch pays for one
 * commit (and one round of event dispatch) instead of one per request.
 */
function sqliteGroupCommit(db: Kysely<DB>, statements: SqliteStatements, committed: () => void) {
  const queue: QueuedTransaction[] = [];
  let flushing = false;

  async function runBatch(batch: QueuedTransaction[]): Promise<void> {
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    let trx: Awaited<ReturnType<ReturnType<typeof db.startTransaction>['execute']>> | undefined;
    let release = () => {};
    try {
      trx = await db.startTransaction().execute();
      release = holdAsTheWriter(trx, statements);
      for (const item of batch) {
        statements.execute('savepoint unit', NO_PARAMETERS);
        try {
          const value = await item.fn(trx);
          statements.execute('release unit', NO_PARAMETERS);
          outcomes.push({ ok: true, value });
        } catch (error) {
          statements.execute('rollback to unit', NO_PARAMETERS);
          statements.execute('release unit', NO_PARAMETERS);
          outcomes.push({ ok: false, error });
        }
      }
      // Every event this batch wrote is placed already. One written outside any batch (a raw transaction of
      // another process) waits for the dispatcher's publish round, which looks for such events on its poll.
      release();
      await trx.commit().execute();
    } catch (error) {
      release();
      if (trx)
        await trx
          .rollback()
          .execute()
          .catch(() => {});
      for (const item of batch) item.reject(error);
      return;
    }
    committed();
    batch.forEach((item, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    });
  }

  return function transaction<T>(fn: (trx: Trx) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      queue.push({ fn, resolve: resolve as (value: unknown) => void, reject });
      if (flushing) return;
      flushing = true;
      // Start on the next turn of the event loop, so that everything asked for in this turn joins the batch.
      setImmediate(async () => {
        try {
          while (queue.length > 0) await runBatch(queue.splice(0, 256));
        } finally {
          flushing = false;
        }
      });
    });
  };
}

/**
 * A batch's transaction holds the node's one connection, and is the database's one writer, until it ends. So its
 * prepared statements run on that connection straight away (see `executeDirectly`), and the events it appends are
 * the next in the global order: they are written with their positions. Returns the call that ends both.
 */
function holdAsTheWriter(trx: Trx, statements: SqliteStatements): () => void {
  const undirect = executeDirectly(trx, statements);
  let position = Number(statements.execute<{ top: number }>(TOP_POSITION, NO_PARAMETERS).rows[0]!.top);
  const unplace = placeEventsAsWritten(trx, () => ++position);
  return () => {
    unplace();
    undirect();
  };
}

const NO_PARAMETERS: readonly unknown[] = [];
/** About 32 MB of log at SQLite's 4 KiB pages. */
export const WRITER_CHECKPOINT_PAGES = 8000;
const TOP_POSITION = 'select coalesce(max(position), 0) as top from outbox_events';

/** The SQLite connection's statement cache, kept beside its Kysely instance for the group commit. */
const statementsOf = new WeakMap<Kysely<DB>, SqliteStatements>();

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
  // Group commit gives each transaction a savepoint; SQLite copies every page a savepoint touches into a
  // sub-journal, which would spill to a temporary file beyond 64 KiB. Kept in memory, it costs no system call.
  sqlite.pragma('temp_store = MEMORY');
  const statements = withStatementCache(sqlite);
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: statements }) });
  statementsOf.set(db, statements);
  return db;
}

type SqliteStatements = ReturnType<typeof withStatementCache>;

/**
 * Kysely prepares every query anew; better-sqlite3 statements are reusable, and preparing costs as much as
 * running a small update. Caching by SQL text (bounded) takes that off every hot path.
 */
function withStatementCache(sqlite: SqliteDatabase.Database) {
  const cache = new Map<string, SqliteDatabase.Statement>();
  // Multi-row inserts have one text per row count, so a group-committing node prepares a few thousand texts.
  const limit = 5000;
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
    /** What Kysely's SQLite connection does with a compiled query, without its promises. */
    execute<R>(sql: string, parameters: readonly unknown[]): QueryResult<R> {
      const statement = this.prepare(sql);
      if (statement.reader) return { rows: statement.all(parameters) as R[] };
      const { changes, lastInsertRowid } = statement.run(parameters);
      return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
    },
  };
}

function openPostgres(url: string, poolSize = Number(process.env.DATABASE_POOL_SIZE ?? 20)): Kysely<DB> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle client that errors (server restart) must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  // Named statements for the hot paths, and a transaction's inserts sent with its next statement (pg-client.ts).
  pool.on('connect', tuneClient);
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
}

/** Brings the schema up to date; safe to run on every start and from several nodes at once. */
export async function migrateToLatest(db: Kysely<DB>): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    // Contexts add their migrations independently; one merged with an earlier name than a migration a database
    // already ran is still applied (each migration touches only its own tables).
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
