/**
 * The database's fast paths, all in this folder, and the one setting that turns them off.
 *
 * Plain Kysely is correct on both engines; these make the hot write paths (placing an order, reserving stock)
 * cheaper without changing what they write or answer:
 * - `group-commit.ts` (SQLite): transactions asked for together run in one real transaction, each in its own
 *   savepoint; the batch's `WriterSession` runs prepared statements straight on the connection and writes events
 *   with their positions.
 * - `sqlite.ts`: better-sqlite3 statements cached by SQL text instead of prepared for every query.
 * - `prepared.ts`: `runPrepared` and `insertRows` compile a query's text once per shape and reuse it.
 * - `pg-pipeline.ts` (PostgreSQL): pipelined connections, the hot texts as named statements, and a transaction's
 *   plain inserts sent with its next statement.
 * - `shared-transactions.ts` (PostgreSQL): work that is safe together, asked for together, shares a transaction.
 * - `checkpointer.ts` (SQLite): the write-ahead log copied back on a worker thread.
 *
 * `OMNILOOP_FAST_PATHS=off` runs every query through plain Kysely, one transaction per call, with none of the
 * above; CI runs the whole suite once that way, which shows the fast paths change nothing but speed. It is read
 * once per process (the config refuses any value other than `on` and `off`).
 */
export const FAST_PATHS: boolean = fastPathsSetting(process.env.OMNILOOP_FAST_PATHS) === 'on';

export type FastPathsSetting = 'on' | 'off';

/** The setting's value, or undefined when it is not one (the config says what to fix). */
export function fastPathsSetting(value: string | undefined): FastPathsSetting | undefined {
  if (value === undefined || value === '' || value === 'on') return 'on';
  return value === 'off' ? 'off' : undefined;
}
