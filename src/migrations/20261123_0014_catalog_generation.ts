import { type Kysely, sql } from 'kysely';
import { isPostgres } from './util.js';

/**
 * The catalog's generation: a token that changes whenever any SKU is written, so that a node may keep SKUs in
 * memory and know, with a one-row read, whether they are still current. Triggers change it — no code path that
 * writes `skus` can forget to — and the token is random rather than counted, so that a rolled-back change can
 * never hand out a value again that a node saw while that change was in flight.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('catalog_generation')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('generation', 'bigint', (c) => c.notNull())
    .execute();
  await db.insertInto('catalog_generation').values({ id: 1, generation: 0 }).execute();
  if (isPostgres(db)) {
    await sql`
      create function catalog_generation_bump() returns trigger language plpgsql as $$
      begin
        update catalog_generation set generation = floor(random() * 9007199254740991)::bigint where id = 1;
        return null;
      end $$`.execute(db);
    await sql`
      create trigger skus_generation after insert or update or delete or truncate on skus
      for each statement execute function catalog_generation_bump()`.execute(db);
    return;
  }
  for (const event of ['insert', 'update', 'delete']) {
    await sql
      .raw(
        `create trigger skus_generation_${event} after ${event} on skus begin
           update catalog_generation set generation = abs(random() % 9007199254740991) where id = 1;
         end`,
      )
      .execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql`drop trigger skus_generation on skus`.execute(db);
    await sql`drop function catalog_generation_bump()`.execute(db);
  } else {
    for (const event of ['insert', 'update', 'delete'])
      await sql.raw(`drop trigger skus_generation_${event}`).execute(db);
  }
  await db.schema.dropTable('catalog_generation').execute();
}
