import { type Kysely, sql } from 'kysely';
import { serialKey } from './util.js';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('orders')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text')
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('store_code', 'text')
    .addColumn('guide', 'text')
    .addColumn('member_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('fulfillment_type', 'text', (c) => c.notNull())
    .addColumn('fulfillment_store', 'text')
    .addColumn('address_city', 'text')
    .addColumn('address_lat', 'double precision')
    .addColumn('address_lng', 'double precision')
    // Recipient name, phone and street are personal data: ciphertext only.
    .addColumn('address_private', 'text')
    .addColumn('total_amount', 'integer', (c) => c.notNull())
    .addColumn('discount_amount', 'integer', (c) => c.notNull())
    .addColumn('points_amount', 'integer', (c) => c.notNull())
    .addColumn('points_redeemed', 'integer', (c) => c.notNull())
    .addColumn('payable_amount', 'integer', (c) => c.notNull())
    .addColumn('paid_amount', 'integer', (c) => c.notNull())
    .addColumn('coupon_codes', 'text', (c) => c.notNull())
    .addColumn('plan', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('local_day', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('completed_at', 'text')
    .addColumn('cancelled_at', 'text')
    .addColumn('cancel_reason', 'text')
    .execute();
  // One order per channel number: a POS or marketplace sync sent twice makes one order.
  await db.schema
    .createIndex('orders_channel_external')
    .on('orders')
    .columns(['channel', 'external_id'])
    .unique()
    .where(sql.ref('external_id'), 'is not', null)
    .execute();
  await db.schema.createIndex('orders_created').on('orders').columns(['created_at', 'id']).execute();
  await db.schema.createIndex('orders_member').on('orders').columns(['member_id', 'created_at']).execute();
  await db.schema.createIndex('orders_store').on('orders').columns(['store_code', 'created_at']).execute();
  await db.schema.createIndex('orders_status').on('orders').columns(['status', 'created_at']).execute();

  await db.schema
    .createTable('order_lines')
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('line_no', 'integer', (c) => c.notNull())
    .addColumn('sku', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('unit_price', 'integer', (c) => c.notNull())
    .addColumn('line_amount', 'integer', (c) => c.notNull())
    .addColumn('discount_amount', 'integer', (c) => c.notNull())
    .addColumn('points_amount', 'integer', (c) => c.notNull())
    .addColumn('paid_amount', 'integer', (c) => c.notNull())
    // Units cancelled before fulfillment (refunded); the line keeps what was bought for the record.
    .addColumn('cancelled_quantity', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('order_lines_pk', ['order_id', 'line_no'])
    .execute();

  await db.schema
    .createTable('order_timeline')
    .addColumn('seq', ...serialKey(db))
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text')
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('actor', 'text')
    .addColumn('data', 'text')
    .execute();
  await db.schema
    .createIndex('order_timeline_order')
    .on('order_timeline')
    .columns(['order_id', 'seq'])
    .execute();

  await db.schema
    .createTable('fulfillments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('location', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reservation_id', 'text')
    .addColumn('pickup_code', 'text')
    .addColumn('ready_by', 'text')
    .addColumn('ready_at', 'text')
    .addColumn('pickup_deadline', 'text')
    .addColumn('carrier', 'text')
    .addColumn('tracking_number', 'text')
    .addColumn('rejected_by', 'text', (c) => c.notNull())
    .addColumn('local_day', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('fulfillments_order').on('fulfillments').column('order_id').execute();
  await db.schema
    .createIndex('fulfillments_location')
    .on('fulfillments')
    .columns(['location', 'status', 'created_at'])
    .execute();
  await db.schema
    .createIndex('fulfillments_load')
    .on('fulfillments')
    .columns(['local_day', 'location'])
    .execute();
  await db.schema
    .createIndex('fulfillments_pickup_code')
    .on('fulfillments')
    .columns(['location', 'pickup_code'])
    .execute();

  await db.schema
    .createTable('fulfillment_lines')
    .addColumn('fulfillment_id', 'text', (c) => c.notNull())
    .addColumn('sku', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('fulfillment_lines_pk', ['fulfillment_id', 'sku'])
    .execute();

  await db.schema
    .createTable('fulfillment_transfers')
    .addColumn('transfer_id', 'text', (c) => c.primaryKey())
    .addColumn('fulfillment_id', 'text', (c) => c.notNull())
    .addColumn('from_location', 'text', (c) => c.notNull())
    .addColumn('sku', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('received', 'integer', (c) => c.notNull())
    // Once received, the units are reserved at the pickup store for this order.
    .addColumn('reservation_id', 'text')
    .execute();
  // Groups each location took per day, for daily capacity, kept by an event consumer (shard leaves room to spread a
  // hot location's counter over several rows should one consumer per node ever be too slow).
  await db.schema
    .createTable('fulfillment_daily_load')
    .addColumn('local_day', 'text', (c) => c.notNull())
    .addColumn('location', 'text', (c) => c.notNull())
    .addColumn('shard', 'integer', (c) => c.notNull())
    .addColumn('groups', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('fulfillment_daily_load_pk', ['local_day', 'location', 'shard'])
    .execute();

  await db.schema
    .createIndex('fulfillment_transfers_fulfillment')
    .on('fulfillment_transfers')
    .column('fulfillment_id')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'fulfillment_daily_load',
    'fulfillment_transfers',
    'fulfillment_lines',
    'fulfillments',
    'order_timeline',
    'order_lines',
    'orders',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
