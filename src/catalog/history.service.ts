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
 * from the history and priced at the last price seen, in the category the history gives when the brand's
 * dictionary knows it, else `uncategorised`. Known codes are left as they are.
 * Returns the categories of all the codes (known or new) and how many products were made.
 */
export async function ensureHistoryItems(
  trx: Trx,
  items: ReadonlyMap<string, { name: string; price: number; category?: string | null }>,
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
  const wanted = [...new Set([...items.values()].flatMap((i) => (i.category ? [i.category] : [])))];
  const named = new Set<string>();
  for (let i = 0; i < wanted.length; i += 500) {
    const rows = await trx
      .selectFrom('catalog_categories')
      .select('code')
      .where('code', 'in', wanted.slice(i, i + 500))
      .execute();
    for (const r of rows) named.add(r.code);
  }
  const now = nowIso();
  const products: Selectable<ProductsTable>[] = [];
  const skus: Selectable<SkusTable>[] = [];
  for (const [code, item] of items) {
    if (categories.has(code)) continue;
    const category = item.category && named.has(item.category) ? item.category : UNCATEGORISED;
    categories.set(code, category);
    const name = item.name.trim() || code;
    products.push({
      code,
      name,
      category,
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
      category,
      active: 1,
      created_at: now,
      updated_at: now,
    });
  }
  if (products.some((p) => p.category === UNCATEGORISED)) await nameUncategorised(trx);
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
