import type { Kysely, QueryResult } from 'kysely';
import type { DB } from '../../schema.js';
import type { Trx } from './database.js';
import type { SqliteStatements } from './sqlite.js';

interface QueuedTransaction {
  fn: (trx: Trx) => Promise<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/**
 * A group-commit batch's hold on the database. Its transaction holds the node's one connection, and is the
 * database's one writer, until it ends; so:
 * - `execute` runs SQL text on that connection straight away (better-sqlite3 is synchronous: going around
 *   Kysely's connection hand-over saves a chain of promises on every statement of the hot paths), with Kysely's
 *   result to the field;
 * - the events the batch appends are the next in the global order: `nextPosition` gives each its position as it
 *   is written, which spares the dispatcher placing them after the commit.
 * `prepared.ts` and the outbox use it through `trx.writer`.
 */
export class WriterSession {
  #position: number;
  #ended = false;

  constructor(private readonly statements: SqliteStatements) {
    this.#position = Number(statements.execute<{ top: number }>(TOP_POSITION, NO_PARAMETERS).rows[0]!.top);
  }

  execute<R>(sql: string, parameters: readonly unknown[]): QueryResult<R> {
    if (this.#ended) throw new Error('This transaction has ended: its statements can no longer run');
    return this.statements.execute<R>(sql, parameters);
  }

  nextPosition(): number {
    return ++this.#position;
  }

  end(): void {
    this.#ended = true;
  }
}

const NO_PARAMETERS: readonly unknown[] = [];
const TOP_POSITION = 'select coalesce(max(position), 0) as top from outbox_events';

/**
 * Group commit for SQLite. SQLite runs one write transaction at a time whatever we do, so transactions that are
 * asked for together run one after another inside one real transaction, each within its own savepoint: a failing
 * one is rolled back to its savepoint alone, and each caller gets its own result — but the batch pays for one
 * commit (and one round of event dispatch) instead of one per request.
 */
export function sqliteGroupCommit(db: Kysely<DB>, statements: SqliteStatements, committed: () => void) {
  const queue: QueuedTransaction[] = [];
  let flushing = false;

  async function runBatch(batch: QueuedTransaction[]): Promise<void> {
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    let trx: Awaited<ReturnType<ReturnType<typeof db.startTransaction>['execute']>> | undefined;
    let session: WriterSession | undefined;
    try {
      trx = await db.startTransaction().execute();
      session = new WriterSession(statements);
      const batchTrx: Trx = Object.defineProperty(trx, 'writer', { value: session });
      for (const item of batch) {
        statements.execute('savepoint unit', NO_PARAMETERS);
        try {
          const value = await item.fn(batchTrx);
          statements.execute('release unit', NO_PARAMETERS);
          outcomes.push({ ok: true, value });
        } catch (error) {
          // On a full disk or an I/O error SQLite ends the whole transaction itself: the savepoint is gone, every
          // unit of the batch with it, and each caller gets that error (nothing of theirs was written).
          if (!statements.inTransaction()) throw error;
          statements.execute('rollback to unit', NO_PARAMETERS);
          statements.execute('release unit', NO_PARAMETERS);
          outcomes.push({ ok: false, error });
        }
      }
      // Every event this batch wrote is placed already. One written outside any batch (a raw transaction of
      // another process) waits for the dispatcher's publish round, which looks for such events on its poll.
      session.end();
      await trx.commit().execute();
    } catch (error) {
      session?.end();
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
