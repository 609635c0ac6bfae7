import Type, { type Static } from 'typebox';
import { CHANNELS, codeString, Nullable, StringEnum } from '../platform/index.js';
import { EXPERIENCE_KINDS } from './experience.rules.js';

// The experience API's shapes (in-store trials, favourites, recommendations), each JSON Schema (validation,
// serialization, /openapi.json and the console's generated types) and its TypeScript type.

const Time = Type.String({ format: 'date-time' });
const StoreCode = Type.String({ minLength: 1, maxLength: 32 });

/** What came out of a trial: {shade: "999"}, {skinType: "dry"} … */
type TrialResult = Record<string, string | number | boolean>;

export const NewExperience = Type.Object(
  {
    memberId: codeString,
    store: StoreCode,
    guide: Type.Optional(
      Type.String({ minLength: 1, maxLength: 64, description: 'The guide who served (a guide: themself)' }),
    ),
    sku: codeString,
    kind: StringEnum(EXPERIENCE_KINDS),
    // A map of scalars (JSON Schema's additionalProperties with anyOf, which TypeBox has no builder for).
    result: Type.Optional(
      Type.Unsafe<TrialResult>({
        type: 'object',
        maxProperties: 20,
        description: 'What came out of it: {shade: "999"}, {skinType: "dry"} …',
        additionalProperties: {
          anyOf: [{ type: 'string', maxLength: 200 }, { type: 'number' }, { type: 'boolean' }],
        },
      }),
    ),
  },
  { additionalProperties: false },
);

/** A trial (试用 / 试色 / 试穿 / skin test) recorded in a store. */
export const Experience = Type.Object({
  id: Type.String(),
  memberId: Type.String(),
  store: Type.String(),
  guide: Nullable(Type.String()),
  sku: Type.String(),
  kind: StringEnum(EXPERIENCE_KINDS),
  result: Type.Unsafe<Record<string, unknown> | null>({
    type: ['object', 'null'],
    additionalProperties: true,
  }),
  recordedBy: Type.String(),
  recordedAt: Time,
});
export type Experience = Static<typeof Experience>;

export const NewFavourite = Type.Object(
  {
    sku: codeString,
    store: Type.Optional(Type.String({ minLength: 1, maxLength: 32, description: 'Where it was scanned' })),
  },
  { additionalProperties: false },
);

const favouriteFields = {
  id: Type.String(),
  memberId: Type.String(),
  sku: Type.String(),
  store: Nullable(Type.String()),
  recordedBy: Type.String(),
  createdAt: Time,
};
export const Favourite = Type.Object(favouriteFields);
export type Favourite = Static<typeof Favourite>;

export const FavouriteSaved = Type.Object({
  ...favouriteFields,
  created: Type.Boolean({ description: 'false: it was saved before; the first stays' }),
});

export const RecommendationQuery = Type.Object({
  channel: Type.Optional(
    StringEnum(CHANNELS, { description: 'Whose stock counts (default: the caller’s channel, else online)' }),
  ),
  limit: Type.Unsafe<number>(Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 10 }))),
});

export const Recommendation = Type.Object({
  sku: Type.String(),
  name: Type.String(),
  productCode: Type.String(),
  price: Type.Integer(),
  reason: StringEnum(['tried_in_store', 'favourited', 'bought_together', 'bestseller']),
  score: Type.Number(),
  available: Type.Integer({ description: 'Units available to the member’s channel now' }),
  store: Type.Optional(Nullable(Type.String())),
  at: Type.Optional(Time),
  count: Type.Optional(Type.Integer()),
});
export type Recommendation = Static<typeof Recommendation>;

export const Recommendations = Type.Object({
  memberId: Type.String(),
  personalized: Type.Boolean(),
  channel: Type.String(),
  items: Type.Array(Recommendation),
});

export const FavouriteParams = Type.Object({ id: codeString, sku: codeString });
