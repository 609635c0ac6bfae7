import Type, { type Static } from 'typebox';
import { changesBody, codeString, Nullable, shortListQuery } from '../platform/index.js';

// The catalog API's shapes, each JSON Schema (validation, serialization, /openapi.json and the console's
// generated types) and its TypeScript type: written once.

const Code = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$' });
const Category = Type.String({ minLength: 1, maxLength: 50 });
const Name = Type.String({ minLength: 1, maxLength: 200 });
const Description = Nullable(Type.String({ maxLength: 2000 }));
const Price = Type.Integer({ minimum: 0, maximum: 1_000_000_000, description: 'Fen (分): 32000 is ¥320.00' });
const Barcode = Nullable(
  Type.String({ pattern: '^[0-9A-Za-z-]{4,48}$', description: 'EAN-13 or the brand’s own; unique' }),
);
// A map of strings as `additionalProperties` (TypeBox's Record would say it with patternProperties).
const Attributes = Type.Unsafe<Record<string, string>>({
  type: 'object',
  maxProperties: 20,
  additionalProperties: { type: 'string', maxLength: 200 },
  description: 'What sets the SKU apart: {"shade": "999", "finish": "matte"}, {"size": "50ml"}',
});
const Time = Type.String({ format: 'date-time' });

export const NewSku = Type.Object(
  {
    code: Code,
    name: Name,
    price: Price,
    barcode: Type.Optional(Barcode),
    attributes: Type.Optional(Attributes),
  },
  { additionalProperties: false },
);
export type NewSku = Static<typeof NewSku>;

export const NewProduct = Type.Object(
  {
    code: Code,
    name: Name,
    category: Category,
    description: Type.Optional(Description),
    skus: Type.Array(NewSku, { maxItems: 500 }),
  },
  { additionalProperties: false },
);
export type NewProduct = Static<typeof NewProduct>;

export const ProductChanges = changesBody({ name: Name, category: Category, description: Description });
export type ProductChanges = Static<typeof ProductChanges>;

export const SkuChanges = changesBody({
  name: Name,
  price: Price,
  barcode: Barcode,
  attributes: Attributes,
  active: Type.Boolean(),
});
export type SkuChanges = Static<typeof SkuChanges>;

/** What is stocked and sold (shade 999, 3.5 g): 规格 / SKU. */
export const Sku = Type.Object({
  code: Type.String(),
  productCode: Type.String(),
  name: Type.String(),
  price: Type.Integer({ description: 'Fen' }),
  barcode: Nullable(Type.String()),
  attributes: Type.Unsafe<Record<string, string>>({
    type: 'object',
    additionalProperties: { type: 'string' },
  }),
  category: Type.String({ description: 'The product’s category' }),
  active: Type.Boolean(),
  createdAt: Time,
  updatedAt: Time,
});
export type Sku = Static<typeof Sku>;

/** What is designed and marketed (a lipstick line): 商品 / 款 (SPU). */
const productFields = {
  code: Type.String(),
  name: Type.String(),
  category: Type.String(),
  description: Nullable(Type.String()),
  createdAt: Time,
  updatedAt: Time,
};
export const Product = Type.Object(productFields);
export type Product = Static<typeof Product>;

export const ProductWithSkus = Type.Object({ ...productFields, skus: Type.Array(Sku) });
export type ProductWithSkus = Static<typeof ProductWithSkus>;

export const ProductSummary = Type.Object({ ...productFields, skuCount: Type.Integer() });
export type ProductSummary = Static<typeof ProductSummary>;

export const ProductQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 100, description: 'Part of the code or name, any case' })),
    category: Type.Optional(Category),
    ...shortListQuery,
  },
  { additionalProperties: false },
);
export type ProductQuery = Static<typeof ProductQuery>;

export const SkuQuery = Type.Object(
  {
    q: Type.Optional(
      Type.String({ maxLength: 100, description: 'Part of the code, name or barcode, any case' }),
    ),
    category: Type.Optional(Category),
    productCode: Type.Optional(codeString),
    barcode: Type.Optional(
      Type.String({ minLength: 1, maxLength: 48, description: 'Exact barcode (a scan)' }),
    ),
    active: Type.Optional(Type.Boolean()),
    ...shortListQuery,
  },
  { additionalProperties: false },
);
export type SkuQuery = Static<typeof SkuQuery>;
