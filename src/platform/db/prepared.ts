import { type Compilable, CompiledQuery, type Insertable, type Kysely, type QueryResult } from 'kysely';
import type { DB, Queryable } from './database.js';
import { FAST_PATHS } from './fast-paths.js';

/**
 * Kysely builds, freezes and compiles every query anew. On the hottest write paths (placing an order, reserving
 * stock) that costs more than SQLite takes to run the statement. These helpers compile a query's text once per
 * shape — through Kysely itself, so quoting, placeholders and dialect stay Kysely's — and then run that text
 * with each call's parameters.
 *
 * Safety: the first compile of a shape checks that Kysely's parameters are exactly the ones given, in order;
 * a shape key must therefore name everything that changes the text (for `in (…)`, the count).
 *
 * Inside a group-commit batch (`trx.writer`, SQLite) the text runs straight on the connection. With the fast
 * paths off (fast-paths.ts) both helpers are plain Kysely: the builder runs as it is.
 */

// One cache per dialect adapter: the same shape has other text on SQLite than on PostgreSQL.
const texts = new WeakMap<object, Map<string, string>>();

/**
 * The hot-path texts, each with a statement name. On PostgreSQL a query with a name is parsed and planned once
 * per connection and then only bound and run: for the dozen small statements of an order, parsing and planning
 * them every time cost the server more than running them (see pg-pipeline.ts). A text that reads `*` is left
 * unnamed: a prepared `select *` or `returning *` fails once a migration changes its table's columns.
 */
const statementNames = new Map<string, string>();

/** The name a text runs under on PostgreSQL, when it is one of the prepared hot-path texts. */
export function statementNameOf(text: string): string | undefined {
  return statementNames.get(text);
}

/** Names a text (see above); the statements combined from several inserts are named too, while few. */
export function nameStatement(text: string): void {
  if (!statementNames.has(text) && !text.includes('*') && statementNames.size < MAX_STATEMENT_NAMES)
    statementNames.set(text, `ol_${statementNames.size + 1}`);
}

// PostgreSQL keeps each connection's prepared statements in that backend's memory.
const MAX_STATEMENT_NAMES = 2000;

function cacheOf(db: Kysely<DB>): Map<string, string> {
  const adapter = db.getExecutor().adapter;
  let cache = texts.get(adapter);
  if (!cache) {
    cache = new Map();
    texts.set(adapter, cache);
  }
  return cache;
}

function textFor(
  db: Kysely<DB>,
  shape: string,
  parameters: readonly unknown[],
  build: () => Compilable<unknown>,
): string {
  const cache = cacheOf(db);
  let text = cache.get(shape);
  if (text === undefined) {
    const compiled = build().compile();
    const same =
      compiled.parameters.length === parameters.length &&
      compiled.parameters.every((value, i) => value === parameters[i]);
    if (!same) throw new Error(`Prepared query "${shape}": its parameters differ from the builder's`);
    text = compiled.sql;
    cache.set(shape, text);
    nameStatement(text);
  }
  return text;
}

/** Runs a query of a fixed shape (see above) with these parameters; `build` is used on the first call only. */
export async function runPrepared<R>(
  db: Queryable,
  shape: string,
  parameters: unknown[],
  build: () => Compilable<R>,
): Promise<QueryResult<R>> {
  if (!FAST_PATHS) return db.executeQuery(build().compile());
  const text = textFor(db, shape, parameters, build);
  if (db.writer) return db.writer.execute<R>(text, parameters);
  if (db.pipeline) return db.pipeline.execute<R>(text, parameters);
  return db.executeQuery<R>(CompiledQuery.raw(text, parameters) as CompiledQuery<R>);
}

/**
 * Runs a statement built anew on each call whose text repeats with other values (a segment's rules re-evaluated
 * for each event's member): on PostgreSQL it is parsed and planned once per connection, as the hot-path texts are.
 */
export async function runRepeated<R>(db: Queryable, query: CompiledQuery<R>): Promise<QueryResult<R>> {
  if (!FAST_PATHS) return db.executeQuery(query);
  if (db.writer) return db.writer.execute<R>(query.sql, query.parameters);
  nameStatement(query.sql);
  if (db.pipeline) return db.pipeline.execute<R>(query.sql, query.parameters);
  return db.executeQuery(query);
}

/**
 * Bound values one statement may carry: SQLite takes 32,766 and PostgreSQL 65,535; a larger batch is written in
 * several statements (still in the caller's one transaction).
 */
export const MAX_BIND_PARAMETERS = 30_000;

/**
 * `insert into <table> (…) values (…), (…)` for rows that all set the same columns (`undefined` counts as not
 * set, as in Kysely). `onConflictDoNothing` names a unique column whose clash skips the row.
 */
export async function insertRows<T extends keyof DB & string>(
  db: Queryable,
  table: T,
  rows: readonly Insertable<DB[T]>[],
  options: { onConflictDoNothing?: keyof DB[T] & string } = {},
): Promise<void> {
  if (rows.length === 0) return;
  const width = Object.keys(rows[0] as object).length;
  const perStatement = Math.max(1, Math.floor(MAX_BIND_PARAMETERS / Math.max(1, width)));
  if (rows.length > perStatement) {
    for (let start = 0; start < rows.length; start += perStatement)
      await insertRows(db, table, rows.slice(start, start + perStatement), options);
    return;
  }
  if (!FAST_PATHS) return insertWithKysely(db, table, rows, options);
  const first = rows[0] as Record<string, unknown>;
  const columns: string[] = [];
  for (const column in first) if (first[column] !== undefined) columns.push(column);
  const parameters: unknown[] = [];
  for (const row of rows as readonly Record<string, unknown>[]) {
    let set = 0;
    for (const key in row) if (row[key] !== undefined) set++;
    if (set !== columns.length) return insertWithKysely(db, table, rows, options);
    for (const column of columns) {
      const value = row[column];
      // Rows of different shapes: Kysely sorts it out (never on the hot paths, which build uniform rows).
      if (value === undefined) return insertWithKysely(db, table, rows, options);
      parameters.push(value);
    }
  }
  await runInsert(db, table, columns, rows.length, parameters, options.onConflictDoNothing, () =>
    kyselyInsert(db, table, rows, options),
  );
}

/**
 * Rows given as their values in the order of `columns` (bulk.ts): `insertRows` without an object per row, for
 * writes of a million rows.
 */
export async function insertValues<T extends keyof DB & string>(
  db: Queryable,
  table: T,
  columns: readonly (keyof DB[T] & string)[],
  rows: readonly (readonly unknown[])[],
): Promise<void> {
  const objects = (some: readonly (readonly unknown[])[]) =>
    some.map((row) => Object.fromEntries(columns.map((column, i) => [column, row[i]]))) as Insertable<
      DB[T]
    >[];
  const perStatement = Math.max(1, Math.floor(MAX_BIND_PARAMETERS / Math.max(1, columns.length)));
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    if (!FAST_PATHS) await insertWithKysely(db, table, objects(chunk), {});
    else {
      // A loop, not chunk.flat(): several times faster over a million rows.
      const parameters: unknown[] = new Array(chunk.length * columns.length);
      let at = 0;
      for (const row of chunk) for (let i = 0; i < columns.length; i++) parameters[at++] = row[i];
      await runInsert(db, table, [...columns], chunk.length, parameters, undefined, () =>
        kyselyInsert(db, table, objects(chunk), {}),
      );
    }
  }
}

/** Runs a multi-row insert of a shape, its text compiled by Kysely once (see textFor). */
async function runInsert(
  db: Queryable,
  table: string,
  columns: string[],
  count: number,
  parameters: unknown[],
  conflict: string | undefined,
  build: () => Compilable<unknown>,
): Promise<void> {
  const shape = shapeOf(db, table, columns, conflict);
  let text = shape.texts.get(count);
  if (text === undefined) {
    text = textFor(db, `${shape.key} x${count}`, parameters, build);
    shape.texts.set(count, text);
  }
  if (db.writer) db.writer.execute(text, parameters);
  // Nobody reads its answer: inside a PostgreSQL transaction it may wait and go to the server with the
  // transaction's next statement (see pg-pipeline.ts).
  else if (db.pipeline) await db.pipeline.insert(text, parameters);
  else await db.executeQuery(CompiledQuery.raw(text, parameters));
}

interface InsertShape {
  key: string;
  columns: string[];
  conflict: string | undefined;
  /** SQL text by row count (for this shape's dialect: shapes are kept per adapter below). */
  texts: Map<number, string>;
}

// Finding a row shape by comparing column lists (a handful per table) avoids building a key string per call.
// Kept per dialect adapter, as the texts are.
const shapesByAdapter = new WeakMap<object, Map<string, InsertShape[]>>();

function shapeOf(
  db: Kysely<DB>,
  table: string,
  columns: string[],
  conflict: string | undefined,
): InsertShape {
  const adapter = db.getExecutor().adapter;
  let shapes = shapesByAdapter.get(adapter);
  if (!shapes) {
    shapes = new Map();
    shapesByAdapter.set(adapter, shapes);
  }
  let list = shapes.get(table);
  if (!list) {
    list = [];
    shapes.set(table, list);
  }
  for (const shape of list) {
    if (shape.conflict !== conflict || shape.columns.length !== columns.length) continue;
    if (shape.columns.every((column, i) => column === columns[i])) return shape;
  }
  const shape = {
    key: `insert ${table} (${columns.join()}) ${conflict ?? ''}`,
    columns,
    conflict,
    texts: new Map<number, string>(),
  };
  list.push(shape);
  return shape;
}

function kyselyInsert<T extends keyof DB & string>(
  db: Kysely<DB>,
  table: T,
  rows: readonly Insertable<DB[T]>[],
  options: { onConflictDoNothing?: keyof DB[T] & string },
) {
  const query = db.insertInto(table).values(rows as never);
  return options.onConflictDoNothing
    ? query.onConflict((oc) => oc.column(options.onConflictDoNothing as never).doNothing())
    : query;
}

async function insertWithKysely<T extends keyof DB & string>(
  db: Kysely<DB>,
  table: T,
  rows: readonly Insertable<DB[T]>[],
  options: { onConflictDoNothing?: keyof DB[T] & string },
): Promise<void> {
  await kyselyInsert(db, table, rows, options).execute();
}
