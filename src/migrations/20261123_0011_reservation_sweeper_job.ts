import type { Kysely } from 'kysely';
import { recurringJobRow } from './util.js';

/**
 * The reservation sweeper is one recurring job that every database has from the start. A reservation then only
 * has to bring the sweep forward when it is due before the sweeper's next idle look — not write the job row on
 * every reservation, which the hottest paths (placing an order, a channel's reservation) would pay for.
 */
const SWEEPER = 'inventory.reservation.sweep';

export async function up(db: Kysely<any>): Promise<void> {
  const existing = await db.selectFrom('jobs').select('id').where('key', '=', SWEEPER).executeTakeFirst();
  if (existing) {
    await db.updateTable('jobs').set({ max_attempts: 1_000_000 }).where('key', '=', SWEEPER).execute();
    return;
  }
  await db.insertInto('jobs').values(recurringJobRow(SWEEPER, 'job_sweeper')).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('jobs').where('key', '=', SWEEPER).execute();
}
