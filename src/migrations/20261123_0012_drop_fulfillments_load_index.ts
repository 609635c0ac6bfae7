import type { Kysely } from 'kysely';

// A location's daily load is counted in fulfillment_daily_load; nothing reads fulfillments by day, and every
// placed order paid for this index.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('fulfillments_load').ifExists().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('fulfillments_load')
    .on('fulfillments')
    .columns(['local_day', 'location'])
    .execute();
}
