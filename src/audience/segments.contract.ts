import Type, { type Static, type TSchema } from 'typebox';
import { Compile, type Validator } from 'typebox/compile';
import { CONSENT_PURPOSES } from '../members/index.js';
import { type FieldError, fieldPath, Nullable, StringEnum } from '../platform/index.js';
import { EIGHT_CLASS_SEGMENTS, RFM_SEGMENTS } from './rfm.rules.js';

// The segment rule language of API.md, written once: validation, /openapi.json and the console's types.

/** Traits a rule can test: the computed profile's columns, and the member's tier, home store and guide. */
export const RULE_TRAITS = [
  'orderCount',
  'spend',
  'spend365',
  'averageOrder',
  'unitsBought',
  'returnRate',
  'trialCount',
  'firstOrderAt',
  'lastOrderAt',
  'lastTrialAt',
  'lastSeenAt',
  'city',
  'homeStore',
  'tier',
  'guide',
] as const;
export type RuleTrait = (typeof RULE_TRAITS)[number];
export const OPS = ['=', '!=', '<', '<=', '>', '>=', 'in', 'between'] as const;

const Scalar = Type.Union([Type.String({ maxLength: 100 }), Type.Number()]);
/** ISO 8601 days or hours: `P30D`, `PT12H`. */
const Duration = Type.String({ pattern: '^P(\\d{1,4}D|T\\d{1,5}H)$', description: 'P30D, PT12H' });
const Where = Type.Object(
  {
    sku: Type.Optional(Type.String({ maxLength: 64 })),
    category: Type.Optional(Type.String({ maxLength: 64 })),
    store: Type.Optional(Type.String({ maxLength: 64 })),
    channel: Type.Optional(Type.String({ maxLength: 32 })),
  },
  { additionalProperties: false },
);
const EventType = Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z_.]+$' });

const TraitRule = Type.Object(
  {
    trait: StringEnum(RULE_TRAITS),
    op: StringEnum(OPS),
    value: Type.Union([Scalar, Type.Array(Scalar, { minItems: 1, maxItems: 100 })], {
      description:
        'a number, text, an instant, or a duration (P90D: that long before now); a list for in/between',
    }),
  },
  { additionalProperties: false },
);
const TagRule = Type.Object(
  { tag: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
);
const ConsentRule = Type.Object({ consent: StringEnum(CONSENT_PURPOSES) }, { additionalProperties: false });
const RfmRule = Type.Object(
  {
    rfm: Type.Object(
      {
        scheme: StringEnum(['quintile', 'eight_class']),
        segment: StringEnum([...RFM_SEGMENTS, ...EIGHT_CLASS_SEGMENTS]),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
const EventRule = Type.Object(
  {
    event: EventType,
    within: Duration,
    where: Type.Optional(Where),
    count: Type.Optional(
      Type.Object(
        {
          op: StringEnum(['=', '!=', '<', '<=', '>', '>=']),
          value: Type.Integer({ minimum: 0, maximum: 100_000 }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
const Step = Type.Object({ event: EventType, where: Type.Optional(Where) }, { additionalProperties: false });
const SequenceRule = Type.Object(
  {
    sequence: Type.Object({ did: Step, thenNot: Step, within: Duration }, { additionalProperties: false }),
  },
  { additionalProperties: false },
);

/** A rule, as TypeScript sees it. */
export type SegmentRule =
  | { all: SegmentRule[] }
  | { any: SegmentRule[] }
  | { not: SegmentRule }
  | Static<typeof TraitRule>
  | Static<typeof TagRule>
  | Static<typeof ConsentRule>
  | Static<typeof RfmRule>
  | Static<typeof EventRule>
  | Static<typeof SequenceRule>;

const LEAVES = [TraitRule, TagRule, ConsentRule, RfmRule, EventRule, SequenceRule];

/** Nested to four levels (all / any / not of …): deep enough for any brand's segment, bounded for the validator. */
function ruleSchema(depth: number): TSchema {
  if (depth === 0) return Type.Union(LEAVES);
  const inner = ruleSchema(depth - 1);
  return Type.Union([
    ...LEAVES,
    Type.Object({ all: Type.Array(inner, { minItems: 1, maxItems: 20 }) }, { additionalProperties: false }),
    Type.Object({ any: Type.Array(inner, { minItems: 1, maxItems: 20 }) }, { additionalProperties: false }),
    Type.Object({ not: inner }, { additionalProperties: false }),
  ]);
}
const FullRuleSchema = ruleSchema(4);
let validator: Validator | undefined;

/**
 * Where a rule breaks the language (none: it is one). The full grammar is checked here, compiled once on first use,
 * rather than by each route's validator: compiled into every route at start-up, its nested unions cost seconds.
 */
export function ruleProblems(rule: unknown): FieldError[] {
  validator ??= Compile(FullRuleSchema);
  if (validator.Check(rule)) return [];
  return validator
    .Errors(rule)
    .slice(0, 5)
    .map((e) => ({ path: fieldPath(`/rule${e.instancePath}`), message: e.message }));
}

/** A rule in a request or an answer: an object, checked against the grammar by {@link ruleProblems}. */
export const SegmentRuleSchema = Type.Unsafe<SegmentRule>({
  type: 'object',
  additionalProperties: true,
  description:
    'API.md’s rule language: {all|any: [rule…]}, {not: rule}, {trait, op, value}, {tag}, {consent}, {rfm: {scheme, segment}}, {event, within, where?, count?}, {sequence: {did, thenNot, within}}',
});

export const NewSegment = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 100 }), rule: SegmentRuleSchema },
  { additionalProperties: false },
);
export const Segment = Type.Object({
  id: Type.String(),
  name: Type.String(),
  rule: SegmentRuleSchema,
  count: Type.Integer(),
  computedAt: Nullable(Type.String({ format: 'date-time' })),
  createdBy: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
});
export type Segment = Static<typeof Segment>;

export const SegmentMember = Type.Object({
  memberId: Type.String(),
  enteredAt: Nullable(Type.String({ format: 'date-time', description: 'null in a preview' })),
  orderCount: Type.Integer(),
  spend: Type.Integer({ description: 'fen' }),
  lastOrderAt: Nullable(Type.String({ format: 'date-time' })),
  homeStore: Nullable(Type.String()),
});
/** A segment's member as its list shows her to staff: her name and phone masked (138****5678), as the member list. */
export const SegmentMemberListed = Type.Object({
  ...SegmentMember.properties,
  name: Nullable(Type.String({ description: 'masked' })),
  phone: Nullable(Type.String({ description: 'masked: 138****5678' })),
});
export const Preview = Type.Object({
  count: Type.Integer(),
  sample: Type.Array(SegmentMember, { description: 'up to ten members who match' }),
});
export const PreviewRequest = Type.Object({ rule: SegmentRuleSchema }, { additionalProperties: false });
export const ExportQuery = Type.Object(
  { consent: Type.Optional(StringEnum(CONSENT_PURPOSES, { description: 'only members who gave it' })) },
  { additionalProperties: false },
);
