import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('returns')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('member_id', 'text')
    .addColumn('exchange_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('location', 'text', (c) => c.notNull())
    .addColumn('received_location', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('condition', 'text', (c) => c.notNull())
    .addColumn('client_request_id', 'text')
    .addColumn('money_value', 'integer', (c) => c.notNull())
    .addColumn('points_value', 'integer', (c) => c.notNull())
    .addColumn('credit_amount', 'integer', (c) => c.notNull())
    .addColumn('refund_amount', 'integer', (c) => c.notNull())
    .addColumn('refund_status', 'text', (c) => c.notNull())
    .addColumn('refund_attempts', 'integer', (c) => c.notNull())
    .addColumn('refund_last_error', 'text')
    .addColumn('loyalty', 'text')
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('received_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text')
    .addColumn('refunded_at', 'text')
    .addCheckConstraint(
      'returns_amounts',
      sql`refund_amount >= 0 and credit_amount >= 0 and refund_amount + credit_amount = money_value`,
    )
    .execute();
  await db.schema.createIndex('returns_order').on('returns').columns(['order_id', 'created_at']).execute();
  await db.schema.createIndex('returns_status').on('returns').columns(['status', 'created_at']).execute();
  await db.schema
    .createIndex('returns_refund_status')
    .on('returns')
    .columns(['refund_status', 'created_at'])
    .execute();
  await db.schema.createIndex('returns_location').on('returns').columns(['location', 'created_at']).execute();
  await db.schema
    .createIndex('returns_received_location')
    .on('returns')
    .columns(['received_location', 'created_at'])
    .execute();
  await db.schema.createIndex('returns_member').on('returns').columns(['member_id', 'created_at']).execute();
  // A double-tapped "return" button without an Idempotency-Key makes one return.
  await db.schema
    .createIndex('returns_client_request')
    .on('returns')
    .columns(['order_id', 'client_request_id'])
    .unique()
    .where(sql.ref('client_request_id'), 'is not', null)
    .execute();

  await db.schema
    .createTable('return_lines')
    .addColumn('return_id', 'text', (c) => c.notNull())
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('line_no', 'integer', (c) => c.notNull())
    .addColumn('sku', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('condition', 'text')
    .addColumn('money_amount', 'integer', (c) => c.notNull())
    .addColumn('points_amount', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('return_lines_pk', ['return_id', 'line_no'])
    .addCheckConstraint(
      'return_lines_amounts',
      sql`quantity > 0 and money_amount >= 0 and points_amount >= 0`,
    )
    .execute();
  await db.schema
    .createIndex('return_lines_order')
    .on('return_lines')
    .columns(['order_id', 'line_no'])
    .execute();

  // Per order line, what returns have claimed so far. The conditional updates on these rows are what keep
  // returns within what was bought and refunds within what was paid, under any concurrency.
  await db.schema
    .createTable('return_line_totals')
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('line_no', 'integer', (c) => c.notNull())
    .addColumn('sku', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('money_total', 'integer', (c) => c.notNull())
    .addColumn('points_total', 'integer', (c) => c.notNull())
    .addColumn('returned_quantity', 'integer', (c) => c.notNull())
    .addColumn('received_quantity', 'integer', (c) => c.notNull())
    .addColumn('refunded_money', 'integer', (c) => c.notNull())
    .addColumn('refunded_points', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('return_line_totals_pk', ['order_id', 'line_no'])
    .addCheckConstraint(
      'return_line_totals_bounds',
      sql`returned_quantity >= 0 and returned_quantity <= quantity and received_quantity >= 0 and received_quantity <= returned_quantity
        and refunded_money >= 0 and refunded_money <= money_total and refunded_points >= 0 and refunded_points <= points_total`,
    )
    .execute();

  await db.schema
    .createTable('exchanges')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('return_id', 'text', (c) => c.notNull())
    .addColumn('replacement_order_id', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('location', 'text', (c) => c.notNull())
    .addColumn('credit_amount', 'integer', (c) => c.notNull())
    .addColumn('refund_amount', 'integer', (c) => c.notNull())
    .addColumn('payable_amount', 'integer', (c) => c.notNull())
    .addColumn('credit_refunded', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('exchanges_order').on('exchanges').columns(['order_id']).execute();
  await db.schema
    .createIndex('exchanges_replacement')
    .on('exchanges')
    .columns(['replacement_order_id'])
    .unique()
    .execute();

  await db.schema
    .createTable('service_slots')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('store', 'text', (c) => c.notNull())
    .addColumn('service', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text', (c) => c.notNull())
    .addColumn('local_day', 'text', (c) => c.notNull())
    .addColumn('capacity', 'integer', (c) => c.notNull())
    .addColumn('booked', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    // The database itself refuses an overbooked slot, whatever the code does.
    .addCheckConstraint('service_slots_capacity', sql`booked >= 0 and booked <= capacity and capacity >= 0`)
    .execute();
  await db.schema
    .createIndex('service_slots_key')
    .on('service_slots')
    .columns(['store', 'service', 'starts_at'])
    .unique()
    .execute();
  await db.schema
    .createIndex('service_slots_day')
    .on('service_slots')
    .columns(['store', 'local_day', 'starts_at'])
    .execute();

  await db.schema
    .createTable('appointments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slot_id', 'text', (c) => c.notNull())
    .addColumn('store', 'text', (c) => c.notNull())
    .addColumn('service', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text', (c) => c.notNull())
    .addColumn('local_day', 'text', (c) => c.notNull())
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('booked_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('cancelled_at', 'text')
    .addColumn('cancel_reason', 'text')
    .execute();
  // One live booking per member and slot.
  await db.schema
    .createIndex('appointments_member_slot')
    .on('appointments')
    .columns(['slot_id', 'member_id'])
    .unique()
    .where(sql.ref('status'), '=', 'booked')
    .execute();
  await db.schema
    .createIndex('appointments_store_day')
    .on('appointments')
    .columns(['store', 'local_day', 'starts_at'])
    .execute();
  await db.schema
    .createIndex('appointments_member')
    .on('appointments')
    .columns(['member_id', 'starts_at'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'appointments',
    'service_slots',
    'exchanges',
    'return_line_totals',
    'return_lines',
    'returns',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
