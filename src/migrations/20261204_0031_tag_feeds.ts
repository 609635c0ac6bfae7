import type { Kysely } from 'kysely';
import { recurringJobRow } from './util.js';

// A tag fed by facts: a trial result or a purchased SKU's attribute ({"key": "skinType", "value": "dry"}), as JSON;
// and the hourly pass over rule tags whose rules move with time.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('tags').addColumn('feed', 'text').execute();
  await db.insertInto('jobs').values(recurringJobRow('audience.tags.sweep', 'job_tags_sweep')).execute();
}
