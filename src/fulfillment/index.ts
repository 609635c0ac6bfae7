/** Errors other contexts may expect from this one (FULFILLMENT.NO_SOURCE, FULFILLMENT.INVALID_TRANSITION). */
export { FulfillmentErrors } from './fulfillment.errors.js';
/**
 * Sourcing: `planFulfillment(order, candidates, rules)` chooses the location(s) that fulfil an order and explains
 * every location chosen, excluded or not needed; `assertPlanned` turns a failed plan into FULFILLMENT.NO_SOURCE;
 * `DEFAULT_SOURCING_RULES` / `sourcingRulesFor` are the per-channel rules.
 */
export {
  assertPlanned,
  DEFAULT_SOURCING_RULES,
  type FulfillmentGroupType,
  type FulfillmentPlan,
  type FulfillmentRequest,
  type LocationExplanation,
  type LocationKind,
  type PackedExplanation,
  type PlannedFulfillment,
  type PlannedGroup,
  type PlannedTransfer,
  type PlanOptions,
  packExplanation,
  planFulfillment,
  type SourcingAddress,
  type SourcingCandidate,
  type SourcingDecision,
  type SourcingLine,
  type SourcingOrder,
  type SourcingReason,
  type SourcingRules,
  type SourcingTieBreaker,
  type StockBySku,
  sourcingRulesFor,
  type TransferBand,
  type UnfulfillableLine,
  type UnfulfillablePlan,
  type UnfulfillableReason,
  unpackExplanation,
} from './sourcing.rules.js';
