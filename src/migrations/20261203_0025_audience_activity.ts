import { type Kysely, sql } from 'kysely';
import { recurringJobRow } from './util.js';

// The audience context's activity capability: what it adds to the tables of 0024.
// - activity_settings: one row, the brand's retention of tracked app events (180 days unless changed);
// - member_activity_ref: the facts' rows by the order / return / trial / coupon they came from, so that a fact
//   delivered again replaces its rows instead of adding them twice, and the purge tells facts from app events;
// - the recurring purge of tracked events older than the retention.
const PURGE = 'audience.activity.purge';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('activity_settings')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('retention_days', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .execute();
  await db
    .insertInto('activity_settings')
    .values({ id: 1, retention_days: 180, updated_at: new Date().toISOString(), updated_by: 'system' })
    .execute();
  await db.schema
    .createIndex('member_activity_ref')
    .on('member_activity')
    .columns(['ref', 'type'])
    .where(sql.ref('ref'), 'is not', null)
    .execute();
  await db
    .insertInto('jobs')
    .values(recurringJobRow(PURGE, 'job_activity_purge'))
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('jobs').where('key', '=', PURGE).execute();
  await db.schema.dropIndex('member_activity_ref').execute();
  await db.schema.dropTable('activity_settings').execute();
}
