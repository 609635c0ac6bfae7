/** Row types of the catalog (snake_case, as stored; `attributes` is a JSON object in text; `active` is 0/1). */
export interface CatalogTables {
  products: ProductsTable;
  skus: SkusTable;
  catalog_generation: CatalogGenerationTable;
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
