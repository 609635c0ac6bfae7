import type { AppModule } from '../platform/index.js';
import { registerCatalogRoutes } from './catalog.routes.js';
import { registerDictionaryRoutes } from './dictionary.routes.js';

/** Reads other contexts use: one SKU, one SKU or CATALOG.SKU_NOT_FOUND, many SKUs in one query (pricing an order). */
export type { Product, ProductWithSkus, Sku } from './catalog.contract.js';
/** Errors other contexts may expect from the catalog (CATALOG.SKU_NOT_FOUND …). */
export { CatalogErrors } from './catalog.errors.js';
export type { SkuAttributes } from './catalog.rules.js';
export type { CatalogTables } from './catalog.schema.js';
/** The demo brand's catalog (≈300 SKUs, deterministic); seeding is idempotent. */
export { DEMO_PRODUCTS, seedCatalog } from './catalog.seed.js';
export { getSku, getSkus, requireSku } from './catalog.service.js';
export { DEMO_DICTIONARY, seedDictionary } from './dictionary.seed.js';
/** Items an imported history names, made when the catalog does not have them (in `uncategorised`). */
export { ensureHistoryItems, UNCATEGORISED } from './history.service.js';

/** Products (SPU) and SKUs: what the brand sells, at what price, under which barcode. */
export const catalogModule: AppModule = {
  name: 'catalog',
  routes: (app, ctx) => {
    registerCatalogRoutes(app, ctx);
    registerDictionaryRoutes(app, ctx);
  },
};
