import { type Kysely, sql } from 'kysely';

// Payments and refunds, the log of provider notifications, and the built-in simulated provider's own books.
// Amounts are fen. The money invariants are CHECK constraints: whatever a service does, a payment never has more
// refunds promised than was paid, nor more refunded than was promised.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('payments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('provider_txn_id', 'text', (c) => c.notNull())
    // Pending and succeeded refunds together: what is no longer available to refund.
    .addColumn('refund_claimed_amount', 'bigint', (c) => c.notNull().defaultTo(0))
    // Refunds the provider confirmed.
    .addColumn('refunded_amount', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('failure_reason', 'text')
    .addColumn('reference', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('settled_at', 'text')
    .addCheckConstraint('payments_amount_positive', sql`amount > 0`)
    .addCheckConstraint('payments_refund_claimed_range', sql`refund_claimed_amount between 0 and amount`)
    .addCheckConstraint(
      'payments_refunded_range',
      sql`refunded_amount >= 0 and refunded_amount <= refund_claimed_amount`,
    )
    .execute();
  await db.schema
    .createIndex('payments_provider_txn')
    .on('payments')
    .columns(['provider', 'provider_txn_id'])
    .unique()
    .execute();
  // NULLs are distinct in a unique index on both engines: only payments that carry a reference are unique.
  await db.schema.createIndex('payments_reference').on('payments').column('reference').unique().execute();
  await db.schema.createIndex('payments_order').on('payments').columns(['order_id', 'id']).execute();

  await db.schema
    .createTable('refund_requests')
    .addColumn('reference', 'text', (c) => c.primaryKey())
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('payment_id', 'text')
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('refunds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('payment_id', 'text', (c) => c.notNull())
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('reference', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('provider_refund_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('succeeded_at', 'text')
    .addCheckConstraint('refunds_amount_positive', sql`amount > 0`)
    .execute();
  await db.schema
    .createIndex('refunds_reference_payment')
    .on('refunds')
    .columns(['reference', 'payment_id'])
    .unique()
    .execute();
  await db.schema.createIndex('refunds_order').on('refunds').columns(['order_id', 'id']).execute();
  await db.schema.createIndex('refunds_status').on('refunds').columns(['status', 'id']).execute();

  await db.schema
    .createTable('payment_notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('signature_valid', 'integer', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('http_status', 'integer', (c) => c.notNull())
    .addColumn('notification_type', 'text')
    .addColumn('provider_txn_id', 'text')
    .addColumn('payment_id', 'text')
    .addColumn('refund_id', 'text')
    .addColumn('detail', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('payment_notifications_txn')
    .on('payment_notifications')
    .columns(['provider_txn_id', 'id'])
    .execute();
  await db.schema
    .createIndex('payment_notifications_payment')
    .on('payment_notifications')
    .columns(['payment_id', 'id'])
    .execute();

  await db.schema
    .createTable('simulated_provider_transactions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('payment_id', 'text', (c) => c.notNull())
    .addColumn('refund_id', 'text')
    .addColumn('payment_txn_id', 'text', (c) => c.notNull())
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('requested_outcome', 'text')
    .addColumn('outcome', 'text')
    .addColumn('failure_reason', 'text')
    .addColumn('notification_body', 'text')
    .addColumn('callback_status', 'text', (c) => c.notNull())
    .addColumn('callback_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_callback_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'text')
    .addColumn('delivered_at', 'text')
    .execute();
  await db.schema
    .createIndex('simulated_provider_transactions_payment')
    .on('simulated_provider_transactions')
    .columns(['payment_txn_id', 'kind'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'simulated_provider_transactions',
    'payment_notifications',
    'refunds',
    'refund_requests',
    'payments',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
