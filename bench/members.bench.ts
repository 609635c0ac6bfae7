import SqliteDatabase from 'better-sqlite3';
import { findMemberIdByIdentifier, identify, piiFor, retryOnRace } from '../src/members/index.js';
import { indexScope } from '../src/members/members.rules.js';
import { type Database, migrateToLatest, openDatabase } from '../src/platform/db/index.js';
import { newId } from '../src/platform/ids.js';
import { createTestDatabase } from '../test/helpers/database.js';
import { BENCH_SECRET, type BenchContext, percentile } from './lib.js';

const pii = piiFor(BENCH_SECRET);
const actor = { role: 'admin', subject: 'bench' };
const APP = 'wx_bench_mp';

const phoneOf = (n: number) => `13${String(n).padStart(9, '0')}`;

/**
 * One ID on both engines, in process (no HTTP): identify calls per second under a realistic mix — 70% a known
 * member coming back, 20% a new customer, 10% two records of one person meeting (a merge) — and, on SQLite,
 * the p99 of an exact identifier lookup with 1,000,000 identifiers stored (100,000 with --quick).
 */
export async function membersSuite(ctx: BenchContext): Promise<void> {
  const seconds = ctx.quick ? 3 : 8;
  for (const engine of ['sqlite', 'postgres'] as const) {
    const testDb = await createTestDatabase(engine);
    const database = openDatabase(testDb.target, { poolSize: 20 });
    try {
      await migrateToLatest(database.db);
      ctx.record(
        `${engine === 'postgres' ? 'pg' : 'sqlite'}.identify_per_s`,
        await identifyMix(database, seconds, ctx.quick),
        'calls/s',
      );
      if (engine === 'sqlite' && testDb.target.engine === 'sqlite') {
        const stored = ctx.quick ? 100_000 : 1_000_000;
        await bulkLoad(testDb.target.path, stored);
        ctx.record('sqlite.lookup_identifiers_stored', stored, 'identifiers');
        const timings = await lookups(database, stored / 4, ctx.quick ? 5_000 : 20_000);
        ctx.record('sqlite.lookup_p50_us', percentile(timings, 50), 'µs');
        ctx.record('sqlite.lookup_p99_us', percentile(timings, 99), 'µs');
      }
    } finally {
      await database.close();
      await testDb.drop();
    }
  }
}

async function identifyMix(database: Database, seconds: number, quick: boolean): Promise<number> {
  const known = quick ? 500 : 2000;
  const pairs = quick ? 1000 : 4000;
  const run = (
    identifiers: { type: 'phone' | 'openid'; value: string; appId?: string; verified?: boolean }[],
  ) =>
    retryOnRace(() =>
      database.transaction((trx) => identify(trx, pii, { identifiers, channel: 'mini_program' }, actor)),
    );
  // Known members: a verified phone and a mini-program openid each.
  for (let i = 0; i < known; i += 100) {
    await database.transaction(async (trx) => {
      for (let n = i; n < Math.min(known, i + 100); n++) {
        await identify(
          trx,
          pii,
          {
            identifiers: [
              { type: 'phone', value: phoneOf(n), verified: true },
              { type: 'openid', value: `oBench_${n}`, appId: APP },
            ],
            channel: 'mini_program',
          },
          actor,
        );
      }
    });
  }
  // Merge pairs: a till customer known by phone, and a mini-program guest known by openid.
  for (let i = 0; i < pairs; i += 100) {
    await database.transaction(async (trx) => {
      for (let n = i; n < Math.min(pairs, i + 100); n++) {
        await identify(
          trx,
          pii,
          { identifiers: [{ type: 'phone', value: phoneOf(100_000 + n) }], channel: 'pos' },
          actor,
        );
        await identify(
          trx,
          pii,
          { identifiers: [{ type: 'openid', value: `oGuest_${n}`, appId: APP }], channel: 'mini_program' },
          actor,
        );
      }
    });
  }
  let fresh = 200_000;
  let nextPair = 0;
  let done = 0;
  const until = performance.now() + seconds * 1000;
  const workers = database.engine === 'postgres' ? 16 : 4;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (performance.now() < until) {
        const roll = Math.random();
        if (roll < 0.7) {
          const n = Math.floor(Math.random() * known);
          await run([
            { type: 'openid', value: `oBench_${n}`, appId: APP },
            { type: 'phone', value: phoneOf(n), verified: true },
          ]);
        } else if (roll < 0.9 || nextPair >= pairs) {
          const n = fresh++;
          await run([
            { type: 'phone', value: phoneOf(n), verified: true },
            { type: 'openid', value: `oNew_${n}`, appId: APP },
          ]);
        } else {
          const n = nextPair++;
          await run([
            { type: 'phone', value: phoneOf(100_000 + n), verified: true },
            { type: 'openid', value: `oGuest_${n}`, appId: APP },
          ]);
        }
        done++;
      }
    }),
  );
  return done / seconds;
}

/** Writes members with four identifiers each straight into the SQLite file: setup, not what is measured. */
async function bulkLoad(path: string, identifiers: number): Promise<void> {
  const sqlite = new SqliteDatabase(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = OFF');
  const member = sqlite.prepare(
    `insert into members (id, status, merged_into, channel, profile_ciphertext, name_index, traits, created_at, updated_at, erased_at)
     values (?, 'active', null, 'online', null, null, '{}', ?, ?, null)`,
  );
  const identifier = sqlite.prepare(
    `insert into member_identifiers (id, member_id, type, app_id, blind_index, ciphertext, verified, channel, created_at)
     values (?, ?, ?, ?, ?, ?, 1, 'online', ?)`,
  );
  const now = new Date().toISOString();
  const members = identifiers / 4;
  const batch = sqlite.transaction((from: number, to: number) => {
    for (let n = from; n < to; n++) {
      const id = newId('mem');
      member.run(id, now, now);
      const values: [string, string, string][] = [
        ['phone', '', `+86${phoneOf(1_000_000 + n)}`],
        ['openid', APP, `oLoad_${n}`],
        ['unionid', '', `uLoad_${n}`],
        ['device', '', `device-load-${n}`],
      ];
      for (const [type, appId, value] of values) {
        identifier.run(
          newId('mid'),
          id,
          type,
          appId,
          pii.blindIndex(indexScope(type as 'phone', appId), value),
          pii.encrypt(value),
          now,
        );
      }
    }
  });
  for (let i = 0; i < members; i += 10_000) batch(i, Math.min(members, i + 10_000));
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  sqlite.close();
}

async function lookups(database: Database, members: number, count: number): Promise<number[]> {
  const timings: number[] = [];
  for (let i = 0; i < count; i++) {
    const n = Math.floor(Math.random() * members);
    const t0 = performance.now();
    await findMemberIdByIdentifier(database.db, pii, { type: 'phone', value: phoneOf(1_000_000 + n) });
    timings.push((performance.now() - t0) * 1000);
  }
  return timings.sort((a, b) => a - b);
}
