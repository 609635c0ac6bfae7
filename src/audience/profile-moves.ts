import { TierChanged } from '../loyalty/loyalty.events.js';
import { MemberConsentChanged, MemberMerged, MemberUnmerged } from '../members/members.events.js';
import { type EventContract, type PublishedEvent, payloadOf } from '../platform/index.js';
import { MemberProfileChanged, type ProfileChange } from './audience.events.js';
import { RfmRunCompleted } from './rfm.events.js';

// What segments and rule tags read — traits, activity, tags, consent, tier, merges, RFM scores — changes only by
// these events. Both follow them to re-evaluate just the members an event is about.

const MEMBERS_OF: [EventContract, (event: PublishedEvent) => string[] | 'all'][] = [
  [MemberProfileChanged, (e) => payloadOf(MemberProfileChanged, e).memberIds],
  [MemberConsentChanged, (e) => [payloadOf(MemberConsentChanged, e).memberId]],
  [TierChanged, (e) => [payloadOf(TierChanged, e).memberId]],
  [MemberMerged, (e) => [payloadOf(MemberMerged, e).memberId, payloadOf(MemberMerged, e).mergedFrom]],
  [
    MemberUnmerged,
    (e) => [payloadOf(MemberUnmerged, e).memberId, payloadOf(MemberUnmerged, e).restoredMemberId],
  ],
  [RfmRunCompleted, () => 'all'],
];
const extractors = new Map(MEMBERS_OF.map(([contract, of]) => [contract.type, of]));

/** The event types that can move members in or out of a rule. */
export const PROFILE_MOVE_TYPES: readonly string[] = [...extractors.keys()];

/**
 * The members an event may have moved (`all` when a run re-scored everyone); `ignore` leaves out profile changes
 * of some kinds (rule tags do not read tags, so their own changes are not followed).
 */
export function membersMovedBy(
  event: PublishedEvent,
  ignore: readonly ProfileChange[] = [],
): string[] | 'all' {
  if (
    event.type === MemberProfileChanged.type &&
    ignore.includes(payloadOf(MemberProfileChanged, event).what)
  )
    return [];
  return extractors.get(event.type)?.(event) ?? [];
}
