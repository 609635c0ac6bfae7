import Type from 'typebox';
import { defineEvent, Nullable } from '../platform/index.js';

// The order hub's events, as loyalty, fulfillment, after-sales, the live stream and NATS read them. Every payload
// starts with the order's id; amounts are fen.

const Fen = Type.Integer({ description: 'fen' });
const Units = Type.Array(Type.Object({ sku: Type.String(), quantity: Type.Integer() }));

/** An order was placed: priced, sourced into groups, its stock reserved. */
export const OrderPlaced = defineEvent(
  'order.placed',
  Type.Object({
    orderId: Type.String(),
    channel: Type.String(),
    memberId: Nullable(Type.String()),
    storeCode: Nullable(Type.String()),
    totalAmount: Fen,
    payableAmount: Fen,
    fulfillmentType: Type.String(),
    groups: Type.Array(Type.Object({ location: Type.String(), type: Type.String() })),
    localDay: Type.String({ description: 'the brand’s calendar day it was placed on (daily capacity)' }),
  }),
);

/** The order is paid in full (a payment confirmed, or nothing was left to pay). */
export const OrderPaid = defineEvent(
  'order.paid',
  Type.Object({
    orderId: Type.String(),
    memberId: Nullable(Type.String()),
    amount: Fen,
    paymentId: Nullable(Type.String()),
  }),
);

/** Cancelled before anything left: stock freed, payment refunded. */
export const OrderCancelled = defineEvent(
  'order.cancelled',
  Type.Object({
    orderId: Type.String(),
    memberId: Nullable(Type.String()),
    reason: Type.String(),
    paidAmount: Fen,
  }),
);

/** Some units cancelled before they shipped: their money refunded. */
export const OrderLinesCancelled = defineEvent(
  'order.lines_cancelled',
  Type.Object({
    orderId: Type.String(),
    memberId: Nullable(Type.String()),
    lines: Units,
    refundAmount: Fen,
    reason: Type.String(),
  }),
);

/** Every group delivered or picked up: loyalty earns on it, the experience projection records the purchase. */
export const OrderCompleted = defineEvent(
  'order.completed',
  Type.Object({
    orderId: Type.String(),
    channel: Type.String(),
    storeCode: Nullable(Type.String()),
    memberId: Nullable(Type.String()),
    completedAt: Type.String({ format: 'date-time' }),
    paidAmount: Fen,
    lines: Type.Array(
      Type.Object({
        lineNo: Type.Integer(),
        sku: Type.String(),
        category: Type.String(),
        quantity: Type.Integer(),
        unitPrice: Fen,
        discountAmount: Fen,
        pointsAmount: Fen,
        paidAmount: Fen,
      }),
    ),
  }),
);

/**
 * An order of the brand's history came in through an import: already completed, with no stock moved, no points
 * and nothing sent. Profiles, RFM and analytics count it; loyalty and journeys do not react.
 */
export const OrderImported = defineEvent(
  'order.imported',
  Type.Object({
    orderId: Type.String(),
    importId: Type.String(),
    channel: Type.String(),
    memberId: Nullable(Type.String()),
    storeCode: Nullable(Type.String()),
    totalAmount: Fen,
    completedAt: Type.String({ format: 'date-time' }),
    lines: Type.Array(
      Type.Object({ sku: Type.String(), category: Type.String(), quantity: Type.Integer(), amount: Fen }),
    ),
  }),
);
