import Type, { type Static } from 'typebox';
import { codeString, Nullable } from '../platform/index.js';

// Her cart, written once: validation, /openapi.json and the customer pages' types.

/** The most a cart holds, and of one SKU: a cart is what one person means to buy, not a wholesale order. */
export const CART_MAX_LINES = 50;
export const CART_MAX_QUANTITY = 99;

export const CartLine = Type.Object({
  sku: Type.String(),
  quantity: Type.Integer({ minimum: 1 }),
  name: Type.String(),
  productCode: Type.String(),
  price: Type.Integer({
    description: 'The list price now, fen (checkout prices it again with her benefits)',
  }),
  attributes: Type.Unsafe<Record<string, string>>({
    type: 'object',
    additionalProperties: { type: 'string' },
  }),
  active: Type.Boolean({ description: 'false: taken off sale since she added it; checkout leaves it out' }),
  store: Nullable(Type.String({ description: 'The store whose shelf code she scanned to add it' })),
  addedAt: Type.String({ format: 'date-time' }),
});
export type CartLine = Static<typeof CartLine>;

export const Cart = Type.Object({
  memberId: Type.String(),
  lines: Type.Array(CartLine, { description: 'Oldest first, as she added them' }),
  units: Type.Integer({ description: 'Units of the lines on sale' }),
  totalAmount: Type.Integer({ description: 'The lines on sale at list price, fen' }),
});
export type Cart = Static<typeof Cart>;

export const CartLineParams = Type.Object({ id: codeString, sku: codeString });

export const CartLineChange = Type.Object(
  {
    quantity: Type.Integer({ minimum: 1, maximum: CART_MAX_QUANTITY, description: 'The units she wants' }),
    store: Type.Optional(
      Type.String({ minLength: 1, maxLength: 64, description: 'The store whose shelf code she scanned' }),
    ),
  },
  { additionalProperties: false },
);
export type CartLineChange = Static<typeof CartLineChange>;
