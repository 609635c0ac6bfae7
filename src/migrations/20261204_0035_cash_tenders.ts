import type { Kysely } from 'kysely';

// Cash taken and paid out at a store's counter. A cash payment keeps what the customer handed over and the change
// given back, and the store and staff member who took it; a cash refund keeps who handed the money back where, or
// that it waits for a store's counter (a courier return: nobody can hand cash to a parcel). Nullable: no other
// provider has them. One column per statement: SQLite adds one column per ALTER TABLE.
export async function up(db: Kysely<any>): Promise<void> {
  for (const [column, type] of [
    ['tendered', 'bigint'],
    ['change_given', 'bigint'],
    ['counter_store', 'text'],
    ['counter_staff', 'text'],
  ] as const) {
    await db.schema.alterTable('payments').addColumn(column, type).execute();
  }
  for (const column of ['counter_store', 'counter_staff', 'awaiting'] as const) {
    await db.schema.alterTable('refunds').addColumn(column, 'text').execute();
  }
}
