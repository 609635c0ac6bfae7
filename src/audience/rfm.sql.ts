import { type RawBuilder, sql } from 'kysely';
import type { Engine, Trx } from '../platform/index.js';
import { RFM_SEGMENT_CODES, RFM_SEGMENTS } from './rfm.rules.js';

// The quintile scheme as one INSERT … SELECT: the database ranks a million members faster than the rows could be
// carried to JavaScript and back. rfm.rules.ts stays the specification — the same ranks, ties and integer edges —
// and rfm.sql.test.ts proves the two give the same scores on random populations, on both engines.

const DAY_MS = 86_400_000;

/** Where a run's population comes from: one row per member with card, last purchase, frequency and total. */
export type Population = RawBuilder<unknown>;

/** The traits: every member with a purchase, to now over all history. */
export function traitsPopulation(): Population {
  return sql`select member_id, card, last_order_at as last_at, order_count as frequency, spend as total
    from member_traits where order_count > 0`;
}

/** Completed purchase orders (history included) in a window ending at asOf, grouped by member. */
export function ordersPopulation(asOf: string, from: string | null): Population {
  return sql`select orders.member_id as member_id, member_traits.card as card, max(orders.completed_at) as last_at,
      count(*) as frequency, cast(sum(orders.paid_amount) as bigint) as total
    from orders left join member_traits on member_traits.member_id = orders.member_id
    where orders.status = 'completed' and orders.member_id is not null and orders.completed_at <= ${asOf}
      ${from === null ? sql`` : sql`and orders.completed_at > ${from}`}
    group by orders.member_id, member_traits.card`;
}

/** Epoch milliseconds of an ISO instant as the platform writes them (`2025-01-31T10:00:00.000Z`), exactly. */
function epochMs(pg: boolean, column: RawBuilder<unknown>): RawBuilder<number> {
  return pg
    ? sql<number>`cast(floor(extract(epoch from cast(${column} as timestamptz)) * 1000) as bigint)`
    : sql<number>`(unixepoch(${column}) * 1000 + cast(substr(${column}, 21, 3) as integer))`;
}

/** The least k with 5·(r − 1) ≤ k·(n − 1) (rank 1, and a population of one, score 1). */
function quintile(rank: string): RawBuilder<number> {
  const r = sql.ref(rank);
  return sql<number>`case when n = 1 or ${r} = 1 then 1 else (5 * (${r} - 1) + (n - 1) - 1) / (n - 1) end`;
}

/** DOMAIN.md's code → segment table as a CASE over r·100 + f·10 + m. */
function segmentCase(): RawBuilder<string> {
  const branches = RFM_SEGMENTS.flatMap((segment) =>
    RFM_SEGMENT_CODES[segment].map((code) => sql`when ${sql.lit(Number(code))} then ${sql.lit(segment)}`),
  );
  return sql<string>`case r_score * 100 + f_score * 10 + m_score ${sql.join(branches, sql` `)} end`;
}

/**
 * Scores a population by quintiles into `rfm_scores` under `runId`, in one statement. Ties break as rfm.rules.ts
 * breaks them: numeric cards first by value (leading zeros aside, any length), then other cards as text, then
 * members without a card, then member id — text compared by code point (collation "C" on PostgreSQL).
 */
export async function insertQuintileScores(
  trx: Trx,
  engine: Engine,
  runId: string,
  population: Population,
  asOf: string,
  monetary: 'total' | 'average',
): Promise<number> {
  const pg = engine === 'postgres';
  const c = pg ? sql` collate "C"` : sql``;
  const digitsOnly = pg ? sql`card ~ '^[0-9]+$'` : sql`(card <> '' and card not glob '*[^0-9]*')`;
  const asOfMs = Date.parse(asOf);
  const ties = sql`kind, length(num), num${c}, card_text${c}, member_id${c}`;
  const money =
    monetary === 'total'
      ? sql`total`
      : sql`case when frequency = 0 then 0 else (2 * total + frequency) / (2 * frequency) end`;
  // Four sorts of the whole population: in memory (about 130 MB at a million members) rather than in temp files.
  if (pg) await sql`set local work_mem = '256MB'`.execute(trx);
  // The tie order once, as an integer: the three ranks then sort by (value, tie) alone.
  const result = await sql`
    insert into rfm_scores (run_id, member_id, recency, frequency, monetary, r_score, f_score, m_score, segment)
    select ${runId}, member_id, recency, frequency, monetary, r_score, f_score, m_score, ${segmentCase()}
    from (
      select member_id, recency, frequency, monetary,
        6 - ${quintile('rr')} as r_score, ${quintile('fr')} as f_score, ${quintile('mr')} as m_score
      from (
        select member_id, recency, frequency, monetary,
          row_number() over (order by recency, tie) as rr,
          row_number() over (order by frequency, tie) as fr,
          row_number() over (order by monetary, tie) as mr,
          count(*) over () as n
        from (
          select member_id, recency, frequency, monetary, row_number() over (order by ${ties}) as tie
          from (
            select member_id,
              (${sql.lit(asOfMs)} - ${epochMs(pg, sql.ref('last_at'))}) / ${sql.lit(DAY_MS)} as recency,
              frequency, ${money} as monetary,
              case when card is null then 2 when ${digitsOnly} then 0 else 1 end as kind,
              case when card is not null and ${digitsOnly} then ltrim(card, '0') else '' end as num,
              case when card is not null and not ${digitsOnly} then card else '' end as card_text
            from (${population}) as population
          ) as measured
        ) as tied
      ) as ranked
    ) as scored`.execute(trx);
  return Number(result.numAffectedRows ?? 0n);
}
