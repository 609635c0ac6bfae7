import type { Kysely } from 'kysely';

// Her cart (购物车), kept on the server so it survives reloads, other devices and logging in again. One row per
// SKU she added; no unique (member, sku): a merge moves the merged member's rows to the survivor, and her cart then
// shows both quantities added together until she changes the line.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('cart_lines')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('sku', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('store', 'text')
    .addColumn('added_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('cart_lines_member').on('cart_lines').columns(['member_id', 'sku']).execute();
}
