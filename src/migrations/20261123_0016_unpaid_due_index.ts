import { type Kysely, sql } from 'kysely';

// The unpaid-order sweeper asks for `status = 'pending_payment' and expires_at <= now order by expires_at`: with
// the status leading the partial index, SQLite's planner takes it (over orders_status, which would then sort).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('orders_unpaid_due').execute();
  await db.schema
    .createIndex('orders_unpaid_due')
    .on('orders')
    .columns(['status', 'expires_at'])
    .where(sql.ref('status'), '=', 'pending_payment')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('orders_unpaid_due').execute();
  await db.schema
    .createIndex('orders_unpaid_due')
    .on('orders')
    .column('expires_at')
    .where(sql.ref('status'), '=', 'pending_payment')
    .execute();
}
