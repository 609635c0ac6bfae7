import Type from 'typebox';
import { defineEvent, Nullable } from '../platform/index.js';

const Fen = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });

/**
 * A return of the brand's history came in through an import (a `C` invoice of the Online Retail file, a
 * `return_of` row of ours): nothing is refunded or restocked; profiles and analytics count it, as they count
 * `order.imported`.
 */
export const ReturnImported = defineEvent(
  'return.imported',
  Type.Object({
    returnId: Type.String(),
    importId: Type.String(),
    channel: Type.String(),
    memberId: Nullable(Type.String()),
    storeCode: Nullable(Type.String()),
    amount: Fen,
    returnedAt: Type.String({ format: 'date-time' }),
    lines: Type.Array(Type.Object({ sku: Type.String(), quantity: Type.Integer(), amount: Fen })),
  }),
);
