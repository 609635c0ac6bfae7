import type { Kysely } from 'kysely';

// A run writes a score per member — a million rows at a million members. Each secondary index made every one of
// those rows a random insert of its own; the primary key (run, member) serves every read there is (a run's rows,
// her score in a run), and a run written in member order appends to its end.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('rfm_scores_segment').execute();
  await db.schema.dropIndex('rfm_scores_member').execute();
}
