/** Errors other contexts may expect from this one (ORDER.INVALID_TRANSITION, ORDER.NOT_CANCELLABLE). */
export { OrderErrors } from './orders.errors.js';
/**
 * The order hub's pure rules: the order and fulfillment lifecycles (transition tables, guards, the order status
 * implied by its groups), pricing in fen with discounts and points apportioned to lines, and pickup codes with
 * their deadline.
 */
export {
  type AppliedDiscount,
  type ApportionPart,
  apportion,
  apportionDiscount,
  canCancelOrder,
  canTransitionOrder,
  DEFAULT_PICKUP_HOLD_DAYS,
  type DiscountInput,
  FULFILLMENT_ACTIONS,
  FULFILLMENT_LIFECYCLES,
  FULFILLMENT_STATUSES,
  type FulfillmentAction,
  type FulfillmentLifecycle,
  type FulfillmentStatus,
  fulfillmentActions,
  generatePickupCode,
  isPickupCode,
  ORDER_STATUSES,
  ORDER_TRANSITIONS,
  type OrderPricing,
  type OrderStatus,
  orderMovesFromFulfillments,
  orderStatusFromFulfillments,
  type PricedLine,
  type PricingLineInput,
  pickupDeadline,
  priceOrder,
  type RandomInt,
  transitionFulfillment,
  transitionOrder,
} from './orders.rules.js';
