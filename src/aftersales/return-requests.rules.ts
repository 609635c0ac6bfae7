// Pure decisions of a return asked for from the customer's phone: her photos, and how the goods come back — to a
// store of her choice, or by courier (collected or dropped off) to where the brand receives returns.

import type { Static } from 'typebox';
import { addDays } from '../platform/time.js';
import type { ReturnMethodChoice } from './aftersales.contract.js';
import { ReturnErrors } from './aftersales.errors.js';
import type { CourierMode, ReturnMethod } from './aftersales.schema.js';

export type MethodChoice = Static<typeof ReturnMethodChoice>;

/** How far ahead a courier pickup may be asked for: carriers book a week or two out, not more. */
export const PICKUP_DAYS_AHEAD = 14;
export const MAX_RETURN_PHOTOS = 9;

/**
 * Each photo must be an https address with a host and no credentials in it: the console shows it to staff as an
 * image, so a `javascript:` or plain-http address, or one smuggling a user name, is refused by name.
 */
export function assertReturnPhotos(photos: readonly string[]): void {
  if (photos.length > MAX_RETURN_PHOTOS) {
    throw ReturnErrors.photoInvalid(`At most ${MAX_RETURN_PHOTOS} photos, not ${photos.length}`, {
      errors: [{ path: 'photos', message: `at most ${MAX_RETURN_PHOTOS}` }],
    });
  }
  photos.forEach((photo, i) => {
    const url = URL.canParse(photo) ? new URL(photo) : undefined;
    if (url?.protocol !== 'https:' || url.hostname === '' || url.username || url.password) {
      throw ReturnErrors.photoInvalid(`Photo ${i + 1} is not an https address`, {
        errors: [{ path: `photos[${i}]`, message: 'must be an https URL' }],
      });
    }
  });
}

/** The place a return's goods may be taken to, as the route reads it. */
export interface ReturnPlace {
  code: string;
  kind: string;
  active: boolean;
  priorityTier: number;
}

/** Where courier returns go when the brand names no other place: its first open warehouse (tier, then code). */
export function returnsCentreOf(locations: readonly ReturnPlace[]): ReturnPlace | undefined {
  return locations
    .filter((l) => l.kind === 'warehouse' && l.active)
    .sort((a, b) => a.priorityTier - b.priorityTier || a.code.localeCompare(b.code))[0];
}

export interface ReturnRoute {
  method: ReturnMethod;
  courierMode: CourierMode | null;
  pickup: { day: string; address: { city: string; line1: string; name: string; phone: string } } | null;
}

/**
 * How a return's goods come back, from what was asked. At a counter they are handed over there (`store`). A
 * return asked for without a method keeps the meaning it had before methods existed: a store is where she brings
 * it, a warehouse is where she sends it (dropped off, nothing booked). A store method needs a store; a courier
 * pickup needs a day from today (the brand's day) up to two weeks ahead.
 */
export function decideReturnRoute(input: {
  method: MethodChoice | undefined;
  atCounter: boolean;
  /** Where the goods go (the store she chose, the counter, or the returns centre). */
  destination: { code: string; kind: string };
  /** Today in the brand's time zone (YYYY-MM-DD). */
  today: string;
}): ReturnRoute {
  const { method, atCounter, destination } = input;
  if (atCounter) {
    if (method && method.type !== 'store') {
      throw ReturnErrors.methodInvalid('A counter return is handed over at the store', {
        errors: [{ path: 'method', message: 'must be store at a counter' }],
      });
    }
    return { method: 'store', courierMode: null, pickup: null };
  }
  if (!method) {
    return destination.kind === 'store'
      ? { method: 'store', courierMode: null, pickup: null }
      : { method: 'courier', courierMode: 'drop_off', pickup: null };
  }
  if (method.type === 'store') {
    if (destination.kind !== 'store') {
      throw ReturnErrors.methodInvalid(`${destination.code} is a ${destination.kind}: bring it to a store`, {
        errors: [{ path: 'location', message: 'must be a store' }],
      });
    }
    return { method: 'store', courierMode: null, pickup: null };
  }
  if (method.mode === 'drop_off') return { method: 'courier', courierMode: 'drop_off', pickup: null };
  const day = method.pickup.day;
  if (!isCalendarDay(day) || day < input.today || day > addDays(input.today, PICKUP_DAYS_AHEAD)) {
    throw ReturnErrors.methodInvalid(
      `A pickup day is from ${input.today} to ${addDays(input.today, PICKUP_DAYS_AHEAD)}, not ${day}`,
      { errors: [{ path: 'method.pickup.day', message: 'from today, within two weeks' }] },
    );
  }
  return { method: 'courier', courierMode: 'pickup', pickup: { day, address: method.pickup.address } };
}

function isCalendarDay(day: string): boolean {
  const at = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(at.getTime()) && at.toISOString().slice(0, 10) === day;
}

/** A courier's tracking number may be recorded (or corrected) until the goods arrive. */
export function assertShipmentRecordable(ret: { id: string; method: string; status: string }): void {
  if (ret.method !== 'courier') {
    throw ReturnErrors.notCourier(`Return ${ret.id} is brought to a store, not sent by courier`);
  }
  if (ret.status !== 'requested') {
    throw ReturnErrors.invalidTransition(
      `Return ${ret.id} is ${ret.status}; a tracking number is recorded while it is on its way`,
    );
  }
}
