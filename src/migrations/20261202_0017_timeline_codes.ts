import type { Kysely } from 'kysely';

// A timeline entry says what happened as a code and its parameters (JSON), so that the console can say it in
// its reader's language; `message` keeps the English sentence. Entries written before have neither (null).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('order_timeline').addColumn('code', 'text').execute();
  await db.schema.alterTable('order_timeline').addColumn('params', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('order_timeline').dropColumn('params').execute();
  await db.schema.alterTable('order_timeline').dropColumn('code').execute();
}
