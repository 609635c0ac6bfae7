import { fulfillmentSchema, planSchema } from '../fulfillment/index.js';
import { CHANNELS } from '../platform/index.js';
import { ORDER_STATUSES } from './orders.rules.js';
import { TIMELINE_CODES } from './orders.timeline.js';

/**
 * The order hub's answers as JSON Schema, for /openapi.json and /docs: what a channel app reads back. Every
 * object also allows properties it does not list (`additionalProperties: true`), so that the serializer never
 * drops a field a view gains before its schema does; the flows tests read the fields that matter.
 */

const open = { additionalProperties: true } as const;
const text = { type: 'string' } as const;
const textOrNull = { type: ['string', 'null'] } as const;
const fen = { type: 'integer', description: 'fen (分)' } as const;
const time = { type: 'string', format: 'date-time' } as const;
const timeOrNull = { type: ['string', 'null'], format: 'date-time' } as const;

const lineSchema = {
  type: 'object',
  ...open,
  required: [
    'lineNo',
    'sku',
    'name',
    'category',
    'quantity',
    'unitPrice',
    'lineAmount',
    'discountAmount',
    'pointsAmount',
    'paidAmount',
    'cancelledQuantity',
  ],
  properties: {
    lineNo: { type: 'integer' },
    sku: text,
    name: text,
    category: text,
    quantity: { type: 'integer' },
    unitPrice: fen,
    lineAmount: fen,
    discountAmount: fen,
    pointsAmount: fen,
    paidAmount: fen,
    cancelledQuantity: { type: 'integer', description: 'units cancelled before fulfillment (refunded)' },
  },
} as const;

const timelineEntrySchema = {
  type: 'object',
  ...open,
  required: ['at', 'kind', 'from', 'to', 'code', 'params', 'message', 'actor'],
  properties: {
    at: time,
    kind: { type: 'string', description: 'status, payment, fulfillment, refund, return, exchange …' },
    from: { ...textOrNull, description: 'status moves: the status before' },
    to: { ...textOrNull, description: 'status moves: the status after' },
    code: {
      type: ['string', 'null'],
      enum: [...TIMELINE_CODES, null],
      description: 'what happened; null on entries older than codes',
    },
    params: {
      type: ['object', 'null'],
      ...open,
      description:
        "the code's parameters: location codes, SKUs, amounts in fen, a person's own words; a system reason as `reasonCode`",
    },
    message: { type: 'string', description: 'the same in English' },
    actor: textOrNull,
    data: {},
  },
} as const;

/** What an order and a row of the order list both say first. */
const orderHeader = {
  id: text,
  channel: { type: 'string', enum: [...CHANNELS] },
  externalId: textOrNull,
  storeCode: textOrNull,
  memberId: textOrNull,
  status: { type: 'string', enum: [...ORDER_STATUSES] },
} as const;

const HEADER_FIELDS = Object.keys(orderHeader);

/** An order as `POST /v1/orders` and `GET /v1/orders/{id}` answer it. */
export const orderSchema = {
  type: 'object',
  ...open,
  // Always there (`payments` only on GET).
  required: [
    ...HEADER_FIELDS,
    'guide',
    'lines',
    'totalAmount',
    'discountAmount',
    'pointsAmount',
    'payableAmount',
    'paidAmount',
    'couponCodes',
    'fulfillment',
    'fulfillmentPlan',
    'fulfillments',
    'timeline',
    'expiresAt',
    'createdAt',
    'updatedAt',
    'completedAt',
    'cancelledAt',
    'cancelReason',
  ],
  properties: {
    ...orderHeader,
    guide: textOrNull,
    lines: { type: 'array', items: lineSchema },
    totalAmount: fen,
    discountAmount: fen,
    pointsAmount: fen,
    payableAmount: fen,
    paidAmount: fen,
    couponCodes: { type: 'array', items: text },
    fulfillment: {
      type: 'object',
      ...open,
      required: ['type', 'store', 'address'],
      properties: {
        type: { type: 'string', enum: ['delivery', 'pickup', 'same_day', 'carry_out'] },
        store: textOrNull,
        address: {
          type: ['object', 'null'],
          ...open,
          description: 'the recipient; the phone masked for store guides (`masked: true`)',
          properties: {
            city: text,
            lat: { type: 'number' },
            lng: { type: 'number' },
            line1: text,
            name: text,
            phone: text,
            masked: { type: 'boolean' },
          },
        },
      },
    },
    fulfillmentPlan: planSchema,
    fulfillments: { type: 'array', items: fulfillmentSchema },
    timeline: { type: 'array', items: timelineEntrySchema },
    payments: {
      type: 'array',
      description: 'GET only: the payments of the order (as `GET /v1/payments/{id}` shows one)',
      items: { type: 'object', ...open },
    },
    expiresAt: { ...time, description: 'unpaid by then, the order cancels itself and frees its stock' },
    createdAt: time,
    updatedAt: time,
    completedAt: timeOrNull,
    cancelledAt: timeOrNull,
    cancelReason: textOrNull,
  },
} as const;

/** A row of `GET /v1/orders`. */
export const orderSummarySchema = {
  type: 'object',
  ...open,
  required: [
    ...HEADER_FIELDS,
    'fulfillmentType',
    'fulfillmentStore',
    'totalAmount',
    'payableAmount',
    'paidAmount',
    'createdAt',
  ],
  properties: {
    ...orderHeader,
    fulfillmentType: text,
    fulfillmentStore: textOrNull,
    totalAmount: fen,
    payableAmount: fen,
    paidAmount: fen,
    createdAt: time,
  },
} as const;
