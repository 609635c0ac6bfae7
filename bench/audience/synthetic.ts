import { type RawBuilder, sql } from 'kysely';

// The audience benchmarks' synthetic populations are made by the database itself from a series of numbers (a
// million rows in seconds, no round trips): these are the pieces both engines share.

/** The numbers 1…n as rows of one column `i`. */
export function seriesOf(engine: 'sqlite' | 'postgres', n: number): RawBuilder<{ i: number }> {
  return engine === 'postgres'
    ? sql`select cast(g as bigint) as i from generate_series(1, ${n}) as g`
    : sql`with recursive s(i) as (select 1 union all select i + 1 from s where i < ${n}) select i from s`;
}

/** A number below 100 as two digits, the same on both engines. */
export function twoDigits(value: RawBuilder<number>): RawBuilder<string> {
  return sql<string>`(case when ${value} < 10 then '0' else '' end) || cast(${value} as text)`;
}
