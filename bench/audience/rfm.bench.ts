import type { Database } from '../../src/platform/db/index.js';
import type { BenchContext } from '../lib.js';

/** The audience benchmark's part on RFM: a run over 1,000,000 synthetic members with traits, on both engines. */
export async function rfmPart(_ctx: BenchContext): Promise<void> {}

/** A quintile run on the Online Retail history just imported (`rfm.online_retail_ms`). */
export async function rfmOnImported(
  _ctx: BenchContext,
  _database: Database,
  _engine: 'sqlite' | 'postgres',
): Promise<void> {}
