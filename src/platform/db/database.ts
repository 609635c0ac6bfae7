import { type Kysely, Migrator, type Transaction } from 'kysely';
import { migrations } from '../../migrations/index.js';
import type { DB } from '../../schema.js';
import type { DatabaseTarget } from '../config.js';
import type { WriterSession } from './group-commit.js';
import type { PipelinedConnection } from './pg-pipeline.js';
import { openPostgres } from './postgres.js';
import type { Gathering } from './shared-transactions.js';
import { openSqlite } from './sqlite.js';

export type Engine = 'sqlite' | 'postgres';
export type { DB };

/**
 * A transaction as services receive it. When it is a batch of SQLite's group commit, `writer` is that batch's
 * session on the database's one connection (see group-commit.ts); on PostgreSQL, `pipeline` is the transaction's
 * connection for statements sent without waiting for the ones before them (pg-pipeline.ts). The fast paths of
 * prepared.ts and the outbox use them, and nothing else needs to know.
 */
export type Trx = Transaction<DB> & {
  readonly writer?: WriterSession;
  readonly pipeline?: PipelinedConnection;
  /** In a transaction of shared work (shared-transactions.ts): where its works take their stock locks together. */
  readonly gathering?: Gathering;
};

/** What queries run on: the node's Kysely instance or a transaction. */
export type Queryable = Kysely<DB> & {
  readonly writer?: WriterSession;
  readonly pipeline?: PipelinedConnection;
  readonly gathering?: Gathering;
};

/**
 * The system of record. `transaction()` is the one way services write: it runs the function in one
 * transaction and, after the commit, tells listeners (the event dispatcher) that new outbox rows may exist.
 */
export interface Database {
  readonly engine: Engine;
  readonly db: Kysely<DB>;
  /**
   * Its commits write their events with their positions already (SQLite's group commit): the dispatcher need
   * not look for unplaced events after each commit, only now and then for one written some other way.
   */
  readonly placesEventsOnCommit: boolean;
  transaction<T>(fn: (trx: Trx) => Promise<T>): Promise<T>;
  /**
   * `transaction()` for work that is safe beside other work of its kind in one transaction: it writes only
   * through statements that check what they change (conditional updates, unique indexes) and takes its stock
   * through `takeReservedStock`. On PostgreSQL, such works asked for together share one transaction and one
   * commit, and any failure runs each again alone (shared-transactions.ts); SQLite's group commit already gives
   * every transaction that, so there it is `transaction()`.
   */
  transactionShared<T>(fn: (trx: Trx) => Promise<T>): Promise<T>;
  /** Called after every commit made through `transaction()`. */
  onCommit(listener: () => void): () => void;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  poolSize?: number;
  /** SQLite files: copy the WAL back into the database on a worker thread (a serving node wants this). */
  backgroundCheckpoints?: boolean;
}

export function openDatabase(target: DatabaseTarget, options: OpenDatabaseOptions = {}): Database {
  return target.engine === 'sqlite'
    ? openSqlite(target.path, options)
    : openPostgres(target.url, options.poolSize);
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
