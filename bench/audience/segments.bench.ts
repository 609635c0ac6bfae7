import { sql } from 'kysely';
import type { SegmentRule } from '../../src/audience/segments.contract.js';
import { compileContext, countMatching, refreshSegments } from '../../src/audience/segments.service.js';
import { type Database, migrateToLatest, openDatabase } from '../../src/platform/db/index.js';
import { createTestDatabase } from '../../test/helpers/database.js';
import { type BenchContext, percentile } from '../lib.js';
import { insertSyntheticTraits, seriesOf, twoDigits } from './synthetic.js';

const MEMBERS = 1_000_000;
const COUNTS = 15;
const UPDATES = 1_000;
/** Re-evaluations before the timed ones, of other members: the JIT, the statement caches and the plans settle. */
const WARM_UPS = 200;
const NOW = new Date('2026-06-30T12:00:00.000Z');

/** The rule of the issue: a trait range, a tag and an event within 30 days. */
export const THREE_CONDITIONS: SegmentRule = {
  all: [
    { trait: 'spend', op: 'between', value: [50_000, 400_000] },
    { tag: 'vip' },
    { event: 'order.completed', within: 'P30D' },
  ],
};

/** Ten segments as a brand keeps them: what one member's new order makes the consumer re-evaluate. */
const SEGMENTS: SegmentRule[] = [
  THREE_CONDITIONS,
  { trait: 'orderCount', op: '>=', value: 5 },
  { trait: 'spend', op: '>', value: 300_000 },
  { trait: 'lastOrderAt', op: '>=', value: 'P90D' },
  { tag: 'vip' },
  { event: 'order.completed', within: 'P30D', count: { op: '>=', value: 2 } },
  {
    all: [
      { trait: 'orderCount', op: '=', value: 1 },
      { trait: 'firstOrderAt', op: '>=', value: 'P30D' },
    ],
  },
  { any: [{ tag: 'vip' }, { trait: 'spend', op: '>=', value: 450_000 }] },
  { not: { event: 'order.completed', within: 'P180D' } },
  { trait: 'tier', op: '=', value: 'regular' },
];

/**
 * The audience benchmark's part on segments, on both engines, over 1,000,000 synthetic members with traits, a tag
 * held by one in seven and purchases as activity (one in five bought within 30 days):
 * - `segment.count_1m_p50_ms`: counting the three-condition rule (a trait range, a tag, an event within 30 days);
 * - `segment.update_per_event_p99_us`: re-evaluating one member's ten segments, as the consumer does when her order
 *   arrives (membership read, compared and written in one transaction), after 200 untimed re-evaluations of others;
 *   beside it `segment.floor_txn_p99_us`, the engine's own floor: a transaction that reads one row and writes one.
 */
export async function segmentsPart(ctx: BenchContext): Promise<void> {
  for (const engine of ['sqlite', 'postgres'] as const) {
    const testDb = await createTestDatabase(engine);
    // Opened as a node opens it (SQLite's checkpoints in the background).
    const database = openDatabase(testDb.target, { backgroundCheckpoints: true });
    try {
      await migrateToLatest(database.db);
      const members = ctx.quick ? MEMBERS / 10 : MEMBERS;
      const size = ctx.quick ? '100k' : '1m';
      await syntheticMembers(database, engine, members);
      const context = await compileContext(database.db, engine, NOW);
      const expected = await countMatching(database.db, THREE_CONDITIONS, context);
      const counts: number[] = [];
      for (let i = 0; i < COUNTS; i++) {
        const started = performance.now();
        const n = await countMatching(
          database.db,
          THREE_CONDITIONS,
          await compileContext(database.db, engine, NOW),
        );
        counts.push(performance.now() - started);
        if (n !== expected) throw new Error(`counted ${n}, then ${expected}`);
      }
      ctx.record(
        `segment.count_${size}_p50_ms.${engine}`,
        percentile(
          counts.sort((a, b) => a - b),
          50,
        ),
        'ms',
      );
      ctx.record(`segment.count_${size}_matching.${engine}`, expected);

      await defineSegments(database);
      const refresh = (member: string) =>
        database.transaction((trx) => refreshSegments(trx, engine, { memberIds: [member], now: NOW }));
      const timed = Array.from({ length: UPDATES }, (_, i) => `mem_${1 + ((i * 7919) % members)}`);
      const others = Array.from(
        { length: WARM_UPS * 2 },
        (_, i) => `mem_${1 + ((i * 104_729 + 17) % members)}`,
      );
      for (const member of others.filter((m) => !timed.includes(m)).slice(0, WARM_UPS)) await refresh(member);
      const updates: number[] = [];
      for (const member of timed) {
        const started = performance.now();
        await refresh(member);
        updates.push((performance.now() - started) * 1000);
      }
      updates.sort((a, b) => a - b);
      ctx.record(`segment.update_per_event_p99_us.${engine}`, percentile(updates, 99), 'µs');
      ctx.record(`segment.update_per_event_p50_us.${engine}`, percentile(updates, 50), 'µs');
      const floor = await floorOfTransactions(database);
      ctx.record(`segment.floor_txn_p99_us.${engine}`, percentile(floor, 99), 'µs');
      ctx.record(`segment.floor_txn_p50_us.${engine}`, percentile(floor, 50), 'µs');
    } finally {
      await database.close();
      await testDb.drop();
    }
  }
}

/**
 * The engine's own floor for the update figure: the same number of transactions, timed the same way, each reading
 * one row and writing one — the least a re-evaluation that writes can do. Sorted.
 */
async function floorOfTransactions(database: Database): Promise<number[]> {
  await sql`create table bench_floor (id integer primary key, at text not null)`.execute(database.db);
  const times: number[] = [];
  for (let i = 0; i < WARM_UPS + UPDATES; i++) {
    const started = performance.now();
    await database.transaction(async (trx) => {
      await sql`select id from segments where id = ${'seg_bench_0'}`.execute(trx);
      await sql`insert into bench_floor (id, at) values (${i}, ${NOW.toISOString()})`.execute(trx);
    });
    if (i >= WARM_UPS) times.push((performance.now() - started) * 1000);
  }
  return times.sort((a, b) => a - b);
}

/** The ten segments, defined without members (each member's first re-evaluation writes hers). */
async function defineSegments(database: Database): Promise<void> {
  const at = NOW.toISOString();
  await database.db
    .insertInto('segments')
    .values(
      SEGMENTS.map((rule, i) => ({
        id: `seg_bench_${i}`,
        name: `bench ${i}`,
        rule: JSON.stringify(rule),
        count: 0,
        computed_at: at,
        created_by: 'bench',
        created_at: at,
        updated_at: at,
      })),
    )
    .execute();
}

/**
 * `n` members with traits (spread spend, order counts and dates), the tag `vip` on one in seven, and order activity:
 * one in five bought within the last 30 days, everyone else earlier — made by the database itself from a series.
 */
export async function syntheticMembers(
  database: Database,
  engine: 'sqlite' | 'postgres',
  n: number,
): Promise<void> {
  const series = seriesOf(engine, n);
  const db = database.db;
  await sql`insert into members (id, status, channel, traits, created_at, updated_at)
    select 'mem_' || i, 'active', 'pos', '{}', '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z'
    from (${series}) as n`.execute(db);
  await insertSyntheticTraits(database, engine, n, { year: 2026, months: 6 });
  await sql`insert into member_tags (member_id, tag_code, source, set_by, set_at)
    select 'mem_' || i, 'vip', 'manual', 'bench', '2026-01-01T00:00:00.000Z' from (${series}) as n
    where i % 7 = 3`.execute(db);
  // A purchase a day for each member, in one of 150 days back from the end of June: 1 in 5 within 30 days.
  await sql`insert into member_activity (member_id, type, channel, ref, occurred_at, received_at)
    select 'mem_' || i, 'order.completed', 'online', 'ord_' || i,
      '2026-' || ${twoDigits(sql`2 + (i % 5)`)} || '-' || ${twoDigits(sql`1 + (i * 17) % 28`)} || 'T09:00:00.000Z',
      '2026-06-30T00:00:00.000Z'
    from (${series}) as n`.execute(db);
  // PostgreSQL as after autovacuum (it vacuums tables that only grew, too): statistics, and the visibility map that
  // lets index-only scans skip the table. SQLite as OmniLoop keeps it: without statistics (see the README's
  // Storage), which nothing runs on its own there.
  if (engine === 'postgres') await sql`vacuum analyze`.execute(db);
  // And as a database that has been there a while: what was written is in its files, not still being written out
  // by the server's checkpointer (or in SQLite's log) while the figures are taken.
  await (engine === 'postgres' ? sql`checkpoint` : sql`pragma wal_checkpoint(truncate)`).execute(db);
}
