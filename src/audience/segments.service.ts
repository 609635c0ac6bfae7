import { type Kysely, sql } from 'kysely';
import {
  type Actor,
  actorName,
  appendEvents,
  type DB,
  type Engine,
  insertRows,
  newEvent,
  newId,
  nowIso,
  type Queryable,
  type Trx,
} from '../platform/index.js';
import type { SegmentsTable } from './audience.schema.js';
import type { Segment, SegmentRule } from './segments.contract.js';
import { SegmentErrors } from './segments.errors.js';
import { SegmentEntered, SegmentExited } from './segments.events.js';
import { readMembers } from './segments.members.js';
import { type CompileContext, matchingMembersSql, movesWithTime } from './segments.sql.js';

const CHUNK = 500;

/** The latest run of an RFM scheme, as a column of a statement (an rfm rule reads it). */
function latestRun(scheme: 'quintile' | 'eight_class') {
  return sql<string | null>`(select r.id from rfm_runs r where r.scheme = ${scheme}
    order by r.created_at desc, r.id desc limit 1)`;
}

function latestRunsOf(row: { quintile: string | null; eight_class: string | null } | undefined) {
  const latestRuns: CompileContext['latestRuns'] = {};
  if (row?.quintile) latestRuns.quintile = row.quintile;
  if (row?.eight_class) latestRuns.eight_class = row.eight_class;
  return latestRuns;
}

export async function compileContext(
  db: Queryable,
  engine: Engine,
  now = new Date(),
): Promise<CompileContext> {
  const { rows } = await sql<{ quintile: string | null; eight_class: string | null }>`select
    ${latestRun('quintile')} as quintile, ${latestRun('eight_class')} as eight_class`.execute(db);
  return { engine, now, latestRuns: latestRunsOf(rows[0]) };
}

function matchingQuery(rule: SegmentRule, ctx: CompileContext) {
  return sql<{ member_id: string }>`select m.id as member_id from ${matchingMembersSql(rule, ctx)}`;
}

/** Every member who matches a rule now, in one set-based statement (some members' matches: matchesPerRule). */
export async function matchingMembers(
  db: Queryable,
  rule: SegmentRule,
  ctx: CompileContext,
): Promise<Set<string>> {
  const { rows } = await matchingQuery(rule, ctx).execute(db);
  return new Set(rows.map((r) => r.member_id));
}

export async function countMatching(db: Queryable, rule: SegmentRule, ctx: CompileContext): Promise<number> {
  const { rows } = await sql<{
    n: number;
  }>`select count(*) as n from (${matchingQuery(rule, ctx)}) as matched`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

/** A few members who match, with what the segment builder shows of them (no personal data). */
export async function sampleMatching(db: Queryable, rule: SegmentRule, ctx: CompileContext, limit = 10) {
  const { rows } = await sql<{
    member_id: string;
    order_count: number | null;
    spend: number | null;
    last_order_at: string | null;
    home_store: string | null;
  }>`select m.id as member_id, t.order_count, t.spend, t.last_order_at, t.home_store
    from ${matchingMembersSql(rule, ctx)} order by m.id limit ${limit}`.execute(db);
  return rows.map((r) => ({
    memberId: r.member_id,
    enteredAt: null,
    orderCount: Number(r.order_count ?? 0),
    spend: Number(r.spend ?? 0),
    lastOrderAt: r.last_order_at,
    homeStore: r.home_store,
  }));
}

export function toSegment(row: SegmentsTable): Segment {
  return {
    id: row.id,
    name: row.name,
    rule: JSON.parse(row.rule) as SegmentRule,
    count: Number(row.count),
    computedAt: row.computed_at,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

export async function requireSegment(db: Queryable, id: string): Promise<SegmentsTable> {
  const row = await db.selectFrom('segments').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw SegmentErrors.notFound(`No segment ${id}`);
  return row;
}

/** A new segment, its members found at once (they enter without events: the segment did not exist before). */
export async function createSegment(
  trx: Trx,
  engine: Engine,
  input: { name: string; rule: SegmentRule },
  actor: Actor,
): Promise<Segment> {
  const ctx = await compileContext(trx, engine);
  const members = await matchingMembers(trx, input.rule, ctx);
  const now = nowIso();
  const row: SegmentsTable = {
    id: newId('seg'),
    name: input.name,
    rule: JSON.stringify(input.rule),
    count: members.size,
    computed_at: now,
    created_by: actorName(actor),
    created_at: now,
    updated_at: now,
  };
  await trx.insertInto('segments').values(row).execute();
  await insertRows(
    trx,
    'segment_members',
    [...members].map((member_id) => ({ segment_id: row.id, member_id, entered_at: now })),
  );
  return toSegment(row);
}

/** A new name or rule: the members found again (a redefined segment starts over, without events). */
export async function updateSegment(
  trx: Trx,
  engine: Engine,
  id: string,
  input: { name: string; rule: SegmentRule },
): Promise<Segment> {
  await requireSegment(trx, id);
  const ctx = await compileContext(trx, engine);
  const members = await matchingMembers(trx, input.rule, ctx);
  const now = nowIso();
  await trx.deleteFrom('segment_members').where('segment_id', '=', id).execute();
  await insertRows(
    trx,
    'segment_members',
    [...members].map((member_id) => ({ segment_id: id, member_id, entered_at: now })),
  );
  await trx
    .updateTable('segments')
    .set({
      name: input.name,
      rule: JSON.stringify(input.rule),
      count: members.size,
      computed_at: now,
      updated_at: now,
    })
    .where('id', '=', id)
    .execute();
  return toSegment(await requireSegment(trx, id));
}

export async function deleteSegment(trx: Trx, id: string): Promise<Segment> {
  const row = await requireSegment(trx, id);
  await trx.deleteFrom('segment_members').where('segment_id', '=', id).execute();
  await trx.deleteFrom('segments').where('id', '=', id).execute();
  return toSegment(row);
}

/**
 * Re-evaluates segments — for some members (a consumer: their profile changed) or for everyone (the hourly pass,
 * only segments whose rules move with time unless told otherwise) — and writes who entered and who left, each as
 * `segment.entered` / `segment.exited`, in the caller's transaction. Returns the moves.
 */
export async function refreshSegments(
  trx: Trx,
  engine: Engine,
  options: { memberIds?: readonly string[]; onlyMoving?: boolean; now?: Date },
): Promise<{ entered: number; exited: number }> {
  const ids = options.memberIds === undefined ? undefined : [...new Set(options.memberIds)];
  if (ids !== undefined && ids.length === 0) return { entered: 0, exited: 0 };
  // The segments and the latest RFM runs their rules read, in one statement. Locked on PostgreSQL, as rule tags
  // are (tags.automatic.ts): a redefinition never races a pass by the old rule.
  const all = trx
    .selectFrom('segments')
    .selectAll()
    .select([latestRun('quintile').as('quintile'), latestRun('eight_class').as('eight_class')])
    .orderBy('id');
  const segments = await (engine === 'postgres' ? all.forUpdate() : all).execute();
  const ctx: CompileContext = {
    engine,
    now: options.now ?? new Date(),
    latestRuns: latestRunsOf(segments[0]),
  };
  let entered = 0;
  let exited = 0;
  const at = nowIso();
  const wanted = segments
    .map((segment) => ({ id: segment.id, rule: JSON.parse(segment.rule) as SegmentRule }))
    .filter((segment) => !options.onlyMoving || movesWithTime(segment.rule));
  // Some members (an event's): every segment's rule and their stored memberships, in one statement.
  const read =
    ids === undefined
      ? undefined
      : await readMembers(
          trx,
          wanted.map((s) => s.rule),
          ctx,
          ids,
          wanted.map((s) => s.id),
        );
  // Every segment's moves first, then written together: the deletes, the counts, one insert, one batch of events.
  const moves: { segmentId: string; coming: string[]; going: string[] }[] = [];
  for (const [index, segment] of wanted.entries()) {
    const now = read ? read.matched[index]! : await matchingMembers(trx, segment.rule, ctx);
    const before = read ? read.stored[index]! : await storedMembers(trx, segment.id);
    const coming = [...now].filter((m) => !before.has(m));
    const going = [...before].filter((m) => !now.has(m));
    if (coming.length > 0 || going.length > 0) moves.push({ segmentId: segment.id, coming, going });
  }
  const events = [];
  for (const { segmentId, coming, going } of moves) {
    for (let i = 0; i < going.length; i += CHUNK) {
      await trx
        .deleteFrom('segment_members')
        .where('segment_id', '=', segmentId)
        .where('member_id', 'in', going.slice(i, i + CHUNK))
        .execute();
    }
    const stream = `segment:${segmentId}`;
    for (const memberId of coming)
      events.push(newEvent(SegmentEntered, { stream, payload: { segmentId, memberId } }));
    for (const memberId of going)
      events.push(newEvent(SegmentExited, { stream, payload: { segmentId, memberId } }));
    entered += coming.length;
    exited += going.length;
  }
  // Every moved segment's count in one statement.
  const changed = moves.filter((m) => m.coming.length !== m.going.length);
  if (changed.length > 0) {
    const delta = sql<number>`case ${sql.join(
      changed.map((m) => sql`when id = ${m.segmentId} then ${m.coming.length - m.going.length}`),
      sql` `,
    )} else 0 end`;
    await trx
      .updateTable('segments')
      .set((eb) => ({ count: eb('count', '+', delta), computed_at: at }))
      .where(
        'id',
        'in',
        changed.map((m) => m.segmentId),
      )
      .execute();
  }
  // The inserts last: on PostgreSQL the members who entered and the events travel as one statement (pg-pipeline).
  await insertRows(
    trx,
    'segment_members',
    moves.flatMap(({ segmentId, coming }) =>
      coming.map((member_id) => ({ segment_id: segmentId, member_id, entered_at: at })),
    ),
  );
  await appendEvents(trx, events);
  return { entered, exited };
}

async function storedMembers(trx: Trx, segmentId: string): Promise<Set<string>> {
  const rows = await trx
    .selectFrom('segment_members')
    .select('member_id')
    .where('segment_id', '=', segmentId)
    .execute();
  return new Set(rows.map((r) => r.member_id));
}

export async function listSegments(db: Kysely<DB>): Promise<Segment[]> {
  const rows = await db.selectFrom('segments').selectAll().orderBy('created_at', 'desc').limit(500).execute();
  return rows.map(toSegment);
}
