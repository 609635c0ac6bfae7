import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, type QueryResult, SqliteDialect, sql } from 'kysely';
import type { DB } from '../../schema.js';
import { startBackgroundCheckpoints } from './checkpointer.js';
import type { Database, OpenDatabaseOptions } from './database.js';
import { FAST_PATHS } from './fast-paths.js';
import { sqliteGroupCommit } from './group-commit.js';
import { commitListeners, kyselyTransactions } from './transactions.js';

/** How much of the database file reads may map (SQLite's build caps it at 2 GiB). */
const SQLITE_MMAP_BYTES = 1 << 30;

/** About 32 MB of log at SQLite's 4 KiB pages. */
export const WRITER_CHECKPOINT_PAGES = 8000;

export function openSqlite(path: string, options: OpenDatabaseOptions): Database {
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
  // Reads map the file instead of copying each page through a read() into SQLite's own 16 MB cache: a count over a
  // million members (segments) reads the traits of some 28,000 scattered members, and took 2.7 times as long
  // copied. The mapping is an upper bound (the file's size, as it grows); its pages are the OS's file cache, shared
  // with the checkpoint worker, not memory of this process's own.
  sqlite.pragma(`mmap_size = ${SQLITE_MMAP_BYTES}`);
  if (!FAST_PATHS) {
    return kyselyTransactions('sqlite', new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite }) }));
  }

  const statements = withStatementCache(sqlite);
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: statements }) });
  const listeners = commitListeners();
  const checkpoints =
    path !== ':memory:' && options.backgroundCheckpoints === true
      ? startBackgroundCheckpoints(path, { writerPages: WRITER_CHECKPOINT_PAGES })
      : undefined;
  // The writer's own checkpoint syncs the log and the database file (two fsyncs) on the thread that serves
  // requests, every 1,000 pages by default. With the worker copying pages back, it is needed only to let the log
  // start over (the worker never catches up with a writer that commits without pause, and stands aside at this
  // size for the writer's to run): every WRITER_CHECKPOINT_PAGES pages is often enough, and the log stays
  // bounded at about that size.
  if (checkpoints) {
    sqlite.pragma(`wal_autocheckpoint = ${WRITER_CHECKPOINT_PAGES}`);
    // When the log starts over, its file is cut back to that size: its size then tells the worker where it is.
    const pageSize = Number(sqlite.pragma('page_size', { simple: true }));
    sqlite.pragma(`journal_size_limit = ${WRITER_CHECKPOINT_PAGES * pageSize}`);
  }
  const transaction = sqliteGroupCommit(db, statements, listeners.notify);
  return {
    engine: 'sqlite',
    db,
    placesEventsOnCommit: true,
    transaction,
    transactionShared: transaction,
    onCommit: listeners.add,
    async close() {
      listeners.clear();
      await checkpoints?.stop();
      await db.destroy();
    },
  };
}

/**
 * The planner statistics an `ANALYZE` left in a SQLite file (`sqlite_stat1`, `sqlite_stat4`). OmniLoop runs SQLite
 * without them — its statements are written for the planner's defaults — and a node says so at start when it finds
 * them: with STAT4's samples SQLite plans a statement again whenever a value bound against a sampled index changes
 * (3.6 times the cost of reading one member against ten segments), and with the summary alone it chose a plan for
 * a segment count over a million members twelve times slower.
 */
export async function plannerStatistics(db: Kysely<DB>): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`select name from sqlite_master
    where type = 'table' and name like 'sqlite_stat%' order by name`.execute(db);
  return rows.map((r) => r.name);
}

export type SqliteStatements = ReturnType<typeof withStatementCache>;

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
    inTransaction: () => sqlite.inTransaction,
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
