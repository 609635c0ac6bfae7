import { defineEvent } from '../platform/index.js';
import { AttributeEntry, CategoryEntry, Product, Sku } from './catalog.contract.js';

// The catalog's events (topic `catalog`): each carries the product or SKU as the API shows it now.

export const ProductCreated = defineEvent('catalog.product_created', Product);
export const ProductUpdated = defineEvent('catalog.product_updated', Product);
export const SkuCreated = defineEvent('catalog.sku_created', Sku);
export const SkuUpdated = defineEvent('catalog.sku_updated', Sku);
export const CategoryNamed = defineEvent('catalog.category_named', CategoryEntry);
export const AttributeNamed = defineEvent('catalog.attribute_named', AttributeEntry);
