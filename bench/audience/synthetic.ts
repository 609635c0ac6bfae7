import { type RawBuilder, sql } from 'kysely';
import type { Database } from '../../src/platform/db/index.js';

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

/**
 * Traits for members `mem_1`…`mem_n`: last orders spread over the first `months` months of `year`, spread order
 * counts (with ties, as in real data) and spend, card numbers.
 */
export async function insertSyntheticTraits(
  database: Database,
  engine: 'sqlite' | 'postgres',
  n: number,
  { year, months }: { year: number; months: number },
): Promise<void> {
  const lastOrder = sql`${String(year)} || '-' || ${twoDigits(sql`1 + (i * 7) % ${sql.lit(months)}`)} || '-' ||
    ${twoDigits(sql`1 + (i * 13) % 28`)} || 'T10:00:00.000Z'`;
  await sql`
    insert into member_traits (member_id, card, first_order_at, last_order_at, order_count, spend, spend_365,
      average_order, units_bought, units_returned, returned_amount, return_rate, channels, stores, top_categories,
      home_store, city, trial_count, last_trial_at, last_seen_at, updated_at)
    select 'mem_' || i, cast(100000 + i as text), '2024-01-01T00:00:00.000Z', ${lastOrder},
      1 + (i * 31) % 17, 1000 + (i * 7919) % 500000, 0, 0, 1, 0, 0, 0, '[]', '[]', '[]', null, null, 0, null, null,
      ${`${year}-${String(months).padStart(2, '0')}-28T00:00:00.000Z`}
    from (${seriesOf(engine, n)}) as n`.execute(database.db);
}
