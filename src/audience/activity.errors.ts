import { defineError } from '../platform/index.js';

/**
 * The activity context's codes. A tracked event that cannot be recorded is refused alone, its code in the 202's
 * `rejected` (never thrown); they are declared here all the same so that the console says each in words.
 */
export const ActivityErrors = {
  noSubject: defineError('ACTIVITY.NO_SUBJECT', 'invalid', 'An event needs a memberId or an anonymousId'),
  notYourMember: defineError(
    'ACTIVITY.MEMBER_MISMATCH',
    'invalid',
    'A customer tracks her own events only (memberId is not hers)',
  ),
  unknownMember: defineError('ACTIVITY.UNKNOWN_MEMBER', 'invalid', 'No active member has this memberId'),
  unknownType: defineError('ACTIVITY.UNKNOWN_TYPE', 'invalid', 'Not a tracked event type'),
  factType: defineError(
    'ACTIVITY.FACT_TYPE',
    'invalid',
    'The platform records this type itself from its facts; it cannot be tracked',
  ),
  inFuture: defineError('ACTIVITY.IN_FUTURE', 'invalid', 'occurredAt is in the future'),
  tooOld: defineError('ACTIVITY.TOO_OLD', 'invalid', 'occurredAt is older than the activity retention'),
  unknownChannel: defineError('ACTIVITY.UNKNOWN_CHANNEL', 'invalid', 'Not a channel of the brand'),
  channelMismatch: defineError(
    'ACTIVITY.CHANNEL_MISMATCH',
    'invalid',
    "A channel app's key tracks events of its own channel only",
  ),
  propertiesTooLarge: defineError(
    'ACTIVITY.PROPERTIES_TOO_LARGE',
    'invalid',
    'properties are larger than 2,048 bytes as JSON',
  ),
};
