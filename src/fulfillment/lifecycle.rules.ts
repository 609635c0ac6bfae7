import { FulfillmentErrors } from './fulfillment.errors.js';
import type { FulfillmentGroupType } from './sourcing.config.js';

/*
 * A fulfillment group's lifecycle as transition tables, one per kind of group. Pure: the services read a group,
 * ask these for the next status, then write it with a conditional update.
 */

export const FULFILLMENT_STATUSES = [
  'pending',
  'accepted',
  'awaiting_transfer',
  'ready_for_pickup',
  'shipped',
  'delivered',
  'picked_up',
  'cancelled',
] as const;
export type FulfillmentStatus = (typeof FULFILLMENT_STATUSES)[number];

/**
 * What happens to a group: a store accepts or rejects the task (a rejection sends the group back to sourcing,
 * `pending` at the next best location), a pickup waits for and receives transferred units, is made ready, and
 * is picked up at the counter; a parcel ships and is delivered; a carry-out is handed over at the till.
 */
export const FULFILLMENT_ACTIONS = [
  'accept',
  'reject',
  'await_transfer',
  'transfer_arrived',
  'ready',
  'ship',
  'deliver',
  'pickup',
  'hand_over',
  'cancel',
] as const;
export type FulfillmentAction = (typeof FULFILLMENT_ACTIONS)[number];

export type FulfillmentLifecycle = {
  readonly [S in FulfillmentStatus]: Readonly<Partial<Record<FulfillmentAction, FulfillmentStatus>>>;
};

const FINAL = {} as const;

const PARCEL: FulfillmentLifecycle = {
  pending: { accept: 'accepted', reject: 'pending', cancel: 'cancelled' },
  accepted: { ship: 'shipped', reject: 'pending', cancel: 'cancelled' },
  awaiting_transfer: FINAL,
  ready_for_pickup: FINAL,
  shipped: { deliver: 'delivered' },
  delivered: FINAL,
  picked_up: FINAL,
  cancelled: FINAL,
};

const PICKUP: FulfillmentLifecycle = {
  pending: {
    accept: 'accepted',
    await_transfer: 'awaiting_transfer',
    reject: 'pending',
    cancel: 'cancelled',
  },
  accepted: {
    await_transfer: 'awaiting_transfer',
    ready: 'ready_for_pickup',
    reject: 'pending',
    cancel: 'cancelled',
  },
  awaiting_transfer: { transfer_arrived: 'accepted', cancel: 'cancelled' },
  // An uncollected pickup is cancelled at its deadline (then refunded and its stock freed).
  ready_for_pickup: { pickup: 'picked_up', cancel: 'cancelled' },
  shipped: FINAL,
  delivered: FINAL,
  picked_up: FINAL,
  cancelled: FINAL,
};

const CARRY_OUT: FulfillmentLifecycle = {
  pending: { hand_over: 'picked_up', cancel: 'cancelled' },
  accepted: FINAL,
  awaiting_transfer: FINAL,
  ready_for_pickup: FINAL,
  shipped: FINAL,
  delivered: FINAL,
  picked_up: FINAL,
  cancelled: FINAL,
};

/** The transition table of each kind of group: a pickup is never shipped, a parcel is never picked up. */
export const FULFILLMENT_LIFECYCLES: { readonly [T in FulfillmentGroupType]: FulfillmentLifecycle } = {
  ship: PARCEL,
  same_day: PARCEL,
  pickup: PICKUP,
  carry_out: CARRY_OUT,
};

/** The actions a group of this type may take now (e.g. the buttons a store's console shows). */
export function fulfillmentActions(
  type: FulfillmentGroupType,
  status: FulfillmentStatus,
): FulfillmentAction[] {
  return Object.keys(FULFILLMENT_LIFECYCLES[type][status]) as FulfillmentAction[];
}

/** The status after `action`, or `FULFILLMENT.INVALID_TRANSITION`. */
export function transitionFulfillment(
  type: FulfillmentGroupType,
  status: FulfillmentStatus,
  action: FulfillmentAction,
): FulfillmentStatus {
  const next = FULFILLMENT_LIFECYCLES[type][status][action];
  if (next === undefined) {
    throw FulfillmentErrors.invalidTransition(`A ${type} fulfillment that is ${status} cannot ${action}`, {
      extra: { type, status, action, allowed: fulfillmentActions(type, status) },
    });
  }
  return next;
}
