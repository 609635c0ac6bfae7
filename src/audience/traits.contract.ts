import Type, { type Static } from 'typebox';
import { Nullable } from '../platform/index.js';

// The traits' API shapes, written once: validation, /openapi.json and the console's types.

const Time = Nullable(Type.String({ format: 'date-time' }));
const Fen = (description: string) => Type.Integer({ description });

export const MemberTraits = Type.Object({
  memberId: Type.String(),
  firstOrderAt: Time,
  lastOrderAt: Time,
  orderCount: Type.Integer({ description: 'completed purchase orders, history included' }),
  spend: Fen('fen paid for them, returns not subtracted'),
  spend365: Fen('the same over the last 365 days'),
  averageOrder: Fen('spend / orderCount'),
  unitsBought: Type.Integer(),
  unitsReturned: Type.Integer(),
  returnedAmount: Fen('fen of the goods returned'),
  returnRate: Type.Number({ description: 'unitsReturned / unitsBought' }),
  channels: Type.Array(Type.String(), { description: 'channels she bought in' }),
  stores: Type.Array(Type.String(), { description: 'stores she bought in or collected from' }),
  topCategories: Type.Array(Type.String(), { description: 'her three categories with most units bought' }),
  homeStore: Nullable(Type.String({ description: 'the store of most of her orders' })),
  city: Nullable(Type.String({ description: 'the city of her latest delivery' })),
  trialCount: Type.Integer(),
  lastTrialAt: Time,
  lastSeenAt: Time,
  updatedAt: Type.String({ format: 'date-time' }),
});
export type MemberTraits = Static<typeof MemberTraits>;

export const RecomputeAnswer = Type.Object({
  members: Type.Integer({ description: 'members read' }),
  withTraits: Type.Integer({ description: 'members with traits' }),
  durationMs: Type.Integer(),
});
