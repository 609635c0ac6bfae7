import type { Kysely } from 'kysely';

// Each channel app's API key may carry its own request limit; null takes the platform's default.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('api_keys').addColumn('requests_per_minute', 'integer').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('api_keys').dropColumn('requests_per_minute').execute();
}
