import Type, { type Static } from 'typebox';
import { CHANNELS, codeString, Nullable, pageQuery, StringEnum } from '../platform/index.js';

// The loyalty API's shapes (tiers, earning rules, points, coupon templates and coupons), each JSON Schema
// (validation, serialization, /openapi.json and the console's generated types) and its TypeScript type.

const Time = Type.String({ format: 'date-time' });
const COUPON_KINDS = ['amount_off', 'percent_off'] as const;
const COUPON_STATUSES = ['issued', 'redeemed', 'expired'] as const;

/** Codes a rule applies to: stores, SKUs, categories, tiers. */
export const Codes = Type.Array(codeString, { maxItems: 500 });
const CodesOrAll = Nullable(Type.Array(Type.String(), { description: 'null: all' }));
const Multipliers = (description: string) =>
  Type.Unsafe<Record<string, number>>({
    type: 'object',
    description,
    additionalProperties: { type: 'number', minimum: 0, maximum: 100 },
  });

export const Tier = Type.Object({
  code: Type.String(),
  name: Type.String(),
  rank: Type.Integer(),
  threshold: Type.Integer({ description: 'Qualifying spend (fen, rolling 12 months, all channels)' }),
  multiplier: Type.Number({ description: 'Points multiplier' }),
  benefits: Type.Array(Type.String()),
});

export const NewTiers = Type.Object(
  {
    tiers: Type.Array(
      Type.Object(
        {
          code: Type.String({ pattern: '^[a-z0-9_]{1,32}$' }),
          name: Type.String({ minLength: 1, maxLength: 50 }),
          threshold: Type.Integer({ minimum: 0 }),
          multiplier: Type.Number({ minimum: 0, maximum: 100 }),
          benefits: Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { maxItems: 20 })),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 20 },
    ),
  },
  { additionalProperties: false },
);
export type TierInput = Static<typeof NewTiers>['tiers'][number];

const Campaign = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    multiplier: Type.Number({ minimum: 0, maximum: 100 }),
    from: Time,
    to: Time,
    // Typed as the rules keep them (strings); validated against the channels.
    channels: Type.Optional(Type.Array(Type.Unsafe<string>(StringEnum(CHANNELS)))),
    categories: Type.Optional(Codes),
  },
  { additionalProperties: false },
);

const Expiry = Type.Unsafe<{ mode: 'year_end'; years: number } | { mode: 'after'; seconds: number }>({
  type: 'object',
  required: ['mode'],
  description:
    '{mode: "year_end", years} (end of the year `years` after earning) or {mode: "after", seconds}',
  properties: {
    mode: { type: 'string', enum: ['year_end', 'after'] },
    years: { type: 'integer', minimum: 0, maximum: 10 },
    seconds: { type: 'integer', minimum: 1 },
  },
});

const ruleFields = {
  pointsPerYuan: Type.Number({ minimum: 0, maximum: 1000, description: 'Points per ¥1 paid in money' }),
  channels: Multipliers('Multiplier per channel (absent: 1)'),
  categories: Multipliers('Multiplier per category (absent: 1; 0 earns nothing)'),
  campaigns: Type.Array(Campaign, { maxItems: 100 }),
  returnWindowSeconds: Type.Integer({
    minimum: 0,
    maximum: 366 * 24 * 3600,
    description: 'Earned points stay pending this long (the return window); default 7 days',
  }),
  redeemPointsPerYuan: Type.Integer({
    minimum: 1,
    maximum: 100000,
    description: 'Points worth ¥1 (default 100)',
  }),
  expiry: Expiry,
  timeZone: Type.String({ maxLength: 64 }),
};

/** The points earning rules as they stand (every field there). */
export const EarningRules = Type.Object(ruleFields);

/** New earning rules: absent fields take their defaults. */
export const NewEarningRules = Type.Partial(Type.Object(ruleFields), { additionalProperties: false });

export const PointsLot = Type.Object({
  id: Type.String(),
  kind: StringEnum(['earn', 'debt']),
  status: StringEnum(['pending', 'available', 'expired', 'settled']),
  orderId: Nullable(Type.String()),
  lineNo: Nullable(Type.Integer()),
  sku: Nullable(Type.String()),
  points: Type.Integer(),
  reversedPoints: Type.Integer(),
  remaining: Type.Integer({ description: 'Spendable now; negative for a debt left by a return' }),
  pending: Type.Integer({ description: 'Waiting for the return window' }),
  expiredPoints: Type.Integer(),
  earnedAt: Time,
  availableAt: Time,
  expiresAt: Nullable(Time),
});
export type PointsLot = Static<typeof PointsLot>;

export const LedgerEntry = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  points: Type.Integer({ description: 'Change of the available balance' }),
  pendingPoints: Type.Integer({ description: 'Change of the pending balance' }),
  lotId: Nullable(Type.String()),
  orderId: Nullable(Type.String()),
  reference: Nullable(Type.String()),
  source: Type.String({ description: 'What wrote the entry; unique (a retry never writes it twice)' }),
  createdAt: Time,
});

export const PointsQuery = pageQuery();

export const Points = Type.Object({
  memberId: Type.String(),
  available: Type.Integer(),
  pending: Type.Integer(),
  lots: Type.Array(PointsLot),
  ledger: Type.Array(LedgerEntry),
  nextCursor: Nullable(Type.String({ description: 'Older ledger entries' })),
});

export const CouponTemplate = Type.Object({
  code: Type.String(),
  name: Type.String(),
  kind: StringEnum(COUPON_KINDS),
  value: Type.Integer(),
  maxDiscount: Nullable(Type.Integer()),
  minSpend: Type.Integer(),
  channels: CodesOrAll,
  stores: CodesOrAll,
  skus: CodesOrAll,
  categories: CodesOrAll,
  tiers: CodesOrAll,
  validFrom: Time,
  validTo: Time,
  validDays: Nullable(Type.Integer()),
  perMemberLimit: Nullable(Type.Integer()),
  totalLimit: Nullable(Type.Integer()),
  issuedCount: Type.Integer(),
  stackable: Type.Boolean(),
  issuableInStore: Type.Boolean(),
  claimable: Type.Boolean(),
  pointsCost: Nullable(Type.Integer()),
  description: Nullable(Type.String()),
  createdAt: Time,
});
export type CouponTemplate = Static<typeof CouponTemplate>;

export const NewCouponTemplate = Type.Object(
  {
    code: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }),
    name: Type.String({ minLength: 1, maxLength: 100 }),
    kind: StringEnum(COUPON_KINDS),
    value: Type.Integer({
      minimum: 1,
      description: 'Fen off (amount_off) or the percent taken off (percent_off, 1–99)',
    }),
    maxDiscount: Type.Optional(Type.Integer({ minimum: 1, description: 'Cap in fen for percent_off' })),
    minSpend: Type.Optional(
      Type.Integer({ minimum: 0, description: 'Fen spent on the lines the coupon covers' }),
    ),
    channels: Type.Optional(Type.Array(StringEnum(CHANNELS))),
    stores: Type.Optional(Codes),
    skus: Type.Optional(Codes),
    categories: Type.Optional(Codes),
    tiers: Type.Optional(
      Type.Array(codeString, { maxItems: 500, description: 'Only members of these tiers may receive it' }),
    ),
    validFrom: Time,
    validTo: Time,
    validDays: Type.Optional(Type.Integer({ minimum: 1, description: 'Days a coupon is valid after issue' })),
    perMemberLimit: Type.Optional(Type.Integer({ minimum: 1 })),
    totalLimit: Type.Optional(Type.Integer({ minimum: 1 })),
    stackable: Type.Optional(Type.Boolean({ default: false })),
    issuableInStore: Type.Optional(
      Type.Boolean({
        default: false,
        description: 'Store managers and guides may issue it (e.g. the trial-exclusive coupon)',
      }),
    ),
    claimable: Type.Optional(
      Type.Boolean({
        default: false,
        description: 'Customers claim it themselves in the coupon centre (领券中心), within its limits',
      }),
    ),
    pointsCost: Type.Optional(
      Type.Integer({ minimum: 1, description: 'Points a member pays to exchange for one' }),
    ),
    description: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type NewCouponTemplate = Static<typeof NewCouponTemplate>;

export const TemplateQuery = pageQuery({ issuableInStore: Type.Boolean() });

export const Coupon = Type.Object({
  code: Type.String(),
  template: Type.String(),
  name: Type.String(),
  kind: StringEnum(COUPON_KINDS),
  value: Type.Integer(),
  minSpend: Type.Integer(),
  channels: CodesOrAll,
  stores: CodesOrAll,
  memberId: Type.String(),
  status: StringEnum(COUPON_STATUSES, {
    description: '`expired` when an issued coupon’s validity has passed',
  }),
  validFrom: Time,
  validTo: Time,
  issuedAt: Time,
  issuedBy: Type.String(),
  issuedStore: Nullable(Type.String()),
  orderId: Nullable(Type.String()),
  redeemedAt: Nullable(Time),
  redeemedChannel: Nullable(Type.String()),
  redeemedStore: Nullable(Type.String()),
  amount: Nullable(Type.Integer({ description: 'Fen taken off when redeemed' })),
});
export type Coupon = Static<typeof Coupon>;

export const CouponQuery = pageQuery({ status: StringEnum(COUPON_STATUSES) });

export const PointsExchange = Type.Object({ template: codeString }, { additionalProperties: false });
export const CouponBought = Type.Object({ coupon: Coupon, points: Type.Integer() });

export const CouponIssue = Type.Object(
  {
    template: codeString,
    memberId: codeString,
    store: Type.Optional(
      Type.String({ maxLength: 32, description: 'Where it was issued (store staff: their store)' }),
    ),
  },
  { additionalProperties: false },
);

export const CounterRedemption = Type.Object(
  {
    store: Type.String({ minLength: 1, maxLength: 32 }),
    lines: Type.Optional(
      Type.Array(
        Type.Object(
          {
            sku: codeString,
            quantity: Type.Integer({ minimum: 1, maximum: 10000 }),
            unitPrice: Type.Optional(
              Type.Integer({ minimum: 0, description: 'Fen; the catalog price when absent' }),
            ),
          },
          { additionalProperties: false },
        ),
        { maxItems: 200, description: 'The basket, needed for item, minimum-spend and percent coupons' },
      ),
    ),
  },
  { additionalProperties: false },
);
export type CounterLine = NonNullable<Static<typeof CounterRedemption>['lines']>[number];

/** A member's tier, with the spend that keeps it and what the next tier still needs. */
export const MemberTier = Type.Object({
  code: Type.String(),
  name: Type.String(),
  rank: Type.Integer(),
  multiplier: Type.Number(),
  benefits: Type.Array(Type.String()),
  since: Nullable(Time),
  qualifyingSpend: Type.Integer({ description: 'Fen, rolling 12 months, all channels' }),
  next: Nullable(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      threshold: Type.Integer(),
      missing: Type.Integer({ description: 'Fen still to spend' }),
    }),
  ),
});

/** A member's points balances: spendable now, and waiting for the return window. */
export const PointsBalance = Type.Object({ available: Type.Integer(), pending: Type.Integer() });

/** One offer of the coupon centre (领券中心) as she sees it. */
export const CentreOffer = Type.Object({
  template: CouponTemplate,
  held: Type.Integer({ description: 'How many of it she holds' }),
  left: Nullable(Type.Integer({ description: 'How many are left for anyone; null without a total limit' })),
  blocked: Nullable(
    StringEnum(['member_limit', 'sold_out'], { description: 'Why she cannot claim one now; null: she can' }),
  ),
});
export const CentreOffers = Type.Object({ items: Type.Array(CentreOffer) });
export const ClaimParams = Type.Object({
  id: codeString,
  template: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }),
});
