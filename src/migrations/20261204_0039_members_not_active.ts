import { type Kysely, sql } from 'kysely';

// A segment over everyone whose rule names a tag or a recent event is read over those members alone, not over the
// whole members table: leaving out the few who are no longer active (merged, erased) then reads this index of them
// instead of every member's row.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('members_not_active')
    .on('members')
    .column('id')
    .where(sql.ref('status'), '<>', 'active')
    .execute();
}
