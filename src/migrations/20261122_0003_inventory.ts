import { type Kysely, sql } from 'kysely';
import { serialKey } from './util.js';

export async function up(db: Kysely<any>): Promise<void> {
  // The invariants that must hold under any concurrency are CHECK constraints: even a bug in a service cannot
  // make on hand negative or promise more than is on hand.
  await db.schema
    .createTable('stock_levels')
    .addColumn('sku', 'text', (c) => c.notNull())
    .addColumn('location', 'text', (c) => c.notNull())
    .addColumn('on_hand', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('reserved', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('safety_stock', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('in_transit', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('stock_levels_pk', ['sku', 'location'])
    .addCheckConstraint('stock_levels_on_hand_nonnegative', sql`on_hand >= 0`)
    .addCheckConstraint('stock_levels_reserved_nonnegative', sql`reserved >= 0`)
    .addCheckConstraint('stock_levels_reserved_covered', sql`reserved <= on_hand`)
    .addCheckConstraint('stock_levels_safety_nonnegative', sql`safety_stock >= 0`)
    .addCheckConstraint('stock_levels_in_transit_nonnegative', sql`in_transit >= 0`)
    .execute();
  await db.schema
    .createIndex('stock_levels_location')
    .on('stock_levels')
    .columns(['location', 'sku'])
    .execute();

  await db.schema
    .createTable('stock_movements')
    .addColumn('seq', ...serialKey(db))
    .addColumn('sku', 'text', (c) => c.notNull())
    .addColumn('location', 'text', (c) => c.notNull())
    .addColumn('delta', 'integer', (c) => c.notNull())
    .addColumn('on_hand_after', 'integer', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('source_type', 'text', (c) => c.notNull())
    .addColumn('source_id', 'text')
    .addColumn('note', 'text')
    .addColumn('actor', 'text')
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('stock_movements_level')
    .on('stock_movements')
    .columns(['sku', 'location', 'seq'])
    .execute();

  await db.schema
    .createTable('reservations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reference', 'text')
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'text')
    .execute();
  await db.schema.createIndex('reservations_reference').on('reservations').column('reference').execute();

  await db.schema
    .createTable('reservation_lines')
    .addColumn('reservation_id', 'text', (c) => c.notNull())
    .addColumn('line_no', 'integer', (c) => c.notNull())
    .addColumn('sku', 'text', (c) => c.notNull())
    .addColumn('location', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('reservation_lines_pk', ['reservation_id', 'line_no'])
    .execute();

  await db.schema
    .createTable('transfers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('sku', 'text', (c) => c.notNull())
    .addColumn('from_location', 'text', (c) => c.notNull())
    .addColumn('to_location', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reference', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('shipped_at', 'text')
    .addColumn('received_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('transfers_status').on('transfers').columns(['status', 'created_at']).execute();

  await db.schema
    .createTable('channel_stock_policies')
    .addColumn('channel', 'text', (c) => c.primaryKey())
    .addColumn('location_kinds', 'text', (c) => c.notNull())
    .addColumn('locations', 'text')
    .addColumn('extra_safety_stock', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  // A batch of adjustments sent again (the ERP retries) is recognised by its id and applied once.
  await db.schema
    .createTable('stock_adjustment_batches')
    .addColumn('batch_id', 'text', (c) => c.primaryKey())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'stock_adjustment_batches',
    'channel_stock_policies',
    'transfers',
    'reservation_lines',
    'reservations',
    'stock_movements',
    'stock_levels',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
