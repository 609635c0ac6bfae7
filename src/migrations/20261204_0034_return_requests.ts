import { type Kysely, sql } from 'kysely';

// A return asked for from the customer's phone says how the goods come back: brought to a store of her choice
// (`store`, the return's location) or sent by courier (`courier`: collected from her address, `pickup`, or
// dropped at a courier point, `drop_off`) to where the brand receives returns, with the parcel's carrier and
// tracking number once she has it. Her photos of the goods are https URLs (JSON array). The pickup address is
// personal data: encrypted like an order's recipient; the wanted day is not.
export async function up(db: Kysely<any>): Promise<void> {
  // One column per statement: SQLite's ALTER TABLE adds one at a time.
  await db.schema
    .alterTable('returns')
    .addColumn('photos', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
  await db.schema
    .alterTable('returns')
    .addColumn('method', 'text', (c) => c.notNull().defaultTo('store'))
    .execute();
  await db.schema.alterTable('returns').addColumn('courier_mode', 'text').execute();
  await db.schema.alterTable('returns').addColumn('pickup_day', 'text').execute();
  await db.schema.alterTable('returns').addColumn('pickup_address', 'text').execute();
  await db.schema.alterTable('returns').addColumn('carrier', 'text').execute();
  await db.schema.alterTable('returns').addColumn('tracking_number', 'text').execute();
  await db.schema.alterTable('returns').addColumn('shipped_at', 'text').execute();
  // Returns asked for before: one sent to a warehouse could only have come by courier, dropped off by the
  // customer (no pickup was ever booked); every other was brought to its store.
  await db
    .updateTable('returns')
    .set({ method: 'courier', courier_mode: 'drop_off' })
    .where('location', 'in', sql`(select code from locations where kind = 'warehouse')`)
    .execute();
}
