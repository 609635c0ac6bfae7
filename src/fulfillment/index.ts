/** Errors other contexts may expect from this one (FULFILLMENT.NO_SOURCE, FULFILLMENT.INVALID_TRANSITION). */
export { FulfillmentErrors } from './fulfillment.errors.js';
/**
 * Sourcing: `planFulfillment(order, candidates, rules)` chooses the location(s) that fulfil an order and explains
 * every location chosen, excluded or not needed; `assertPlanned` turns a failed plan into FULFILLMENT.NO_SOURCE;
 * `DEFAULT_SOURCING_RULES` / `sourcingRulesFor` are the per-channel rules.
 */
export {
  DEFAULT_SOURCING_RULES,
  type FulfillmentGroupType,
  type FulfillmentRequest,
  type LocationKind,
  type SourcingAddress,
  type SourcingCandidate,
  type SourcingLine,
  type SourcingOrder,
  type SourcingRules,
  type SourcingTieBreaker,
  type StockBySku,
  sourcingRulesFor,
  type TransferBand,
} from './sourcing.config.js';
export { type PackedExplanation, packExplanation, unpackExplanation } from './sourcing.explain.js';
export {
  assertPlanned,
  type FulfillmentPlan,
  type LocationExplanation,
  type PlannedFulfillment,
  type PlannedGroup,
  type PlannedTransfer,
  type SourcingDecision,
  type SourcingReason,
  type UnfulfillableLine,
  type UnfulfillablePlan,
  type UnfulfillableReason,
} from './sourcing.plan.js';
export { type PlanOptions, planFulfillment } from './sourcing.rules.js';
