import Type, { type Static } from 'typebox';
import { defineEvent, Nullable, StringEnum } from '../platform/index.js';
import { FULFILLMENT_STATUSES } from './lifecycle.rules.js';
import { FULFILLMENT_GROUP_TYPES } from './sourcing.config.js';

// Fulfillment's events: a group's every step (on the `fulfillment` topic and the live stream of its location).
// Each carries the group as it now is; some add what the step was about. Producers build them with
// fulfillmentEvent, consumers read them with payloadOf.

const GroupChange = Type.Object({
  fulfillmentId: Type.String(),
  orderId: Type.String(),
  location: Type.String(),
  type: StringEnum(FULFILLMENT_GROUP_TYPES),
  status: StringEnum(FULFILLMENT_STATUSES),
  reason: Type.Optional(Type.String({ description: 'rejected, cancelled: why' })),
  resourcedFrom: Type.Optional(Type.String({ description: 'created by re-sourcing: the group it replaces' })),
  auto: Type.Optional(Type.Boolean({ description: 'accepted by the platform (a carry-out sale)' })),
  pickupCode: Type.Optional(Type.String({ description: 'ready_for_pickup: for the customer’s channel app' })),
  pickupDeadline: Type.Optional(Nullable(Type.String({ format: 'date-time' }))),
  memberId: Type.Optional(Nullable(Type.String())),
  carrier: Type.Optional(Nullable(Type.String())),
  trackingNumber: Type.Optional(Nullable(Type.String())),
});

/** What a step may add to the group's state. */
export type GroupChangeExtra = Partial<
  Pick<
    Static<typeof GroupChange>,
    | 'reason'
    | 'resourcedFrom'
    | 'auto'
    | 'pickupCode'
    | 'pickupDeadline'
    | 'memberId'
    | 'carrier'
    | 'trackingNumber'
  >
>;

export const FulfillmentCreated = defineEvent('fulfillment.created', GroupChange);
export const FulfillmentAccepted = defineEvent('fulfillment.accepted', GroupChange);
export const FulfillmentRejected = defineEvent('fulfillment.rejected', GroupChange);
export const FulfillmentAwaitingTransfer = defineEvent('fulfillment.awaiting_transfer', GroupChange);
export const FulfillmentTransferArrived = defineEvent('fulfillment.transfer_arrived', GroupChange);
export const FulfillmentReadyForPickup = defineEvent('fulfillment.ready_for_pickup', GroupChange);
export const FulfillmentPickedUp = defineEvent('fulfillment.picked_up', GroupChange);
export const FulfillmentShipped = defineEvent('fulfillment.shipped', GroupChange);
export const FulfillmentDelivered = defineEvent('fulfillment.delivered', GroupChange);
export const FulfillmentCancelled = defineEvent('fulfillment.cancelled', GroupChange);

export type FulfillmentEvent =
  | typeof FulfillmentCreated
  | typeof FulfillmentAccepted
  | typeof FulfillmentRejected
  | typeof FulfillmentAwaitingTransfer
  | typeof FulfillmentTransferArrived
  | typeof FulfillmentReadyForPickup
  | typeof FulfillmentPickedUp
  | typeof FulfillmentShipped
  | typeof FulfillmentDelivered
  | typeof FulfillmentCancelled;
