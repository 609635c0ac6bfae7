import type { Kysely } from 'kysely';
import { serialKey } from './util.js';

// The member code (会员码): each member who shows one gets a short number, the part of the 18-digit code that names
// her (the rest is the minute and a signature), so that the code a scanner types carries no id and no personal data.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('member_code_numbers')
    .addColumn('number', ...serialKey(db))
    .addColumn('member_id', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}
