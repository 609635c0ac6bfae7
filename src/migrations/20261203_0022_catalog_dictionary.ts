import type { Kysely } from 'kysely';

// The brand's dictionary of its catalog: what each category and each SKU attribute (and its values) is called
// in each language. `names` is a JSON object in text ({"zh-CN": "粉底", "en-US": "Foundation"}); an attribute's
// `value_names` maps each value code to its names ({"natural": {"zh-CN": "自然", "en-US": "Natural"}}).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('catalog_categories')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('names', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('catalog_attributes')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('names', 'text', (c) => c.notNull())
    .addColumn('value_names', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('catalog_attributes').ifExists().execute();
  await db.schema.dropTable('catalog_categories').ifExists().execute();
}
