import { FulfillmentErrors } from './fulfillment.errors.js';
import type { FulfillmentGroupType, SourcingLine } from './sourcing.config.js';

/* What the sourcing planner answers: the groups that fulfil an order, and why each location was or was not used. */

/** Stable machine codes for why a location was chosen, excluded or not needed. */
export type SourcingReason =
  | 'HOLDS_ALL_LINES'
  | 'FEWEST_SPLITS'
  | 'PICKUP_STORE'
  | 'TRANSFER_SOURCE'
  | 'SELLING_STORE'
  | 'ENDLESS_AISLE'
  | 'SEARCH_LIMITED'
  | 'INACTIVE'
  | 'KIND_NOT_ALLOWED'
  | 'NO_SHIP_FROM_STORE_CAPABILITY'
  | 'NO_PICKUP_CAPABILITY'
  | 'NO_SAME_DAY_CAPABILITY'
  | 'OUTSIDE_SAME_DAY_RADIUS'
  | 'NO_CAPACITY'
  | 'INSUFFICIENT_STOCK'
  | 'BALANCE_FLOOR'
  | 'SPLIT_LIMIT'
  | 'NOT_SELLING_STORE'
  | 'NOT_PICKUP_STORE'
  | 'PICKUP_STORE_HAS_STOCK'
  | 'PICKUP_STORE_UNAVAILABLE'
  | 'SELLING_STORE_UNAVAILABLE'
  | 'WOULD_SPLIT'
  | 'BETTER_COMBINATION'
  | 'LOWER_PRIORITY_TIER'
  | 'FARTHER_THAN_CHOSEN'
  | 'KIND_PREFERENCE'
  | 'TIE_BROKEN_BY_CODE'
  | 'SLOWER_TRANSFER';

export type SourcingDecision = 'chosen' | 'excluded' | 'not_needed';

export interface LocationExplanation {
  location: string;
  decision: SourcingDecision;
  reasons: readonly SourcingReason[];
  /** One human sentence; the console may show its own text keyed by the reason codes. */
  message: string;
  distanceKm?: number;
}

export interface PlannedTransfer {
  from: string;
  sku: string;
  quantity: number;
}

export interface PlannedGroup {
  location: string;
  type: FulfillmentGroupType;
  lines: SourcingLine[];
  /** Pickup only: units other locations send to the pickup store first. */
  transfers?: PlannedTransfer[];
  /** Pickup only: when the goods should be ready at the counter (ISO 8601 UTC). */
  readyBy?: string;
  /** Delivery and same-day: from the location to the address. */
  distanceKm?: number;
}

export type UnfulfillableReason =
  | 'INSUFFICIENT_STOCK'
  | 'SPLIT_LIMIT'
  /** Same-day: no store that offers it covers the address. */
  | 'OUTSIDE_SAME_DAY_RADIUS'
  /** Same-day: no store offers it. */
  | 'NO_SAME_DAY_CAPABILITY'
  | 'PICKUP_STORE_UNAVAILABLE'
  | 'SELLING_STORE_UNAVAILABLE';

export interface UnfulfillableLine {
  sku: string;
  /** The units that cannot be sourced. */
  quantity: number;
  reason: UnfulfillableReason;
}

export interface PlannedFulfillment {
  ok: true;
  groups: PlannedGroup[];
  explanation: LocationExplanation[];
}

export interface UnfulfillablePlan {
  ok: false;
  groups: [];
  explanation: LocationExplanation[];
  unfulfillable: UnfulfillableLine[];
}

/** Every line covered exactly (`ok: true`), or nothing planned and the lines that could not be sourced. */
export type FulfillmentPlan = PlannedFulfillment | UnfulfillablePlan;

const UNFULFILLABLE_PHRASE: Record<UnfulfillableReason, string> = {
  INSUFFICIENT_STOCK: 'not enough stock at the locations that could send it',
  SPLIT_LIMIT: 'it would take more parcels than allowed',
  OUTSIDE_SAME_DAY_RADIUS: 'the address is outside every store’s same-day radius',
  NO_SAME_DAY_CAPABILITY: 'no store offers same-day delivery',
  PICKUP_STORE_UNAVAILABLE: 'the pickup store cannot take it',
  SELLING_STORE_UNAVAILABLE: 'the selling store cannot hand it over',
};

/** Narrows a plan to success, or throws `FULFILLMENT.NO_SOURCE` (409) naming what could not be sourced. */
export function assertPlanned(plan: FulfillmentPlan): asserts plan is PlannedFulfillment {
  if (plan.ok) return;
  const detail = plan.unfulfillable
    .map((line) => `${line.quantity} × ${line.sku} (${UNFULFILLABLE_PHRASE[line.reason]})`)
    .join(', ');
  const first = plan.unfulfillable[0];
  // `reason` and `sku` (of the first line) let a client say why in its own words.
  throw FulfillmentErrors.noSource(`No location can fulfil: ${detail}`, {
    extra: {
      ...(first ? { reason: first.reason, sku: first.sku } : {}),
      unfulfillable: plan.unfulfillable,
      explanation: plan.explanation,
    },
  });
}
