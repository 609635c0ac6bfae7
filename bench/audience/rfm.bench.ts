import { runRfm } from '../../src/audience/rfm.service.js';
import { recomputeTraits } from '../../src/audience/traits.service.js';
import { piiFor } from '../../src/members/index.js';
import { type Database, migrateToLatest, openDatabase } from '../../src/platform/db/index.js';
import { createTestDatabase } from '../../test/helpers/database.js';
import { BENCH_SECRET, type BenchContext } from '../lib.js';
import { insertSyntheticTraits } from './synthetic.js';

const MEMBERS = 1_000_000;

/** The audience benchmark's part on RFM: a run over 1,000,000 synthetic members with traits, on both engines. */
export async function rfmPart(ctx: BenchContext): Promise<void> {
  for (const engine of ['sqlite', 'postgres'] as const) {
    const testDb = await createTestDatabase(engine);
    // Opened as a node opens it (SQLite's checkpoints in the background).
    const database = openDatabase(testDb.target, { backgroundCheckpoints: true });
    try {
      await migrateToLatest(database.db);
      const members = ctx.quick ? MEMBERS / 10 : MEMBERS;
      await insertSyntheticTraits(database, engine, members, { year: 2025, months: 12 });
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
