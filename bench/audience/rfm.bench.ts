import { sql } from 'kysely';
import { runRfm } from '../../src/audience/rfm.service.js';
import { recomputeTraits } from '../../src/audience/traits.service.js';
import { piiFor } from '../../src/members/index.js';
import { type Database, migrateToLatest, openDatabase } from '../../src/platform/db/index.js';
import { createTestDatabase } from '../../test/helpers/database.js';
import { BENCH_SECRET, type BenchContext } from '../lib.js';
import { seriesOf, twoDigits } from './synthetic.js';

const MEMBERS = 1_000_000;

/** The audience benchmark's part on RFM: a run over 1,000,000 synthetic members with traits, on both engines. */
export async function rfmPart(ctx: BenchContext): Promise<void> {
  for (const engine of ['sqlite', 'postgres'] as const) {
    const testDb = await createTestDatabase(engine);
    const database = openDatabase(testDb.target);
    try {
      await migrateToLatest(database.db);
      const members = ctx.quick ? MEMBERS / 10 : MEMBERS;
      await syntheticTraits(database, engine, members);
      const started = performance.now();
      const run = await database.transaction((trx) => runRfm(trx, engine, { scheme: 'quintile' }, 'bench'));
      const ms = performance.now() - started;
      if (run.members !== members) throw new Error(`scored ${run.members} of ${members}`);
      ctx.record(`rfm.members_${ctx.quick ? '100k' : '1m'}_ms.${engine}`, ms, 'ms');
    } finally {
      await database.close();
      await testDb.drop();
    }
  }
}

/**
 * Traits for `n` members, made by the database itself (a generated series), with spread recency, frequency, spend
 * and card numbers, and ties (equal frequencies are common, as in real data).
 */
async function syntheticTraits(database: Database, engine: 'sqlite' | 'postgres', n: number): Promise<void> {
  const series = seriesOf(engine, n);
  await sql`
    insert into member_traits (member_id, card, first_order_at, last_order_at, order_count, spend, spend_365,
      average_order, units_bought, units_returned, returned_amount, return_rate, channels, stores, top_categories,
      home_store, city, trial_count, last_trial_at, last_seen_at, updated_at)
    select 'mem_' || i, cast(100000 + i as text), '2024-01-01T00:00:00.000Z',
      '2025-' || ${twoDigits(sql`1 + (i * 7) % 12`)} || '-' || ${twoDigits(sql`1 + (i * 13) % 28`)} || 'T10:00:00.000Z',
      1 + (i * 31) % 17, 1000 + (i * 7919) % 500000, 0, 0, 1, 0, 0, 0, '[]', '[]', '[]', null, null, 0, null, null,
      '2025-12-31T00:00:00.000Z'
    from (${series}) as n`.execute(database.db);
}

/** A quintile run on the Online Retail history just imported (`rfm.online_retail_ms`): the run alone is timed. */
export async function rfmOnImported(
  ctx: BenchContext,
  database: Database,
  engine: 'sqlite' | 'postgres',
): Promise<void> {
  await recomputeTraits(database, piiFor(BENCH_SECRET));
  const started = performance.now();
  const run = await database.transaction((trx) =>
    runRfm(trx, engine, { scheme: 'quintile', asOf: '2011-12-10T00:00:00Z' }, 'bench'),
  );
  ctx.record(`rfm.online_retail_ms.${engine}`, performance.now() - started, 'ms');
  ctx.record(`rfm.online_retail_members.${engine}`, run.members);
}
