import { type Kysely, type Selectable, sql } from 'kysely';
import {
  appendEvent,
  type DB,
  decodeCursor,
  encodeCursor,
  newEvent,
  nowIso,
  type Page,
  type Queryable,
  readOnce,
  runPrepared,
  type Trx,
} from '../platform/index.js';
import type {
  NewProduct,
  NewSku,
  Product,
  ProductChanges,
  ProductQuery,
  ProductSummary,
  ProductWithSkus,
  Sku,
  SkuChanges,
  SkuQuery,
} from './catalog.contract.js';
import { CatalogErrors } from './catalog.errors.js';
import { ProductCreated, ProductUpdated, SkuCreated, SkuUpdated } from './catalog.events.js';
import { containsPattern, repeatedInRequest, type SkuAttributes } from './catalog.rules.js';
import type { ProductsTable, SkusTable } from './catalog.schema.js';

export function toProduct(row: Selectable<ProductsTable>): Product {
  return {
    code: row.code,
    name: row.name,
    category: row.category,
    description: row.description,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toSku(row: Selectable<SkusTable>): Sku {
  return {
    code: row.code,
    productCode: row.product_code,
    name: row.name,
    price: Number(row.price),
    barcode: row.barcode,
    attributes: JSON.parse(row.attributes) as SkuAttributes,
    category: row.category,
    active: row.active === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** A SKU by code, or undefined. */
export async function getSku(db: Kysely<DB>, code: string): Promise<Sku | undefined> {
  const row = await db.selectFrom('skus').selectAll().where('code', '=', code).executeTakeFirst();
  return row && toSku(row);
}

/** A SKU by code; throws CATALOG.SKU_NOT_FOUND. */
export async function requireSku(db: Kysely<DB>, code: string): Promise<Sku> {
  const sku = await getSku(db, code);
  if (!sku) throw CatalogErrors.skuNotFound(`No SKU ${code}`);
  return sku;
}

/** The SKUs of the given codes that exist, in one query; a missing code is simply absent from the map. */
/**
 * SKUs by code. Every order prices its lines from here, so a node keeps the SKUs it has read, per database, for
 * as long as the catalog's generation (changed by a trigger on any write to `skus`) stays the same: one
 * single-row read instead of reading and decoding the SKUs again. A write on any node, in any transaction,
 * changes the generation; the next read here sees it and starts over. The SKUs returned are shared: read only.
 */
export async function getSkus(db: Queryable, codes: readonly string[]): Promise<Map<string, Sku>> {
  const unique = [...new Set(codes)];
  if (unique.length === 0) return new Map();
  const { rows: current } = await readOnce(db, 'catalog.generation', () =>
    runPrepared(db, 'catalog.generation', [1], () =>
      db.selectFrom('catalog_generation').select('generation').where('id', '=', 1),
    ),
  );
  const generation = Number(current[0]?.generation);
  // Per database: transactions share their database's dialect adapter, and each database has its own.
  const owner = db.getExecutor().adapter;
  let cache = skuCaches.get(owner);
  if (!cache || cache.generation !== generation) {
    cache = { generation, skus: new Map() };
    skuCaches.set(owner, cache);
  }
  const found = new Map<string, Sku>();
  const missing: string[] = [];
  for (const code of unique) {
    const sku = cache.skus.get(code);
    if (sku) found.set(code, sku);
    else missing.push(code);
  }
  if (missing.length === 0) return found;
  const { rows } = await runPrepared(db, `catalog.skus x${missing.length}`, missing, () =>
    db.selectFrom('skus').selectAll().where('code', 'in', missing),
  );
  for (const row of rows) {
    const sku = toSku(row);
    found.set(row.code, sku);
    if (cache.skus.size < SKU_CACHE_LIMIT) cache.skus.set(row.code, sku);
  }
  return found;
}

interface SkuCache {
  generation: number;
  skus: Map<string, Sku>;
}

const skuCaches = new WeakMap<object, SkuCache>();
// A brand sells tens of thousands of SKUs at most; the bound only keeps a runaway catalog from growing the heap.
const SKU_CACHE_LIMIT = 200_000;

export async function getProduct(db: Kysely<DB>, code: string): Promise<ProductWithSkus | undefined> {
  const row = await db.selectFrom('products').selectAll().where('code', '=', code).executeTakeFirst();
  if (!row) return undefined;
  const skus = await db
    .selectFrom('skus')
    .selectAll()
    .where('product_code', '=', code)
    .orderBy('code')
    .execute();
  return { ...toProduct(row), skus: skus.map(toSku) };
}

export async function requireProduct(db: Kysely<DB>, code: string): Promise<ProductWithSkus> {
  const product = await getProduct(db, code);
  if (!product) throw CatalogErrors.productNotFound(`No product ${code}`);
  return product;
}

/** The code a list's cursor stands for (the platform's codec: one this list did not give out is a 400). */
function afterCursor(cursor: string | undefined): string | undefined {
  return decodeCursor(cursor, ['string'])?.[0];
}

function pageOf<T extends { code: string }>(rows: T[], limit: number): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor([last.code]) : null };
}

/** Products in code order with how many SKUs each has. */
export async function searchProducts(db: Kysely<DB>, query: ProductQuery): Promise<Page<ProductSummary>> {
  let select = db
    .selectFrom('products')
    .selectAll('products')
    .select((eb) =>
      eb
        .selectFrom('skus')
        .select((inner) => inner.fn.countAll<number>().as('n'))
        .whereRef('skus.product_code', '=', 'products.code')
        .as('sku_count'),
    )
    .orderBy('products.code')
    .limit(query.limit + 1);
  const after = afterCursor(query.cursor);
  if (after !== undefined) select = select.where('products.code', '>', after);
  if (query.category !== undefined) select = select.where('products.category', '=', query.category);
  if (query.q !== undefined && query.q !== '') {
    const pattern = containsPattern(query.q);
    select = select.where((eb) =>
      eb.or(
        (['products.code', 'products.name'] as const).map(
          (column) => sql<boolean>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`,
        ),
      ),
    );
  }
  const rows = await select.execute();
  return pageOf(
    rows.map((row) => ({ ...toProduct(row), skuCount: Number(row.sku_count ?? 0) })),
    query.limit,
  );
}

/** SKUs in code order: search by code, name or barcode, or find one by its exact barcode (a scan). */
export async function searchSkus(db: Kysely<DB>, query: SkuQuery): Promise<Page<Sku>> {
  let select = db
    .selectFrom('skus')
    .selectAll()
    .orderBy('code')
    .limit(query.limit + 1);
  const after = afterCursor(query.cursor);
  if (after !== undefined) select = select.where('code', '>', after);
  if (query.category !== undefined) select = select.where('category', '=', query.category);
  if (query.productCode !== undefined) select = select.where('product_code', '=', query.productCode);
  if (query.barcode !== undefined) select = select.where('barcode', '=', query.barcode);
  if (query.active !== undefined) select = select.where('active', '=', query.active ? 1 : 0);
  if (query.q !== undefined && query.q !== '') {
    const pattern = containsPattern(query.q);
    select = select.where((eb) =>
      eb.or(
        (['code', 'name', 'barcode'] as const).map(
          (column) => sql<boolean>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`,
        ),
      ),
    );
  }
  return pageOf((await select.execute()).map(toSku), query.limit);
}

function skuRow(
  product: { code: string; category: string },
  sku: NewSku,
  now: string,
): Selectable<SkusTable> {
  return {
    code: sku.code,
    product_code: product.code,
    name: sku.name,
    price: sku.price,
    barcode: sku.barcode ?? null,
    attributes: JSON.stringify(sku.attributes ?? {}),
    category: product.category,
    active: 1,
    created_at: now,
    updated_at: now,
  };
}

/**
 * Inserts SKUs, letting the unique constraints decide (also against a concurrent request); a SKU that did not
 * go in is explained by the code or barcode that someone else holds, and the caller's transaction rolls back.
 */
async function insertSkus(
  trx: Trx,
  rows: Selectable<SkusTable>[],
  pathOf: (index: number, field: 'code' | 'barcode') => string,
): Promise<void> {
  if (rows.length === 0) return;
  const inserted = await trx
    .insertInto('skus')
    .values(rows)
    .onConflict((oc) => oc.doNothing())
    .returning('code')
    .execute();
  if (inserted.length === rows.length) return;
  const went = new Set(inserted.map((r) => r.code));
  const refused = rows.map((row, index) => ({ row, index })).filter(({ row }) => !went.has(row.code));
  const takenCodes = new Set(
    (
      await trx
        .selectFrom('skus')
        .select('code')
        .where(
          'code',
          'in',
          refused.map(({ row }) => row.code),
        )
        .execute()
    ).map((r) => r.code),
  );
  const codeClash = refused.filter(({ row }) => takenCodes.has(row.code));
  if (codeClash.length > 0) {
    throw CatalogErrors.skuCodeTaken(`SKU code ${codeClash.map(({ row }) => row.code).join(', ')} is taken`, {
      errors: codeClash.map(({ index }) => ({ path: pathOf(index, 'code'), message: 'is taken' })),
    });
  }
  throw CatalogErrors.barcodeTaken(
    `Barcode ${refused.map(({ row }) => row.barcode).join(', ')} belongs to another SKU`,
    { errors: refused.map(({ index }) => ({ path: pathOf(index, 'barcode'), message: 'is taken' })) },
  );
}

function assertNoRepeats(skus: readonly NewSku[]): void {
  const errors = repeatedInRequest(skus);
  if (errors.length > 0) {
    throw CatalogErrors.repeatedInRequest(errors.map((e) => `${e.path} ${e.message}`).join('; '), { errors });
  }
}

/** A product and its SKUs, all or nothing. */
export async function createProduct(trx: Trx, input: NewProduct): Promise<ProductWithSkus> {
  assertNoRepeats(input.skus);
  const now = nowIso();
  const productRow: Selectable<ProductsTable> = {
    code: input.code,
    name: input.name,
    category: input.category,
    description: input.description ?? null,
    created_at: now,
    updated_at: now,
  };
  const inserted = await trx
    .insertInto('products')
    .values(productRow)
    .onConflict((oc) => oc.column('code').doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) {
    throw CatalogErrors.productCodeTaken(`The product code ${input.code} is taken`, {
      errors: [{ path: 'code', message: 'is taken' }],
    });
  }
  const rows = input.skus.map((sku) => skuRow(productRow, sku, now));
  await insertSkus(trx, rows, (index, field) => `skus[${index}].${field}`);
  const product: ProductWithSkus = {
    ...toProduct(productRow),
    skus: rows.map(toSku).sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)),
  };
  await appendEvent(
    trx,
    newEvent(ProductCreated, {
      stream: `catalog:product:${product.code}`,
      payload: product,
    }),
  );
  return product;
}

/**
 * Locks the product row (an update waits for any other writer and then sees its committed values), so that a
 * new SKU takes the category a concurrent category change leaves behind.
 */
async function touchProduct(trx: Trx, code: string, set: Partial<Selectable<ProductsTable>> = {}) {
  const row = await trx
    .updateTable('products')
    .set({ ...set, updated_at: nowIso() })
    .where('code', '=', code)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw CatalogErrors.productNotFound(`No product ${code}`);
  return row;
}

export async function addSku(trx: Trx, productCode: string, input: NewSku): Promise<Sku> {
  const product = await touchProduct(trx, productCode);
  const row = skuRow(product, input, nowIso());
  await insertSkus(trx, [row], (_index, field) => field);
  const sku = toSku(row);
  await appendEvent(trx, newEvent(SkuCreated, { stream: `catalog:sku:${sku.code}`, payload: sku }));
  return sku;
}

/** Renames or recategorises a product; its SKUs' copy of the category follows in the same transaction. */
export async function updateProduct(
  trx: Trx,
  code: string,
  changes: ProductChanges,
): Promise<ProductWithSkus> {
  const set: Partial<Selectable<ProductsTable>> = {};
  if (changes.name !== undefined) set.name = changes.name;
  if (changes.category !== undefined) set.category = changes.category;
  if (changes.description !== undefined) set.description = changes.description;
  const row = await touchProduct(trx, code, set);
  if (changes.category !== undefined) {
    await trx
      .updateTable('skus')
      .set({ category: changes.category, updated_at: row.updated_at })
      .where('product_code', '=', code)
      .where('category', '<>', changes.category)
      .execute();
  }
  const product = await requireProduct(trx, code);
  await appendEvent(
    trx,
    newEvent(ProductUpdated, {
      stream: `catalog:product:${code}`,
      payload: toProduct(row),
    }),
  );
  return product;
}

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** Changes only the fields given; a price change is an event channels follow. */
export async function updateSku(trx: Trx, code: string, changes: SkuChanges): Promise<Sku> {
  if (changes.barcode !== undefined && changes.barcode !== null) {
    const holder = await trx
      .selectFrom('skus')
      .select('code')
      .where('barcode', '=', changes.barcode)
      .where('code', '<>', code)
      .executeTakeFirst();
    if (holder) {
      throw CatalogErrors.barcodeTaken(`Barcode ${changes.barcode} belongs to SKU ${holder.code}`, {
        errors: [{ path: 'barcode', message: 'is taken' }],
      });
    }
  }
  const set: Partial<Selectable<SkusTable>> = { updated_at: nowIso() };
  if (changes.name !== undefined) set.name = changes.name;
  if (changes.price !== undefined) set.price = changes.price;
  if (changes.barcode !== undefined) set.barcode = changes.barcode;
  if (changes.attributes !== undefined) set.attributes = JSON.stringify(changes.attributes);
  if (changes.active !== undefined) set.active = changes.active ? 1 : 0;
  let row: Selectable<SkusTable> | undefined;
  try {
    row = await trx.updateTable('skus').set(set).where('code', '=', code).returningAll().executeTakeFirst();
  } catch (error) {
    // Another SKU took the barcode between the check and the update.
    if (isUniqueViolation(error)) {
      throw CatalogErrors.barcodeTaken(`Barcode ${changes.barcode} belongs to another SKU`, {
        errors: [{ path: 'barcode', message: 'is taken' }],
      });
    }
    throw error;
  }
  if (!row) throw CatalogErrors.skuNotFound(`No SKU ${code}`);
  const sku = toSku(row);
  await appendEvent(trx, newEvent(SkuUpdated, { stream: `catalog:sku:${sku.code}`, payload: sku }));
  return sku;
}
