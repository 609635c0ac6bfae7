import { planCarryOut } from './sourcing.carry-out.js';
import {
  DEFAULT_SOURCING_RULES,
  type SourcingCandidate,
  type SourcingLine,
  type SourcingOrder,
  type SourcingRules,
} from './sourcing.config.js';
import { planShipment } from './sourcing.delivery.js';
import { planPickup } from './sourcing.pickup.js';
import type { FulfillmentPlan } from './sourcing.plan.js';

/*
 * Sourcing (寻源): which location(s) fulfil an order, and why. Pure: the order service reads the candidates
 * (locations with their available stock), calls planFulfillment, then reserves exactly what the plan says.
 *
 * Ranking, in this order: the fewest locations (one location holding everything first), then the channel's
 * tie-breakers (priority tier, distance, kind), then the location code, so that the same inputs always give the
 * same plan whatever order the candidates arrive in.
 *
 * The pieces: sourcing.config.ts (inputs, rules, per-channel defaults), sourcing.plan.ts (the answer),
 * one planner per way of receiving the goods (sourcing.delivery.ts, sourcing.pickup.ts, sourcing.carry-out.ts),
 * sourcing.cover.ts (usable stock, ranking, the fewest locations that cover the lines) and sourcing.explain.ts
 * (reason sentences, why a location was not used, the packed form an order keeps).
 */

export interface PlanOptions {
  /** The clock for `readyBy`; the planner is otherwise independent of time. */
  now?: Date;
}

/**
 * Plans who fulfils `order`: every line covered exactly by groups of one location each, or a failure naming the
 * lines that cannot be sourced (the caller answers FULFILLMENT.NO_SOURCE, see `assertPlanned`). Every candidate
 * gets one explanation entry. Candidates are given once each (codes are unique); their order does not matter.
 * Malformed input (no lines, a quantity that is not a positive integer, bad rules) is a bug and throws RangeError.
 */
export function planFulfillment(
  order: SourcingOrder,
  candidates: readonly SourcingCandidate[],
  rules: SourcingRules = DEFAULT_SOURCING_RULES[order.channel],
  options: PlanOptions = {},
): FulfillmentPlan {
  if (!(rules.maxSplits >= 1) || !(rules.transfers.maxSources >= 1)) {
    throw new RangeError('sourcing rules: maxSplits and transfers.maxSources must be at least 1');
  }
  const lines = mergeLines(order.lines);
  const now = options.now ?? new Date();
  const fulfillment = order.fulfillment;
  switch (fulfillment.type) {
    case 'delivery':
      return planShipment(order, lines, candidates, rules, 'ship', fulfillment.address);
    case 'same_day':
      return planShipment(order, lines, candidates, rules, 'same_day', fulfillment.address);
    case 'pickup':
      return planPickup(lines, candidates, rules, fulfillment.store, now);
    case 'carry_out':
      return planCarryOut(lines, candidates, fulfillment.store ?? order.storeCode ?? null);
  }
}

/** One line per SKU, in the order first seen: the plan and the reservation speak per SKU. */
function mergeLines(lines: readonly SourcingLine[]): SourcingLine[] {
  if (lines.length === 0) throw new RangeError('an order needs at least one line');
  const merged: SourcingLine[] = [];
  const index = new Map<string, number>();
  for (const line of lines) {
    if (!Number.isSafeInteger(line.quantity) || line.quantity <= 0) {
      throw new RangeError(`line ${line.sku}: quantity must be a positive integer`);
    }
    const at = index.get(line.sku);
    if (at === undefined) {
      index.set(line.sku, merged.length);
      merged.push({ sku: line.sku, quantity: line.quantity });
    } else {
      merged[at]!.quantity += line.quantity;
    }
  }
  return merged;
}
