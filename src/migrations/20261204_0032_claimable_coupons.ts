import type { Kysely } from 'kysely';

// The coupon centre (领券中心): a template that customers claim themselves, within its per-member and total limits.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('coupon_templates')
    .addColumn('claimable', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}
