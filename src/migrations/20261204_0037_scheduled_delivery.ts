import type { Kysely } from 'kysely';

// A delivery she books for a day of her choosing (预约送达): the brand's calendar day the parcel should arrive.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('orders').addColumn('scheduled_date', 'text').execute();
}
