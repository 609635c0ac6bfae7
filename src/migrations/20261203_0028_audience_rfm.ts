import type { Kysely } from 'kysely';
import { recurringJobRow } from './util.js';

// RFM's monthly run: the brand's schedule (one row; off until HQ turns it on) and the recurring job that checks it,
// claimed by one node at a time, so that a month's run happens once across nodes.
const MONTHLY = 'rfm.monthly';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('rfm_schedule')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('day_of_month', 'integer', (c) => c.notNull())
    /** JSON: the run's request (scheme, windowDays, monetary, threshold). */
    .addColumn('run', 'text', (c) => c.notNull())
    /** The brand's month (YYYY-MM) of the last scheduled run. */
    .addColumn('last_month', 'text')
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  const now = new Date().toISOString();
  await db
    .insertInto('rfm_schedule')
    .values({
      id: 1,
      enabled: 0,
      day_of_month: 1,
      run: JSON.stringify({ scheme: 'quintile', monetary: 'total' }),
      last_month: null,
      updated_by: 'system',
      updated_at: now,
    })
    .execute();
  await db.insertInto('jobs').values(recurringJobRow(MONTHLY, 'job_rfm_monthly')).execute();
}
