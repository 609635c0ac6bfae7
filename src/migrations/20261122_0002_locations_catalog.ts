import type { Kysely } from 'kysely';

// Locations and the catalog. No foreign keys: skus.product_code is kept true by the catalog service, so that
// the PostgreSQL path stays partitionable (inventory by SKU) without cross-table constraints.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('locations')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('city', 'text', (c) => c.notNull())
    .addColumn('address', 'text')
    .addColumn('lat', 'double precision', (c) => c.notNull())
    .addColumn('lng', 'double precision', (c) => c.notNull())
    .addColumn('pickup', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('ship_from_store', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('same_day_radius_km', 'double precision')
    .addColumn('daily_capacity', 'integer')
    .addColumn('priority_tier', 'integer', (c) => c.notNull().defaultTo(2))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('locations_kind').on('locations').column('kind').execute();
  await db.schema.createIndex('locations_city').on('locations').column('city').execute();

  await db.schema
    .createTable('products')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('products_category').on('products').column('category').execute();

  await db.schema
    .createTable('skus')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('product_code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('price', 'integer', (c) => c.notNull())
    .addColumn('barcode', 'text', (c) => c.unique())
    .addColumn('attributes', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('skus_product_code').on('skus').column('product_code').execute();
  await db.schema.createIndex('skus_category').on('skus').column('category').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['skus', 'products', 'locations']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
