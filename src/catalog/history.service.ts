import type { Selectable } from 'kysely';
import { appendEvents, insertRows, newEvent, nowIso, type Trx } from '../platform/index.js';
import { ProductCreated, SkuCreated } from './catalog.events.js';
import type { ProductsTable, SkusTable } from './catalog.schema.js';
import { toProduct, toSku } from './catalog.service.js';
import { nameCategory } from './dictionary.service.js';

/** The category of an item the brand's history named but its catalog never had: HQ sorts them later. */
export const UNCATEGORISED = 'uncategorised';

/**
 * Makes sure every item of an imported history exists: an unknown code becomes a product and its one SKU, named
 * from the history and priced at the last price seen, in `uncategorised`. Known codes are left as they are.
 * Returns the categories of all the codes (known or new) and how many products were made.
 */
export async function ensureHistoryItems(
  trx: Trx,
  items: ReadonlyMap<string, { name: string; price: number }>,
): Promise<{ categories: Map<string, string>; created: number }> {
  const codes = [...items.keys()];
  const categories = new Map<string, string>();
  for (let i = 0; i < codes.length; i += 500) {
    const known = await trx
      .selectFrom('skus')
      .select(['code', 'category'])
      .where('code', 'in', codes.slice(i, i + 500))
      .execute();
    for (const k of known) categories.set(k.code, k.category);
  }
  const now = nowIso();
  const products: Selectable<ProductsTable>[] = [];
  const skus: Selectable<SkusTable>[] = [];
  for (const [code, item] of items) {
    if (categories.has(code)) continue;
    categories.set(code, UNCATEGORISED);
    const name = item.name.trim() || code;
    products.push({
      code,
      name,
      category: UNCATEGORISED,
      description: null,
      created_at: now,
      updated_at: now,
    });
    skus.push({
      code,
      product_code: code,
      name,
      price: item.price,
      barcode: null,
      attributes: '{}',
      category: UNCATEGORISED,
      active: 1,
      created_at: now,
      updated_at: now,
    });
  }
  if (products.length > 0) await nameUncategorised(trx);
  await insertRows(trx, 'products', products, { onConflictDoNothing: 'code' });
  await insertRows(trx, 'skus', skus);
  await appendEvents(trx, [
    ...products.map((p) =>
      newEvent(ProductCreated, { stream: `catalog:product:${p.code}`, payload: toProduct(p) }),
    ),
    ...skus.map((s) =>
      newEvent(SkuCreated, { stream: `catalog:product:${s.product_code}`, payload: toSku(s) }),
    ),
  ]);
  return { categories, created: products.length };
}

/** The category the history's new items go to is named in the dictionary (once; HQ may rename it). */
async function nameUncategorised(trx: Trx): Promise<void> {
  const named = await trx
    .selectFrom('catalog_categories')
    .select('code')
    .where('code', '=', UNCATEGORISED)
    .executeTakeFirst();
  if (!named)
    await nameCategory(trx, UNCATEGORISED, { names: { 'zh-CN': '未分类', 'en-US': 'Uncategorised' } });
}
