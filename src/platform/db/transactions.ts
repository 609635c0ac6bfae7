import type { Kysely } from 'kysely';
import type { Database, DB, Engine, Trx } from './database.js';
import { FAST_PATHS } from './fast-paths.js';
import { withPipeline } from './pg-pipeline.js';
import { sharedTransactions } from './shared-transactions.js';

/** The listeners of a database's `onCommit`, as both engines keep them. */
export function commitListeners() {
  const listeners = new Set<() => void>();
  return {
    notify() {
      for (const listener of listeners) listener();
    },
    add(listener: () => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    clear: () => listeners.clear(),
  };
}

/** A database whose transactions are Kysely's own, one commit each: PostgreSQL, and SQLite with the fast paths off. */
export function kyselyTransactions(engine: Engine, db: Kysely<DB>): Database {
  const listeners = commitListeners();
  const pipelined = engine === 'postgres' && FAST_PATHS;
  async function transaction<T>(fn: (trx: Trx) => Promise<T>): Promise<T> {
    // When the work fails because the database ended the transaction itself (SQLite on a full disk, a dropped
    // PostgreSQL connection), Kysely's rollback fails too and its error would hide the cause: keep the cause.
    let cause: { error: unknown } | undefined;
    const result = await db
      .transaction()
      .execute(async (trx) => {
        try {
          return await fn(pipelined ? await withPipeline(trx) : trx);
        } catch (error) {
          cause = { error };
          throw error;
        }
      })
      .catch((error: unknown) => {
        throw cause ? cause.error : error;
      });
    listeners.notify();
    return result;
  }
  return {
    engine,
    db,
    placesEventsOnCommit: false,
    transaction,
    transactionShared: pipelined ? sharedTransactions(db, transaction, listeners.notify) : transaction,
    onCommit: listeners.add,
    async close() {
      listeners.clear();
      await db.destroy();
    },
  };
}

/**
 * Reads that must agree with each other (a balance and the lots it is the sum of), as one snapshot: a read-only
 * transaction, REPEATABLE READ on PostgreSQL; on SQLite the node's one connection is held for them, so no commit
 * lands between them.
 */
export function readConsistently<T>(database: Database, fn: (trx: Trx) => Promise<T>): Promise<T> {
  const transaction = database.db.transaction();
  return (
    database.engine === 'postgres'
      ? transaction.setIsolationLevel('repeatable read').setAccessMode('read only')
      : transaction
  ).execute(fn);
}
