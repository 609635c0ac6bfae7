import type { Kysely } from 'kysely';
import { recurringJobRow } from './util.js';

// Segments whose rules move with time (an event within 30 days, a purchase 90 days ago) are re-evaluated by an
// hourly pass: the recurring job that runs it, and the index its member lists page by.
const SWEEP = 'audience.segments.sweep';

export async function up(db: Kysely<any>): Promise<void> {
  await db.insertInto('jobs').values(recurringJobRow(SWEEP, 'job_segments_sweep')).execute();
}
