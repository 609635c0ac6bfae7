import { CHANNELS } from '../platform/index.js';
import type { TrackedEvent } from './activity.contract.js';
import { ActivityErrors } from './activity.errors.js';

// What a tracked event may say, decided without I/O: the type, the channel, the time, the size of its properties,
// whose it is. The one check that needs the database (is the member known?) is made once per batch by the caller.

/** What channel apps track (DOMAIN.md, 行为): browsing, the cart, search, shares, favourites, coupons, visits. */
export const TRACKED_TYPES = [
  'product_viewed',
  'cart_added',
  'cart_removed',
  'searched',
  'page_viewed',
  'share_clicked',
  'product_favourited',
  'coupon_viewed',
  'store_visited',
  'live_watched',
] as const;
export type TrackedType = (typeof TRACKED_TYPES)[number];

/**
 * The facts the platform records itself (a consumer of their events writes the rows): an app may not claim a
 * purchase or a return. Prefixes of the event topics that carry them.
 */
const FACT_PREFIXES = ['order.', 'return.', 'experience.', 'coupon.', 'loyalty.', 'member.', 'segment.'];

/** A clock a phone may be ahead of ours by, before its event counts as in the future. */
export const FUTURE_SKEW_MS = 5 * 60_000;
export const MAX_PROPERTIES_BYTES = 2048;
export const DAY_MS = 86_400_000;

const trackedTypes = new Set<string>(TRACKED_TYPES);
const channels = new Set<string>(CHANNELS);

/** Who sends the batch: a customer tracks as herself; a channel app's key as its channel. */
export type Tracker =
  | { kind: 'customer'; memberId: string }
  | { kind: 'channel'; channel: string }
  | { kind: 'staff' };

/** An event that passed every check but the member's existence, as it will be stored. */
export interface CheckedEvent {
  index: number;
  memberId: string | null;
  anonymousId: string | null;
  type: string;
  channel: string;
  sku: string | null;
  occurredAt: string;
  properties: string | null;
}

export type Checked = { ok: true; event: CheckedEvent } | { ok: false; index: number; code: string };

/**
 * Checks one event. `now` and `retentionDays` bound occurredAt; the anonymous id is kept as One ID keeps a device
 * id (trimmed, lower case), so that the join on identify finds it with an index, not a function per row.
 */
export function checkEvent(
  event: TrackedEvent,
  index: number,
  tracker: Tracker,
  now: number,
  retentionDays: number,
): Checked {
  const refuse = (code: string): Checked => ({ ok: false, index, code });
  const anonymousId = event.anonymousId?.trim().toLowerCase() || null;
  let memberId = event.memberId ?? null;
  if (tracker.kind === 'customer') {
    if (memberId !== null && memberId !== tracker.memberId) return refuse(ActivityErrors.notYourMember.code);
    memberId = tracker.memberId;
  }
  if (memberId === null && anonymousId === null) return refuse(ActivityErrors.noSubject.code);
  if (!trackedTypes.has(event.type)) {
    const fact = FACT_PREFIXES.some((prefix) => event.type.startsWith(prefix));
    return refuse(fact ? ActivityErrors.factType.code : ActivityErrors.unknownType.code);
  }
  if (!channels.has(event.channel)) return refuse(ActivityErrors.unknownChannel.code);
  if (tracker.kind === 'channel' && tracker.channel !== event.channel)
    return refuse(ActivityErrors.channelMismatch.code);
  let occurredAt: string;
  if (event.occurredAt === undefined) occurredAt = new Date(now).toISOString();
  else {
    const at = Date.parse(event.occurredAt);
    if (at > now + FUTURE_SKEW_MS) return refuse(ActivityErrors.inFuture.code);
    if (at < now - retentionDays * DAY_MS) return refuse(ActivityErrors.tooOld.code);
    occurredAt = new Date(at).toISOString();
  }
  let properties: string | null = null;
  if (event.properties !== undefined && Object.keys(event.properties).length > 0) {
    properties = JSON.stringify(event.properties);
    // Bytes, not characters: 中文 takes three.
    if (properties.length > MAX_PROPERTIES_BYTES / 3 && Buffer.byteLength(properties) > MAX_PROPERTIES_BYTES)
      return refuse(ActivityErrors.propertiesTooLarge.code);
  }
  return {
    ok: true,
    event: {
      index,
      memberId,
      anonymousId,
      type: event.type,
      channel: event.channel,
      sku: event.sku ?? null,
      occurredAt,
      properties,
    },
  };
}
