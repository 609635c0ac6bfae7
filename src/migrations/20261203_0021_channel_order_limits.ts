import type { Kysely } from 'kysely';

// How many units one line and one order of a channel may take (null: the channel's default, see
// defaultChannelPolicy): one call must not tie up a warehouse's stock.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('channel_stock_policies').addColumn('max_line_quantity', 'integer').execute();
  await db.schema.alterTable('channel_stock_policies').addColumn('max_order_quantity', 'integer').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('channel_stock_policies').dropColumn('max_order_quantity').execute();
  await db.schema.alterTable('channel_stock_policies').dropColumn('max_line_quantity').execute();
}
