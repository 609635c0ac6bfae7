import type pg from 'pg';
import { CopyRequest } from './bulk.js';
import { isInsertOnly, MAX_BIND_PARAMETERS, nameStatement, statementNameOf } from './prepared.js';

/**
 * What a PostgreSQL connection does with the hot paths' statements, under Kysely.
 *
 * Placing an order is a dozen small statements, and each is a round trip: a write to the server's socket, the
 * server woken, an answer read back. Profiles of a node placing orders on PostgreSQL showed most of its time in
 * those socket writes. So, on each pooled connection:
 * - the prepared hot-path texts (prepared.ts) run as named statements: parsed and planned once per connection;
 * - inside a transaction, the plain inserts of `insertRows` (whose answer nobody reads) wait, and go to the server
 *   as one statement — `with i1 as (insert …), i2 as (insert …) insert …` — right before the transaction's next
 *   statement, or its commit. They run as they would have, in the same transaction, before anything after them;
 *   foreign keys are checked at the end of that statement, so their order among themselves does not matter. A
 *   failing insert fails the statement that carries it: the caller's next statement, or the commit, rejects with
 *   the insert's own error (its code intact: a unique violation is still one), and the transaction is rolled back.
 *   A rollback drops what waits;
 * - a CopyRequest (bulk.ts) in place of a statement's values runs its text as a COPY on the connection.
 */
export function tuneClient(client: pg.PoolClient): void {
  const send = client.query.bind(client) as (...args: unknown[]) => unknown;
  let inTransaction = false;
  let waiting: { text: string; values: unknown[] }[] = [];
  let waitingTables = new Set<string>();
  let waitingValues = 0;

  const run = (text: string, values: unknown[], rest: unknown[]) => {
    const name = statementNameOf(text);
    return name === undefined ? send(text, values, ...rest) : send({ name, text, values }, ...rest);
  };

  /** Sends what waits, as one statement; its answer is the promise the next statement waits on first. */
  const flush = (): Promise<unknown> | undefined => {
    if (waiting.length === 0) return undefined;
    const batch = waiting;
    waiting = [];
    waitingTables = new Set();
    waitingValues = 0;
    if (batch.length === 1) return run(batch[0]!.text, batch[0]!.values, []) as Promise<unknown>;
    const { text, values } = combineInserts(batch);
    nameStatement(text);
    return run(text, values, []) as Promise<unknown>;
  };

  (client as { query: unknown }).query = (text: unknown, ...rest: unknown[]) => {
    const request = Array.isArray(rest[0]) ? rest[0][0] : undefined;
    if (typeof text === 'string' && request instanceof CopyRequest) {
      // A bulk read or write (bulk.ts): COPY on this connection, after what waits.
      const before = flush();
      const answer = request.run(client, text);
      return before ? after(before, answer) : answer;
    }
    if (typeof text !== 'string' || !Array.isArray(rest[0])) {
      // A query config, a cursor, or text alone (no hot path sends these): after what waits, in order.
      const before = flush();
      const answer = send(text, ...rest);
      return before && answer instanceof Promise ? after(before, answer) : answer;
    }
    const values = rest[0] as unknown[];
    const command = text.slice(0, 16).toLowerCase();
    if (command.startsWith('begin') || command.startsWith('start transaction')) inTransaction = true;
    else if (command.startsWith('rollback') && !command.startsWith('rollback to')) {
      waiting = [];
      waitingTables = new Set();
      waitingValues = 0;
      inTransaction = false;
    } else if (inTransaction && isInsertOnly(text) && rest.length <= 1) {
      const table = tableOf(text);
      // Two inserts into one table in one statement could not see each other's rows (one snapshot): an insert
      // that skips conflicts must see the earlier one's, so it goes after it. One statement carries at most
      // PostgreSQL's bind limit of values.
      const before =
        (text.includes(' on conflict ') && waitingTables.has(table)) ||
        waitingValues + values.length > MAX_BIND_PARAMETERS
          ? flush()
          : undefined;
      waiting.push({ text, values });
      waitingTables.add(table);
      waitingValues += values.length;
      const rowCount = countRows(text);
      const answer = Promise.resolve({ command: 'INSERT', rowCount, rows: [] });
      return before ? after(before, answer) : answer;
    }
    if (command.startsWith('commit')) inTransaction = false;
    const before = flush();
    const answer = run(text, values, rest.slice(1));
    return before ? after(before, answer as Promise<unknown>) : answer;
  };
}

/** `answer`, unless what went before it failed: then that failure (the transaction is aborted anyway). */
function after(before: Promise<unknown>, answer: Promise<unknown>): Promise<unknown> {
  return before.then(
    () => answer,
    (error) => {
      answer.catch(() => {});
      throw error;
    },
  );
}

function tableOf(text: string): string {
  // `insert into "table" (…`: Kysely's text, always quoted.
  const start = text.indexOf('"');
  return text.slice(start, text.indexOf('"', start + 1) + 1);
}

/** The rows an insert's text writes (`values (…), (…)`), as its answer would have counted them. */
function countRows(text: string): number {
  return text.slice(text.indexOf(' values ')).split('), (').length;
}

/** Several inserts as one statement, their `$n` placeholders renumbered in order. */
export function combineInserts(batch: readonly { text: string; values: unknown[] }[]): {
  text: string;
  values: unknown[];
} {
  const values: unknown[] = [];
  const parts = batch.map(({ text, values: own }) => {
    const offset = values.length;
    values.push(...own);
    return offset === 0 ? text : text.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`);
  });
  const last = parts.pop()!;
  return { text: `with ${parts.map((part, i) => `i${i + 1} as (${part})`).join(', ')} ${last}`, values };
}
