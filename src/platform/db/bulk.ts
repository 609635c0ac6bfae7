import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import { CompiledQuery, type QueryResult } from 'kysely';
import type pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import type { DB, Engine, Queryable } from './database.js';
import { FAST_PATHS } from './fast-paths.js';
import { insertValues } from './prepared.js';

/*
 * Reading and writing a whole membership's rows (an RFM run reads a million members' traits and writes a million
 * scores). Row by row, each row crossing the driver costs microseconds: an object made and each value converted,
 * and on PostgreSQL a protocol message parsed in JavaScript or an array element escaped and parsed again. Here the
 * rows cross in bulk, in the caller's transaction:
 * - PostgreSQL (with the fast paths): COPY … TO STDOUT and COPY … FROM STDIN, in the text format, on the
 *   transaction's own connection (pg-pipeline.ts runs a CopyRequest there);
 * - SQLite: JSON arrays that SQLite builds from 50,000 rows at a time, each parsed at once;
 * - otherwise (the fast paths off): the plain select, and multi-row inserts.
 */

/** A select read in bulk. COPY takes no parameters: every constant is written into `where` as a literal. */
export interface BulkSelect {
  /** Column expressions, each row's values in this order. */
  columns: readonly string[];
  /** The table (and alias) read. */
  from: string;
  /** Which of its rows, with literals only. */
  where: string;
  /** A unique text column the rows come in the order of (SQLite reads them by it, a chunk at a time). */
  key: string;
}

export type BulkValue = string | number | null;

/** Rows to write: each item's values made when its row is written. */
interface BulkRows {
  items: readonly unknown[];
  values(item: unknown): readonly BulkValue[];
}

/** What pg-pipeline.ts runs on a transaction's connection in place of a statement. */
export class CopyRequest {
  /** `rows` are written (COPY FROM); none: the rows are read (COPY TO), each made into what `read` makes of it. */
  constructor(
    readonly rows: BulkRows | null = null,
    readonly read: (values: BulkValue[]) => unknown = (values) => values,
  ) {}

  /** Runs the COPY text on the client; its answer is the rows read (COPY TO) or none (COPY FROM). */
  async run(
    client: pg.PoolClient,
    text: string,
  ): Promise<{ command: string; rowCount: number; rows: unknown[] }> {
    if (this.rows === null) {
      const rows = await readCopy(client.query(copyTo(text)), this.read);
      return { command: 'COPY', rowCount: rows.length, rows };
    }
    await pipeline(Readable.from(copyLines(this.rows)), client.query(copyFrom(text)));
    return { command: 'COPY', rowCount: this.rows.items.length, rows: [] };
  }
}

const CHUNK = 50_000;

/**
 * Every row of a select, each made by `read` from its values (numbers and text as the engine gives them back) as
 * it arrives: the values of a million rows are not all kept at once.
 */
export async function selectInBulk<T>(
  db: Queryable,
  engine: Engine,
  select: BulkSelect,
  read: (values: BulkValue[]) => T,
): Promise<T[]> {
  const columns = select.columns.join(', ');
  if (engine === 'postgres') {
    const text = `select ${columns} from ${select.from} where ${select.where} order by ${select.key}`;
    if (!FAST_PATHS) {
      const { rows } = await db.executeQuery<Record<string, BulkValue>>(CompiledQuery.raw(text, []));
      return rows.map((row) => read(Object.values(row)));
    }
    const { rows } = await db.executeQuery<T>(
      CompiledQuery.raw(`copy (${text}) to stdout`, [new CopyRequest(null, read)]),
    );
    return rows;
  }
  const rows: T[] = [];
  const chunk = `select json_group_array(json(row)) as rows, max(k) as last, count(*) as n
    from (select json_array(${columns}) as row, ${select.key} as k from ${select.from}
      where (${select.where}) and ${select.key} > ? order by ${select.key} limit ${CHUNK})`;
  let after: BulkValue = '';
  for (;;) {
    const found: QueryResult<{ rows: string; last: BulkValue; n: number }> = await db.executeQuery(
      CompiledQuery.raw(chunk, [after]),
    );
    const answer = found.rows[0]!;
    if (Number(answer.n) === 0) return rows;
    for (const row of JSON.parse(answer.rows) as BulkValue[][]) rows.push(read(row));
    after = answer.last;
  }
}

/**
 * Rows into a table: one per item, its values (in the order of `columns`) made by `values` as it is written, so
 * that the values of a million rows are not all kept at once.
 */
export async function insertInBulk<T extends keyof DB & string, I>(
  db: Queryable,
  engine: Engine,
  table: T,
  columns: readonly (keyof DB[T] & string)[],
  items: readonly I[],
  values: (item: I) => readonly BulkValue[],
): Promise<void> {
  if (items.length === 0) return;
  if (engine === 'postgres' && FAST_PATHS) {
    const rows = { items, values: values as (item: unknown) => readonly BulkValue[] };
    await db.executeQuery(
      CompiledQuery.raw(`copy ${table} (${columns.join(', ')}) from stdin`, [new CopyRequest(rows)]),
    );
    return;
  }
  for (let start = 0; start < items.length; start += CHUNK)
    await insertValues(db, table, columns, items.slice(start, start + CHUNK).map(values));
}

// COPY's text format: a row per line, values separated by tabs, NULL as \N; a backslash, tab, newline or carriage
// return inside a value is escaped with a backslash (PostgreSQL "COPY", "File Formats"). COPY TO writes those
// escapes and \b, \f, \v, and every other character as it is (UTF-8).

const ESCAPED = /[\\\t\n\r]/;
const ALL_ESCAPED = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

export function copyField(value: BulkValue): string {
  if (value === null) return '\\N';
  if (typeof value === 'number') return String(value);
  return ESCAPED.test(value) ? value.replace(ALL_ESCAPED, (c) => ESCAPES[c]!) : value;
}

/** The rows as COPY text, in pieces of a few thousand lines. */
export function* copyLines({ items, values }: BulkRows): Generator<string> {
  for (let start = 0; start < items.length; start += 5_000) {
    let text = '';
    for (let i = start; i < Math.min(items.length, start + 5_000); i++) {
      const row = values(items[i]);
      text += copyField(row[0]!);
      for (let k = 1; k < row.length; k++) text += `\t${copyField(row[k]!)}`;
      text += '\n';
    }
    yield text;
  }
}

const UNESCAPED: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

/** A value as COPY TO writes it: \N is NULL; its backslash escapes are decoded. */
export function fieldOfCopy(field: string): string | null {
  if (field === '\\N') return null;
  if (!field.includes('\\')) return field;
  return field.replace(/\\(.)/g, (_, code: string) => UNESCAPED[code] ?? code);
}

/** The rows of a COPY TO stream, each made by `read` from its values (text, or null) as it arrives. */
async function readCopy(
  stream: AsyncIterable<Buffer>,
  read: (values: BulkValue[]) => unknown,
): Promise<unknown[]> {
  const rows: unknown[] = [];
  // A chunk may end inside a character: the decoder keeps its first bytes for the next.
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of stream) {
    const lines = (rest + decoder.write(chunk)).split('\n');
    rest = lines.pop()!;
    for (const line of lines) {
      const fields: (string | null)[] = line.split('\t');
      for (let i = 0; i < fields.length; i++) fields[i] = fieldOfCopy(fields[i]!);
      rows.push(read(fields));
    }
  }
  return rows;
}
