import Type, { type Static } from 'typebox';
import { CHANNELS, codeString, Nullable, pageQuery, StringEnum } from '../platform/index.js';
import { CONSENT_PURPOSES, IDENTIFIER_TYPES } from './members.rules.js';

// The members API's shapes (One ID, the member 360 view, consent, the exclusive guide, customer login), each JSON
// Schema (validation, serialization, /openapi.json and the console's generated types) and its TypeScript type.

const Time = Type.String({ format: 'date-time' });

export const NewIdentifier = Type.Object(
  {
    type: StringEnum(IDENTIFIER_TYPES),
    value: Type.String({ maxLength: 256 }),
    appId: Type.Optional(
      Type.String({
        maxLength: 64,
        description: 'The mini-program / official account of an openid; the marketplace of a buyer id',
      }),
    ),
    verified: Type.Optional(
      Type.Boolean({ description: 'The channel confirmed it (an SMS code, WeChat login)' }),
    ),
  },
  { additionalProperties: false },
);

type TraitValue = string | number | boolean | null;

// Named personal traits are checked; any other is a string, number, boolean or null (JSON Schema's
// additionalProperties with anyOf, which TypeBox has no builder for).
const NewTraits = Type.Unsafe<Record<string, TraitValue>>({
  type: 'object',
  maxProperties: 50,
  description:
    'name, birthday (YYYY-MM-DD) and address are personal data (encrypted, masked for store staff); anything else (gender, skinType …) is kept as given. null removes a trait.',
  properties: {
    name: { type: ['string', 'null'], maxLength: 100 },
    birthday: { type: ['string', 'null'], pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
    address: { type: ['string', 'null'], maxLength: 300 },
  },
  additionalProperties: {
    anyOf: [{ type: 'string', maxLength: 300 }, { type: 'number' }, { type: 'boolean' }, { type: 'null' }],
  },
});

export const IdentifyRequest = Type.Object(
  {
    identifiers: Type.Array(NewIdentifier, { minItems: 1, maxItems: 20 }),
    traits: Type.Optional(NewTraits),
    channel: StringEnum(CHANNELS),
  },
  { additionalProperties: false },
);
export type IdentifyRequest = Static<typeof IdentifyRequest>;

export const Identified = Type.Object({
  memberId: Type.String(),
  created: Type.Boolean(),
  mergedFrom: Type.Array(Type.String()),
  review: Type.Optional(Type.Object({ id: Type.String(), reason: Type.String() })),
  ignored: Type.Array(
    Type.Object({ type: Type.String(), appId: Type.Optional(Type.String()), reason: Type.String() }),
  ),
});

export const LookupQuery = Type.Object({
  type: StringEnum(IDENTIFIER_TYPES),
  value: Type.String({ maxLength: 256 }),
  appId: Type.Optional(Type.String({ maxLength: 64 })),
});

export const MemberListQuery = pageQuery({
  q: Type.String({ maxLength: 200 }),
  tag: Type.String({ minLength: 1, maxLength: 40, description: 'Members holding this tag' }),
  segment: Type.String({ minLength: 1, maxLength: 64, description: 'Members of this segment (its id)' }),
  rfm: Type.String({
    pattern: '^(quintile|eight_class):[a-z_]{1,40}$',
    maxLength: 60,
    description: 'scheme:segment of the latest run of the scheme, e.g. quintile:champions',
  }),
  tier: Type.String({ minLength: 1, maxLength: 40, description: 'Members in this tier' }),
});

/** A row of the member list: names and phones always masked. */
export const MemberSummary = Type.Object({
  id: Type.String(),
  status: Type.String(),
  channel: Type.String(),
  createdAt: Time,
  name: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  identifierTypes: Type.Array(StringEnum(IDENTIFIER_TYPES)),
});
export type MemberSummary = Static<typeof MemberSummary>;

export const Consent = Type.Object({
  purpose: StringEnum(CONSENT_PURPOSES),
  granted: Type.Boolean(),
  channel: Nullable(Type.String()),
  source: Nullable(Type.String()),
  recordedAt: Nullable(Time),
});
export type Consent = Static<typeof Consent>;

export const ConsentRecord = Type.Object({
  purpose: StringEnum(CONSENT_PURPOSES),
  granted: Type.Boolean(),
  channel: Type.String(),
  source: Nullable(Type.String()),
  recordedBy: Type.String(),
  recordedAt: Time,
});
export type ConsentRecord = Static<typeof ConsentRecord>;

export const Consents = Type.Object({ current: Type.Array(Consent), history: Type.Array(ConsentRecord) });

export const ConsentParams = Type.Object({ id: codeString, purpose: StringEnum(CONSENT_PURPOSES) });

export const ConsentChange = Type.Object(
  {
    granted: Type.Boolean(),
    channel: StringEnum(CHANNELS),
    source: Type.Optional(
      Type.String({ maxLength: 500, description: 'The wording the customer agreed to, or where' }),
    ),
  },
  { additionalProperties: false },
);

/** The member's exclusive guide (专属导购), or null. */
export const GuideBinding = Nullable(
  Type.Object({ guide: Type.String(), store: Type.String(), boundBy: Type.String(), boundAt: Time }),
);

export const GuideAssignment = Type.Object(
  { guide: codeString, store: codeString },
  { additionalProperties: false },
);

/**
 * The member 360 view's own fields; each other context adds its section (`memberViewSections` of its module), and
 * the answer's schema lists them (`memberViewAnswer`).
 */
export const MemberView = Type.Object(
  {
    id: Type.String(),
    status: StringEnum(['active', 'erased']),
    channel: Type.String(),
    createdAt: Time,
    updatedAt: Time,
    masked: Type.Boolean({
      description: 'Personal data is masked for this viewer (store staff, channel apps)',
    }),
    requestedId: Type.Optional(
      Type.String({ description: 'The id asked for, when it was merged into this member' }),
    ),
    identifiers: Type.Array(
      Type.Object({
        id: Type.String(),
        type: StringEnum(IDENTIFIER_TYPES),
        appId: Nullable(Type.String()),
        value: Type.String(),
        verified: Type.Boolean(),
        channel: Type.String(),
        createdAt: Time,
      }),
    ),
    traits: Type.Unsafe<Record<string, TraitValue>>({ type: 'object', additionalProperties: true }),
    consents: Type.Array(Consent),
    guide: GuideBinding,
  },
  { additionalProperties: true },
);

export const Erased = Type.Object({
  memberId: Type.String(),
  status: StringEnum(['erased']),
  erasedAt: Time,
});

export const AuditQuery = pageQuery({ memberId: Type.String({ maxLength: 64 }) });

/** A customer's token: the customer pages and channel apps send it as a bearer token. */
export const CustomerToken = Type.Object({
  token: Type.String(),
  expiresAt: Time,
  memberId: Type.String(),
  created: Type.Optional(Type.Boolean({ description: 'Login: the phone was new and became a member' })),
});

export const CustomerTokenRequest = Type.Object({ memberId: codeString }, { additionalProperties: false });

export const SmsCodeRequest = Type.Object(
  { phone: Type.String({ minLength: 1, maxLength: 32 }) },
  { additionalProperties: false },
);

export const SmsCodeSent = Type.Object({
  status: StringEnum(['queued']),
  messageId: Type.String(),
  expiresAt: Time,
});

export const CustomerLogin = Type.Object(
  {
    phone: Type.String({ minLength: 1, maxLength: 32 }),
    code: Type.String({ pattern: '^\\d{6}$' }),
    channel: Type.Unsafe<(typeof CHANNELS)[number]>(
      Type.Optional(StringEnum(CHANNELS, { default: 'online' })),
    ),
  },
  { additionalProperties: false },
);

export const SmsQuery = pageQuery({ phone: Type.String({ maxLength: 32 }) });

export const REVIEW_STATUSES = ['pending', 'merged', 'rejected'] as const;

/** A possible duplicate One ID did not merge by itself (a shared phone, two unionids): HQ decides. */
export const IdentityReview = Type.Object({
  id: Type.String(),
  status: StringEnum(REVIEW_STATUSES),
  reason: Type.String(),
  memberIds: Type.Array(Type.String()),
  identifiers: Type.Array(
    Type.Object({ type: StringEnum(IDENTIFIER_TYPES), appId: Type.String(), masked: Type.String() }),
    { description: 'Identifiers held back until the review is decided, masked' },
  ),
  channel: Type.String(),
  createdAt: Time,
  decidedAt: Nullable(Time),
  decidedBy: Nullable(Type.String()),
  mergeIds: Type.Array(Type.String()),
});
export type IdentityReview = Static<typeof IdentityReview>;

export const ReviewQuery = pageQuery({ status: StringEnum(REVIEW_STATUSES) });

export const Unmerge = Type.Object({ mergeId: codeString }, { additionalProperties: false });

export const Unmerged = Type.Object({
  memberId: Type.String(),
  restoredMemberId: Type.String(),
  mergeId: Type.String(),
});

export const BlockedIdentifier = Type.Object(
  {
    type: StringEnum(IDENTIFIER_TYPES),
    value: Type.String({ minLength: 1, maxLength: 256 }),
    appId: Type.Optional(Type.String({ maxLength: 64 })),
    reason: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);

export const Blocked = Type.Object({
  type: StringEnum(IDENTIFIER_TYPES),
  appId: Type.String(),
  masked: Type.String(),
  reason: Type.String(),
});
