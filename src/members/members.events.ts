import Type from 'typebox';
import { CHANNELS, defineEvent, StringEnum } from '../platform/index.js';
import { CONSENT_PURPOSES, IDENTIFIER_TYPES } from './members.rules.js';

// The members context's events (topic `member`): One ID's decisions and a member's consent and guide. They carry
// ids and codes, never personal data (the outbox is read by other contexts, the live stream and NATS).
// Producers build them with newEvent, consumers read them with payloadOf.

/** A new member: the first identifiers of a customer nobody knew. */
export const MemberCreated = defineEvent(
  'member.created',
  Type.Object({
    memberId: Type.String(),
    channel: StringEnum(CHANNELS),
    identifierTypes: Type.Array(StringEnum(IDENTIFIER_TYPES)),
  }),
);

/**
 * Identifiers were added to a member (on identify, or given back by an unmerge). A device id is the channel app's
 * own pseudonymous id and is carried, so that what that device did before she was known joins her; every other
 * identifier is named by its type only.
 */
export const MemberIdentifiersAdded = defineEvent(
  'member.identifiers_added',
  Type.Object({
    memberId: Type.String(),
    identifiers: Type.Array(
      Type.Object({
        type: StringEnum(IDENTIFIER_TYPES),
        value: Type.Union([Type.String(), Type.Null()], { description: 'a device id; null for other types' }),
      }),
    ),
  }),
);

/** Two members are one person: `mergedFrom` now lives on as `memberId`. */
export const MemberMerged = defineEvent(
  'member.merged',
  Type.Object({
    memberId: Type.String(),
    mergedFrom: Type.String(),
    mergeId: Type.String(),
    reason: Type.String(),
  }),
);

/** A merge undone: `restoredMemberId` is a member of its own again. */
export const MemberUnmerged = defineEvent(
  'member.unmerged',
  Type.Object({ memberId: Type.String(), restoredMemberId: Type.String(), mergeId: Type.String() }),
);

/** Personal data and identifiers erased; an anonymised shell stays for accounting. */
export const MemberErased = defineEvent(
  'member.erased',
  Type.Object({ memberId: Type.String(), erasedAt: Type.String({ format: 'date-time' }) }),
);

export const MemberConsentChanged = defineEvent(
  'member.consent_changed',
  Type.Object({
    memberId: Type.String(),
    purpose: StringEnum(CONSENT_PURPOSES),
    granted: Type.Boolean(),
    channel: StringEnum(CHANNELS),
    recordedAt: Type.String({ format: 'date-time' }),
  }),
);

/** The member's exclusive guide (专属导购) at a store. */
export const MemberGuideAssigned = defineEvent(
  'member.guide_assigned',
  Type.Object({ memberId: Type.String(), guide: Type.String(), store: Type.String() }),
);
