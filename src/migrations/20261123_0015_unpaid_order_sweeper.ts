import { type Kysely, sql } from 'kysely';

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
  const now = new Date().toISOString();
  await db
    .insertInto('jobs')
    .values({
      id: `job_unpaid_sweeper_${Date.now().toString(36)}`,
      kind: SWEEPER,
      key: SWEEPER,
      payload: '{}',
      state: 'pending',
      run_at: now,
      attempts: 0,
      max_attempts: 1_000_000,
      locked_by: null,
      locked_until: null,
      last_error: null,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('jobs').where('key', '=', SWEEPER).execute();
  await db.schema.dropIndex('orders_unpaid_due').execute();
}
