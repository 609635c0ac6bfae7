import type { Kysely } from 'kysely';

// Guest orders have no member, most orders no selling store, and a fulfillment has no pickup code until it is
// ready for pickup: the rows without a value are never looked up through these indexes (the lookups are all
// `column = ?`), yet every placed order paid for their entries. Partial indexes keep only the rows with a value.
const PARTIAL = [
  { name: 'orders_member', table: 'orders', columns: ['member_id', 'created_at'], column: 'member_id' },
  { name: 'orders_store', table: 'orders', columns: ['store_code', 'created_at'], column: 'store_code' },
  {
    name: 'fulfillments_pickup_code',
    table: 'fulfillments',
    columns: ['location', 'pickup_code'],
    column: 'pickup_code',
  },
] as const;

export async function up(db: Kysely<any>): Promise<void> {
  await recreate(db, true);
}

export async function down(db: Kysely<any>): Promise<void> {
  await recreate(db, false);
}

async function recreate(db: Kysely<any>, partial: boolean): Promise<void> {
  for (const index of PARTIAL) {
    await db.schema.dropIndex(index.name).execute();
    const create = db.schema
      .createIndex(index.name)
      .on(index.table)
      .columns([...index.columns]);
    await (partial ? create.where(index.column, 'is not', null) : create).execute();
  }
}
