import { type Kysely, sql } from 'kysely';
import {
  appendEvent,
  type DB,
  type Engine,
  insertInBulk,
  newEvent,
  newId,
  nowIso,
  selectInBulk,
  type Trx,
} from '../platform/index.js';
import type { RfmRunsTable } from './audience.schema.js';
import type { RfmRun, RfmRunRequest } from './rfm.contract.js';
import { RfmErrors } from './rfm.errors.js';
import { RfmRunCompleted } from './rfm.events.js';
import {
  type RfmInput,
  type RfmScore,
  type RfmSegmentCode,
  type RfmThreshold,
  scoreRfm,
  segmentSizes,
} from './rfm.rules.js';

const DAY_MS = 86_400_000;

/**
 * The population of a run, read set-based. Recency to now over all history is what the traits already hold (one
 * row per member with a purchase); a run to an earlier date or over a window counts the orders in it instead —
 * completed purchase orders, history included — grouped by member in one statement.
 */
async function population(
  db: Kysely<DB> | Trx,
  engine: Engine,
  asOf: string,
  windowDays: number | null,
  fromTraits: boolean,
): Promise<RfmInput[]> {
  if (fromTraits) {
    // A whole membership: read in bulk (bulk.ts), in member order.
    return selectInBulk(
      db,
      engine,
      {
        columns: ['member_id', 'card', 'last_order_at', 'order_count', 'spend'],
        from: 'member_traits',
        where: 'order_count > 0',
        key: 'member_id',
      },
      ([memberId, card, last, count, spend]) => ({
        memberId: String(memberId),
        card: card === null ? null : String(card),
        lastPurchaseAt: String(last),
        frequency: Number(count),
        monetaryTotal: Number(spend),
      }),
    );
  }
  const from = windowDays === null ? null : new Date(Date.parse(asOf) - windowDays * DAY_MS).toISOString();
  let orders = db
    .selectFrom('orders')
    .leftJoin('member_traits', 'member_traits.member_id', 'orders.member_id')
    .where('orders.status', '=', 'completed')
    .where('orders.member_id', 'is not', null)
    .where('orders.completed_at', '<=', asOf);
  if (from !== null) orders = orders.where('orders.completed_at', '>', from);
  const rows = await orders
    .groupBy(['orders.member_id', 'member_traits.card'])
    .select((eb) => [
      'orders.member_id as member_id',
      'member_traits.card as card',
      eb.fn.max('orders.completed_at').as('last'),
      eb.fn.countAll<number>().as('frequency'),
      eb.fn.sum<number>('orders.paid_amount').as('monetary'),
    ])
    .execute();
  return rows.map((r) => ({
    memberId: r.member_id!,
    card: r.card,
    lastPurchaseAt: r.last!,
    frequency: Number(r.frequency),
    monetaryTotal: Number(r.monetary),
  }));
}

/** Writes a run's scores, in bulk (bulk.ts). */
async function writeScores(
  trx: Trx,
  engine: Engine,
  runId: string,
  scores: readonly RfmScore[],
): Promise<void> {
  await insertInBulk(
    trx,
    engine,
    'rfm_scores',
    ['run_id', 'member_id', 'recency', 'frequency', 'monetary', 'r_score', 'f_score', 'm_score', 'segment'],
    scores,
    (s) => [runId, s.memberId, s.recency, s.frequency, s.monetary, s.rScore, s.fScore, s.mScore, s.segment],
  );
}

/**
 * Runs RFM over every member with a purchase in the window (scored by the pure rules of rfm.rules.ts, proven on
 * the Online Retail data), and stores the run with each member's scores — in the caller's transaction.
 */
export async function runRfm(
  trx: Trx,
  engine: Engine,
  request: RfmRunRequest,
  createdBy: string,
  now = new Date(),
): Promise<RfmRun> {
  if (request.scheme === 'quintile' && request.threshold !== undefined) {
    throw RfmErrors.invalidSettings('A threshold applies to the eight-class scheme only', {
      errors: [{ path: 'threshold', message: 'only for scheme eight_class' }],
    });
  }
  const asOf = request.asOf === undefined ? now.toISOString() : new Date(request.asOf).toISOString();
  if (Date.parse(asOf) > now.getTime()) {
    throw RfmErrors.invalidSettings('asOf is in the future', {
      errors: [{ path: 'asOf', message: 'must not be after now' }],
    });
  }
  const windowDays = request.windowDays ?? null;
  const monetary = request.monetary ?? 'total';
  const threshold: RfmThreshold | null =
    request.scheme === 'eight_class' ? ((request.threshold as RfmThreshold | undefined) ?? 'mean') : null;
  const started = performance.now();
  // The traits hold every purchase up to now: they serve a run to now over all history.
  const fromTraits = request.asOf === undefined && windowDays === null;
  const id = newId('rfm');
  // Both schemes score in JavaScript (rfm.rules.ts, proven equal to pandas): ranking a million members there takes
  // under a second, faster than the database's window functions. The scores go back in member order, so each
  // run's rows append to the end of the table's one index (run ids grow with time): the traits are read in that
  // order already; orders grouped by member are sorted.
  const inputs = await population(trx, engine, asOf, windowDays, fromTraits);
  const scores = scoreRfm(inputs, {
    scheme: request.scheme,
    asOf,
    monetary,
    ...(threshold === null ? {} : { threshold }),
  });
  if (!fromTraits) scores.sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0));
  await writeScores(trx, engine, id, scores);
  const members = scores.length;
  const sizes = segmentSizes(scores, request.scheme);
  const row: RfmRunsTable = {
    id,
    scheme: request.scheme,
    as_of: asOf,
    settings: JSON.stringify({ windowDays, monetary, threshold }),
    members,
    duration_ms: Math.round(performance.now() - started),
    segments: JSON.stringify(sizes),
    created_by: createdBy,
    created_at: nowIso(),
  };
  await trx.insertInto('rfm_runs').values(row).execute();
  await appendEvent(
    trx,
    newEvent(RfmRunCompleted, {
      stream: `rfm:${id}`,
      payload: { runId: id, scheme: row.scheme, asOf, members },
    }),
  );
  return toRfmRun(row);
}

export function toRfmRun(row: RfmRunsTable): RfmRun {
  return {
    id: row.id,
    scheme: row.scheme,
    asOf: row.as_of,
    settings: JSON.parse(row.settings) as RfmRun['settings'],
    members: Number(row.members),
    durationMs: Number(row.duration_ms),
    segments: JSON.parse(row.segments) as RfmRun['segments'],
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

export async function requireRun(db: Kysely<DB>, id: string): Promise<RfmRunsTable> {
  const row = await db.selectFrom('rfm_runs').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw RfmErrors.notFound(`No RFM run ${id}`);
  return row;
}

/** Who moved from which segment to which between two runs (members of either), counted set-based. */
export async function movements(db: Kysely<DB>, toId: string, fromId: string) {
  await requireRun(db, toId);
  await requireRun(db, fromId);
  const rows = await sql<{
    from_segment: RfmSegmentCode | null;
    to_segment: RfmSegmentCode | null;
    members: number;
  }>`
    select a.segment as from_segment, b.segment as to_segment, count(*) as members
    from (select member_id, segment from rfm_scores where run_id = ${fromId}) a
    left join (select member_id, segment from rfm_scores where run_id = ${toId}) b on b.member_id = a.member_id
    group by a.segment, b.segment
    union all
    select null as from_segment, b.segment as to_segment, count(*) as members
    from (select member_id, segment from rfm_scores where run_id = ${toId}) b
    where not exists (select 1 from rfm_scores a where a.run_id = ${fromId} and a.member_id = b.member_id)
    group by b.segment`.execute(db);
  return {
    from: fromId,
    to: toId,
    moves: rows.rows
      .map((r) => ({ from: r.from_segment, to: r.to_segment, members: Number(r.members) }))
      .sort((a, b) => b.members - a.members),
  };
}

/** The R × F heat map of a run: members and monetary per cell. */
export async function grid(db: Kysely<DB>, id: string) {
  await requireRun(db, id);
  const rows = await db
    .selectFrom('rfm_scores')
    .where('run_id', '=', id)
    .groupBy(['r_score', 'f_score'])
    .orderBy('r_score')
    .orderBy('f_score')
    .select((eb) => [
      'r_score',
      'f_score',
      eb.fn.countAll<number>().as('members'),
      eb.fn.sum<number>('monetary').as('monetary'),
    ])
    .execute();
  return {
    cells: rows.map((r) => ({
      rScore: Number(r.r_score),
      fScore: Number(r.f_score),
      members: Number(r.members),
      monetary: Number(r.monetary),
    })),
  };
}

/** Her scores in the latest run of each scheme that scored her. */
export async function memberRfm(db: Kysely<DB>, memberId: string) {
  const rows = await db
    .selectFrom('rfm_scores')
    .innerJoin('rfm_runs', 'rfm_runs.id', 'rfm_scores.run_id')
    .where('rfm_scores.member_id', '=', memberId)
    .orderBy('rfm_runs.created_at', 'desc')
    .orderBy('rfm_runs.id', 'desc')
    .limit(50)
    .select([
      'rfm_runs.id as run_id',
      'rfm_runs.scheme as scheme',
      'rfm_runs.as_of as as_of',
      'rfm_scores.recency as recency',
      'rfm_scores.frequency as frequency',
      'rfm_scores.monetary as monetary',
      'rfm_scores.r_score as r_score',
      'rfm_scores.f_score as f_score',
      'rfm_scores.m_score as m_score',
      'rfm_scores.segment as segment',
    ])
    .execute();
  const latest = new Map<string, (typeof rows)[number]>();
  for (const r of rows) if (!latest.has(r.scheme)) latest.set(r.scheme, r);
  return [...latest.values()].map((r) => ({
    runId: r.run_id,
    scheme: r.scheme,
    asOf: r.as_of,
    recency: Number(r.recency),
    frequency: Number(r.frequency),
    monetary: Number(r.monetary),
    rScore: Number(r.r_score),
    fScore: Number(r.f_score),
    mScore: Number(r.m_score),
    segment: r.segment as RfmSegmentCode,
  }));
}
