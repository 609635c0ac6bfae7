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

// The brand's dictionary: what a category, an attribute and an attribute's value are called in each language of
// the console and the customer's pages. A code without an entry is shown as itself.

const NameText = Type.String({ minLength: 1, maxLength: 60 });
export const Names = Type.Object(
  { 'zh-CN': NameText, 'en-US': NameText },
  {
    additionalProperties: false,
    description: 'The name in each language: {"zh-CN": "粉底", "en-US": "Foundation"}',
  },
);
export type Names = Static<typeof Names>;
const Position = Type.Integer({ minimum: 0, maximum: 10_000, description: 'Lists show smaller first' });
const ValueCode = Type.String({ minLength: 1, maxLength: 200, description: 'A value as SKUs carry it' });

export const CategoryNames = Type.Object(
  { names: Names, position: Type.Optional(Position) },
  { additionalProperties: false },
);
export type CategoryNames = Static<typeof CategoryNames>;

export const AttributeNames = Type.Object(
  {
    names: Names,
    values: Type.Optional(
      Type.Array(Type.Object({ code: ValueCode, names: Names }, { additionalProperties: false }), {
        maxItems: 200,
        description: 'The values with a name (replaced whole); a value left out is shown as itself',
      }),
    ),
    position: Type.Optional(Position),
  },
  { additionalProperties: false },
);
export type AttributeNames = Static<typeof AttributeNames>;

/** A category (粉底, Foundation); `names` is null for a category products use that has no entry yet. */
export const CategoryEntry = Type.Object({
  code: Type.String(),
  names: Nullable(Names),
  position: Type.Integer(),
});
export type CategoryEntry = Static<typeof CategoryEntry>;

/** An attribute (色号, Shade) and the values it names (自然, Natural). */
export const AttributeEntry = Type.Object({
  code: Type.String(),
  names: Names,
  position: Type.Integer(),
  values: Type.Array(Type.Object({ code: Type.String(), names: Names })),
});
export type AttributeEntry = Static<typeof AttributeEntry>;

export const Dictionary = Type.Object({
  categories: Type.Array(CategoryEntry),
  attributes: Type.Array(AttributeEntry),
});
export type Dictionary = Static<typeof Dictionary>;
