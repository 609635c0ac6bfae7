import Type, { type Static } from 'typebox';
import { codeString, Nullable } from '../platform/index.js';

// The till's day, written once: validation, /openapi.json and the console's types.

const Fen = (description: string) => Type.Integer({ description });
const Count = Type.Integer({ minimum: 0 });

export const TillDayQuery = Type.Object(
  {
    day: Type.Optional(
      Type.String({ format: 'date', description: 'the brand’s calendar day; today when absent' }),
    ),
  },
  { additionalProperties: false },
);
export const TillDayParams = Type.Object({ code: codeString });

/** A store's till for one day: what was sold, voided and is still to pay, by payment and by guide. */
export const TillDay = Type.Object({
  store: Type.String(),
  day: Type.String({ format: 'date' }),
  sales: Type.Object({
    orders: Count,
    totalAmount: Fen('fen at list price'),
    discountAmount: Fen('fen taken off by coupons and promotions'),
    pointsAmount: Fen('fen paid with points'),
    paidAmount: Fen('fen taken'),
    members: Type.Integer({ description: 'distinct members among the sales' }),
  }),
  voided: Type.Object({ orders: Count, totalAmount: Fen('fen of the voided sales') }),
  awaitingPayment: Type.Object({ orders: Count, payableAmount: Fen('fen still to take') }),
  byPayment: Type.Array(Type.Object({ provider: Type.String(), payments: Count, amount: Fen('fen') })),
  byGuide: Type.Array(
    Type.Object({ guide: Nullable(Type.String()), orders: Count, paidAmount: Fen('fen taken') }),
  ),
});
export type TillDay = Static<typeof TillDay>;
