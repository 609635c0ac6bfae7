import type { Writable } from 'node:stream';
import { CompiledQuery, type Kysely, type QueryResult } from 'kysely';
import type pg from 'pg';
import { CopyRequest } from './bulk.js';
import type { DB } from './database.js';
import { MAX_BIND_PARAMETERS, nameStatement, statementNameOf } from './prepared.js';

/**
 * What a PostgreSQL connection does with the hot paths' statements, under Kysely.
 *
 * Placing an order is a dozen small statements, and each was a round trip: a write to the server's socket, the
 * server woken, an answer read back, and only then the next. On this machine's two cores every such wake-up also
 * took the core from the node. So, on each pooled connection:
 * - the connection is pipelined (pg's `pipeline` mode): a statement is written without waiting for the answer
 *   to the last, and the answers are matched in order. What is sent in one turn of the event loop leaves in one
 *   write. A transaction's `begin` is not waited for: it leaves with the first statement, which carries its
 *   failure. Kysely still runs a transaction's own statements one at a time; the transaction's
 *   `PipelinedConnection` (`trx.pipeline`) lets the hot paths send statements that do not depend on each other
 *   at once (an order's reads, the stock lines it takes), which then cost one round trip;
 * - the prepared hot-path texts (prepared.ts) run as named statements: parsed and planned once per connection;
 * - inside a transaction, the plain inserts of `insertRows` (whose answer nobody reads) wait, and go to the server
 *   as one statement — one multi-row insert per table, joined as `with i1 as (insert …), … insert …` — right
 *   before the transaction's next statement, or its commit. They run as they would have, in the same
 *   transaction, before anything after them; foreign keys are checked at the end of that statement, so their
 *   order among themselves does not matter. A failing insert fails the statement that carries it: the caller's
 *   next statement, or the commit, rejects with the insert's own error (its code intact: a unique violation is
 *   still one), and the transaction is rolled back. A rollback drops what waits;
 * - a CopyRequest (bulk.ts) in place of a statement's values runs its text as a COPY on the connection.
 */
export function tuneClient(client: pg.PoolClient): void {
  const send = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
  const stream = (client as unknown as { connection: { stream: Writable } }).connection.stream;
  let inTransaction = false;
  let waiting: { text: string; values: unknown[] }[] = [];
  let waitingTables = new Set<string>();
  let waitingValues = 0;
  /** A statement sent whose answer nobody awaits (a transaction's `begin`): the next answer carries its failure. */
  let unanswered: Promise<unknown> | undefined;
  /** The last statement sent: a COPY waits for it, as it runs alone on the connection. */
  let lastSent: Promise<unknown> = Promise.resolve();
  let corked = false;
  let connection: PipelinedConnection | undefined;

  /**
   * Sends one statement. The connection is pipelined: pg writes each statement at once and matches the answers
   * in order. What is sent in one turn of the event loop leaves in one write, uncorked when the turn ends.
   */
  const write = (...args: unknown[]) => {
    if (!corked) {
      corked = true;
      stream.cork();
      process.nextTick(() => {
        corked = false;
        stream.uncork();
      });
    }
    const answer = send(...args);
    if (answer instanceof Promise) lastSent = answer.catch(() => {});
    return answer;
  };

  const run = (text: string, values: unknown[], rest: unknown[]) => {
    const name = statementNameOf(text);
    return name === undefined ? write(text, values, ...rest) : write({ name, text, values }, ...rest);
  };

  /**
   * Sends what waits, as one statement, and takes the failure of an unanswered statement; the answer is the
   * promise the next statement's answer waits on first.
   */
  const flush = (): Promise<unknown> | undefined => {
    let before = unanswered;
    unanswered = undefined;
    if (waiting.length > 0) {
      const batch = waiting;
      waiting = [];
      waitingTables = new Set();
      waitingValues = 0;
      let sent: Promise<unknown>;
      if (batch.length === 1) sent = run(batch[0]!.text, batch[0]!.values, []);
      else {
        const { text, values } = combineInserts(batch);
        // One order's rows combine into a statement that repeats: named, it is planned once. The large ones of a
        // shared transaction rarely repeat and would only fill the server's memory.
        if (values.length <= NAMED_COMBINATION_VALUES) nameStatement(text);
        sent = run(text, values, []);
      }
      before = before ? after(before, sent) : sent;
    }
    return before;
  };

  const end = () => {
    inTransaction = false;
    connection?.end();
    connection = undefined;
  };

  (client as { query: unknown }).query = (text: unknown, ...rest: unknown[]) => {
    if (text === THIS_CONNECTION) {
      // Asked by a transaction for its own connection (see withPipeline); outside one there is none.
      return Promise.resolve({ command: null, rowCount: 0, rows: connection ? [connection] : [] });
    }
    const request = Array.isArray(rest[0]) ? rest[0][0] : undefined;
    if (typeof text === 'string' && request instanceof CopyRequest) {
      // A bulk read or write (bulk.ts): pg runs a COPY only alone on a connection, so it waits for every
      // statement sent before it to be answered, and the connection stops pipelining while it runs.
      const before = flush();
      const answer = lastSent.then(async () => {
        const settings = client as { pipeline: boolean };
        settings.pipeline = false;
        try {
          return await request.run(client, text);
        } finally {
          settings.pipeline = true;
        }
      });
      lastSent = answer.catch(() => {});
      return before ? after(before, answer) : answer;
    }
    if (typeof text !== 'string' || !Array.isArray(rest[0])) {
      // A query config, a cursor, or text alone (no hot path sends these): after what waits, in order.
      const before = flush();
      const answer = write(text, ...rest);
      return before && answer instanceof Promise ? after(before, answer) : answer;
    }
    const values = rest[0] as unknown[];
    const command = text.slice(0, 17).toLowerCase();
    if (command.startsWith('begin') || command.startsWith('start transaction')) {
      // Nothing needs `begin`'s answer: it leaves with the transaction's first statement, which then carries
      // its failure. The transaction gets its own pipelined connection.
      end();
      inTransaction = true;
      connection = new PipelinedConnection(client);
      const sent = write(text, values, ...rest.slice(1));
      sent.catch(() => {});
      unanswered = unanswered ? after(unanswered, sent) : sent;
      return Promise.resolve({ command: 'BEGIN', rowCount: null, rows: [] });
    }
    if (command.startsWith('rollback') && !command.startsWith('rollback to')) {
      waiting = [];
      waitingTables = new Set();
      waitingValues = 0;
      end();
    } else if (inTransaction && rest[1] === INSERT_ONLY) {
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
    if (command.startsWith('commit')) end();
    const before = flush();
    const answer = run(text, values, rest[1] === INSERT_ONLY ? [] : rest.slice(1));
    return before ? after(before, answer) : answer;
  };
}

/**
 * Sent by `PipelinedConnection.insert` after the values: the statement is an insert whose answer nobody reads
 * (`insertRows`), which may wait for the transaction's next statement. Said by the caller, never guessed from the
 * text: the same text run through Kysely (a product's insert that skips a taken code) has its answer read.
 */
const INSERT_ONLY = Symbol('insert only');

const NAMED_COMBINATION_VALUES = 400;

/** The text a transaction sends to be given its own connection (see withPipeline); it never reaches the server. */
const THIS_CONNECTION = '-- omniloop: this connection';

/**
 * A PostgreSQL transaction's connection, for statements that need not wait for the ones before them. Kysely runs
 * a transaction's statements one after another, each once the last is answered; statements sent here go at once,
 * so those that do not depend on each other (the reads of an order, the stock lines it takes) leave together and
 * cost one round trip. The server runs them in the order sent, as before; a failing one fails those after it
 * (the transaction is aborted).
 */
export class PipelinedConnection {
  #ended = false;

  constructor(private readonly client: pg.PoolClient) {}

  async execute<R>(text: string, values: readonly unknown[]): Promise<QueryResult<R>> {
    if (this.#ended) throw new Error('This transaction has ended: its statements can no longer run');
    const { command, rowCount, rows } = (await this.client.query(
      text,
      values as unknown[],
    )) as pg.QueryResult;
    return {
      // As Kysely's own PostgreSQL connection says it.
      numAffectedRows:
        command === 'INSERT' || command === 'UPDATE' || command === 'DELETE' || command === 'MERGE'
          ? BigInt(rowCount ?? 0)
          : undefined,
      rows: (rows ?? []) as R[],
    };
  }

  /** An insert whose answer nobody reads (`insertRows`): it may leave with the transaction's next statement. */
  async insert(text: string, values: readonly unknown[]): Promise<void> {
    if (this.#ended) throw new Error('This transaction has ended: its statements can no longer run');
    await (this.client.query as (text: string, values: unknown[], marker: symbol) => Promise<unknown>)(
      text,
      values as unknown[],
      INSERT_ONLY,
    );
  }

  end(): void {
    this.#ended = true;
  }
}

/** The transaction with its pipelined connection as `pipeline` (none outside a tuned PostgreSQL connection). */
export async function withPipeline<T extends Kysely<DB>>(
  trx: T,
): Promise<T & { pipeline?: PipelinedConnection }> {
  const { rows } = await trx.executeQuery<PipelinedConnection>(CompiledQuery.raw(THIS_CONNECTION));
  return rows[0] ? Object.defineProperty(trx, 'pipeline', { value: rows[0] }) : trx;
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

/**
 * Several inserts as one statement. Inserts of one shape (table, columns, conflict clause) become one multi-row
 * insert — a shared transaction's orders write theirs as one — and the shapes are joined as `with i1 as (…) …`,
 * every `$n` placeholder numbered anew in order.
 */
export function combineInserts(batch: readonly { text: string; values: unknown[] }[]): {
  text: string;
  values: unknown[];
} {
  const shapes = new Map<string, { head: string; tail: string; width: number; values: unknown[] }>();
  for (const { text, values } of batch) {
    const at = text.indexOf(' values (');
    const conflict = text.indexOf(' on conflict ', at);
    const head = text.slice(0, at);
    const tail = conflict === -1 ? '' : text.slice(conflict);
    let shape = shapes.get(head + tail);
    if (!shape) {
      shape = { head, tail, width: values.length / countRows(text), values: [] };
      shapes.set(head + tail, shape);
    }
    for (const value of values) shape.values.push(value);
  }
  const values: unknown[] = [];
  const parts: string[] = [];
  for (const { head, tail, width, values: own } of shapes.values()) {
    const tuples: string[] = [];
    for (let row = 0; row < own.length / width; row++) {
      const placeholders: string[] = [];
      for (let column = 0; column < width; column++)
        placeholders.push(`$${values.length + row * width + column + 1}`);
      tuples.push(`(${placeholders.join(', ')})`);
    }
    parts.push(`${head} values ${tuples.join(', ')}${tail}`);
    for (const value of own) values.push(value);
  }
  const last = parts.pop()!;
  return {
    text:
      parts.length === 0
        ? last
        : `with ${parts.map((part, i) => `i${i + 1} as (${part})`).join(', ')} ${last}`,
    values,
  };
}
