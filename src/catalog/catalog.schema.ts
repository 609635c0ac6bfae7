/** Row types of the catalog (snake_case, as stored; `attributes` is a JSON object in text; `active` is 0/1). */
export interface CatalogTables {
  products: ProductsTable;
  skus: SkusTable;
  catalog_generation: CatalogGenerationTable;
  catalog_categories: CatalogCategoriesTable;
  catalog_attributes: CatalogAttributesTable;
}

/** One row (id 1): a token that triggers change on every write to `skus` (see `getSkus`). */
export interface CatalogGenerationTable {
  id: number;
  generation: number;
}

export interface ProductsTable {
  code: string;
  name: string;
  category: string;
  description: string | null;
  created_at: string;
  updated_at: string;
}

export interface SkusTable {
  code: string;
  product_code: string;
  name: string;
  /** Fen. */
  price: number;
  barcode: string | null;
  attributes: string;
  /** Copied from the product so that lists and coupon rules filter SKUs without a join. */
  category: string;
  active: number;
  created_at: string;
  updated_at: string;
}

/** A category's names per language: `names` is {"zh-CN": …, "en-US": …} in JSON text. */
export interface CatalogCategoriesTable {
  code: string;
  names: string;
  position: number;
  updated_at: string;
}

/** An attribute's names per language, and its values' (`value_names`: {valueCode: {"zh-CN", "en-US"}} in JSON text). */
export interface CatalogAttributesTable {
  code: string;
  names: string;
  value_names: string;
  position: number;
  updated_at: string;
}
