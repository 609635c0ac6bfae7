import type { Kysely, Selectable } from 'kysely';
import { appendEvent, type DB, type FieldError, newEvent, nowIso, type Trx } from '../platform/index.js';
import type {
  AttributeEntry,
  AttributeNames,
  CategoryEntry,
  CategoryNames,
  Dictionary,
  Names,
} from './catalog.contract.js';
import { CatalogErrors } from './catalog.errors.js';
import { AttributeNamed, CategoryNamed } from './catalog.events.js';
import type { CatalogAttributesTable, CatalogCategoriesTable } from './catalog.schema.js';

// The brand's dictionary of its catalog: names per language for categories, attributes and attribute values.
// Read by everyone who reads the catalog (the customer's pages too), written by HQ.

const LANGUAGES = ['zh-CN', 'en-US'] as const;

function toCategory(row: Selectable<CatalogCategoriesTable>): CategoryEntry {
  return { code: row.code, names: JSON.parse(row.names) as Names, position: Number(row.position) };
}

function toAttribute(row: Selectable<CatalogAttributesTable>): AttributeEntry {
  const values = JSON.parse(row.value_names) as Record<string, Names>;
  return {
    code: row.code,
    names: JSON.parse(row.names) as Names,
    position: Number(row.position),
    values: Object.entries(values).map(([code, names]) => ({ code, names })),
  };
}

/**
 * The whole dictionary: named categories and attributes in their order (position, then code), then the categories
 * products use that have no entry yet (names null), so that HQ sees what is left to name.
 */
export async function readDictionary(db: Kysely<DB>): Promise<Dictionary> {
  const [categoryRows, attributeRows, used] = await Promise.all([
    db.selectFrom('catalog_categories').selectAll().orderBy('position').orderBy('code').execute(),
    db.selectFrom('catalog_attributes').selectAll().orderBy('position').orderBy('code').execute(),
    db.selectFrom('products').select('category').distinct().orderBy('category').execute(),
  ]);
  const categories = categoryRows.map(toCategory);
  const named = new Set(categories.map((c) => c.code));
  for (const { category } of used)
    if (!named.has(category)) categories.push({ code: category, names: null, position: 0 });
  return { categories, attributes: attributeRows.map(toAttribute) };
}

/** Names trimmed, or CATALOG.NAME_BLANK naming every blank one (whitespace is no name). */
function cleanNames(names: Names, path: string, blanks: FieldError[]): Names {
  const clean = { 'zh-CN': names['zh-CN'].trim(), 'en-US': names['en-US'].trim() };
  for (const language of LANGUAGES)
    if (clean[language] === '') blanks.push({ path: `${path}.${language}`, message: 'is blank' });
  return clean;
}

function throwIfBlank(code: string, blanks: FieldError[]): void {
  if (blanks.length === 0) return;
  throw CatalogErrors.nameBlank(`A name of ${code} is blank in the dictionary`, {
    errors: blanks,
    extra: { field: blanks[0]?.path },
  });
}

async function nextPosition(trx: Trx, table: 'catalog_categories' | 'catalog_attributes'): Promise<number> {
  const row = await trx
    .selectFrom(table)
    .select((eb) => eb.fn.max<number | null>('position').as('last'))
    .executeTakeFirst();
  return row?.last === null || row?.last === undefined ? 0 : Number(row.last) + 1;
}

/** Names a category (creates its entry, or replaces its names); a new entry goes last unless placed. */
export async function nameCategory(trx: Trx, code: string, body: CategoryNames): Promise<CategoryEntry> {
  const blanks: FieldError[] = [];
  const names = cleanNames(body.names, 'names', blanks);
  throwIfBlank(code, blanks);
  const existing = await trx
    .selectFrom('catalog_categories')
    .select('position')
    .where('code', '=', code)
    .executeTakeFirst();
  const position =
    body.position ?? (existing ? Number(existing.position) : await nextPosition(trx, 'catalog_categories'));
  const row = { code, names: JSON.stringify(names), position, updated_at: nowIso() };
  await trx
    .insertInto('catalog_categories')
    .values(row)
    .onConflict((oc) =>
      oc.column('code').doUpdateSet({ names: row.names, position, updated_at: row.updated_at }),
    )
    .execute();
  const entry = toCategory(row);
  await appendEvent(trx, newEvent(CategoryNamed, { stream: `catalog:category:${code}`, payload: entry }));
  return entry;
}

/** Names an attribute and its values (the values replaced whole); a new entry goes last unless placed. */
export async function nameAttribute(trx: Trx, code: string, body: AttributeNames): Promise<AttributeEntry> {
  const blanks: FieldError[] = [];
  const names = cleanNames(body.names, 'names', blanks);
  const values: Record<string, Names> = {};
  const firstAt = new Map<string, number>();
  const repeated: { code: string; error: FieldError }[] = [];
  (body.values ?? []).forEach((value, index) => {
    const first = firstAt.get(value.code);
    if (first !== undefined)
      repeated.push({
        code: value.code,
        error: { path: `values[${index}].code`, message: `repeats values[${first}].code` },
      });
    else firstAt.set(value.code, index);
    values[value.code] = cleanNames(value.names, `values[${index}].names`, blanks);
  });
  throwIfBlank(code, blanks);
  if (repeated.length > 0)
    throw CatalogErrors.valueRepeated(`A value of ${code} is named twice`, {
      errors: repeated.map((r) => r.error),
      extra: { value: repeated[0]?.code },
    });
  const existing = await trx
    .selectFrom('catalog_attributes')
    .select('position')
    .where('code', '=', code)
    .executeTakeFirst();
  const position =
    body.position ?? (existing ? Number(existing.position) : await nextPosition(trx, 'catalog_attributes'));
  const row = {
    code,
    names: JSON.stringify(names),
    value_names: JSON.stringify(values),
    position,
    updated_at: nowIso(),
  };
  await trx
    .insertInto('catalog_attributes')
    .values(row)
    .onConflict((oc) =>
      oc.column('code').doUpdateSet({
        names: row.names,
        value_names: row.value_names,
        position,
        updated_at: row.updated_at,
      }),
    )
    .execute();
  const entry = toAttribute(row);
  await appendEvent(trx, newEvent(AttributeNamed, { stream: `catalog:attribute:${code}`, payload: entry }));
  return entry;
}
