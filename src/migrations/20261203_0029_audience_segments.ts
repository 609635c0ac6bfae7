import type { Kysely } from 'kysely';

// The audience context's segments capability: what it adds to the tables of 0024.
export async function up(_db: Kysely<any>): Promise<void> {}
