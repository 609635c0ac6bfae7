import type { Kysely } from 'kysely';

// A forwarder (to NATS) runs on one node at a time: the node holding it renews its lease each round; when the
// node dies, another takes it over once the lease has run out.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('event_consumers').addColumn('held_by', 'text').execute();
  await db.schema.alterTable('event_consumers').addColumn('held_until', 'bigint').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('event_consumers').dropColumn('held_until').execute();
  await db.schema.alterTable('event_consumers').dropColumn('held_by').execute();
}
