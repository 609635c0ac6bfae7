import { type Kysely, sql } from 'kysely';
import { recurringJobRow } from './util.js';

/**
 * Unpaid orders are cancelled by one recurring sweeper, as reservations are, instead of a job row per order
 * (written by every order placed, deleted by every payment). It finds the due ones through a partial index that
 * holds only the orders still waiting for payment.
 */
const SWEEPER = 'order.unpaid.sweep';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('orders_unpaid_due')
    .on('orders')
    .column('expires_at')
    .where(sql.ref('status'), '=', 'pending_payment')
    .execute();
  await db
    .insertInto('jobs')
    .values(recurringJobRow(SWEEPER, 'job_unpaid_sweeper'))
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('jobs').where('key', '=', SWEEPER).execute();
  await db.schema.dropIndex('orders_unpaid_due').execute();
}
