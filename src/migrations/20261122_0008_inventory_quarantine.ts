import { type Kysely, sql } from 'kysely';

// Damaged returns are physically at a location but not sellable: they are counted apart from on hand until they
// are disposed of or sent back to the supplier.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('stock_levels')
    .addColumn('quarantined', 'integer', (c) => c.notNull().defaultTo(0).check(sql`quarantined >= 0`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('stock_levels').dropColumn('quarantined').execute();
}
