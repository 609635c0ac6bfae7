import { FULFILLMENT_STATUSES } from './lifecycle.rules.js';

/**
 * Fulfillment's answers as JSON Schema, for /openapi.json and /docs: a group (alone, in a task list, in its
 * order) and the sourcing plan an order shows. Every object also allows properties it does not list
 * (`additionalProperties: true`), as the order's schemas do.
 */

const open = { additionalProperties: true } as const;
const text = { type: 'string' } as const;
const textOrNull = { type: ['string', 'null'] } as const;
const time = { type: 'string', format: 'date-time' } as const;
const timeOrNull = { type: ['string', 'null'], format: 'date-time' } as const;
const skuQuantity = {
  type: 'object',
  ...open,
  properties: { sku: text, quantity: { type: 'integer' } },
} as const;

const GROUP_TYPES = ['ship', 'pickup', 'same_day', 'carry_out'] as const;

/** Where each line of an order comes from, and why (`fulfillmentPlan` of an order). */
export const planSchema = {
  type: 'object',
  ...open,
  description: 'Where each line comes from, and why every location was chosen, excluded or not needed',
  properties: {
    groups: {
      type: 'array',
      items: {
        type: 'object',
        ...open,
        properties: {
          location: text,
          type: { type: 'string', enum: [...GROUP_TYPES] },
          lines: { type: 'array', items: skuQuantity },
          transfers: {
            type: 'array',
            description: 'pickup: units other locations send to the pickup store first',
            items: {
              type: 'object',
              ...open,
              properties: { from: text, sku: text, quantity: { type: 'integer' } },
            },
          },
          readyBy: { ...time, description: 'pickup: when the goods should be ready at the counter' },
          distanceKm: { type: 'number' },
        },
      },
    },
    explanation: {
      type: 'array',
      items: {
        type: 'object',
        ...open,
        properties: {
          location: text,
          decision: { type: 'string', enum: ['chosen', 'excluded', 'not_needed'] },
          reasons: {
            type: 'array',
            items: text,
            description: 'stable codes: HOLDS_ALL_LINES, INSUFFICIENT_STOCK …',
          },
          message: { type: 'string', description: 'one English sentence' },
          distanceKm: { type: 'number' },
        },
      },
    },
  },
} as const;

/** A group, as `/v1/fulfillments` and an order show it. */
export const fulfillmentSchema = {
  type: 'object',
  ...open,
  properties: {
    id: text,
    orderId: text,
    location: text,
    type: { type: 'string', enum: [...GROUP_TYPES] },
    status: { type: 'string', enum: [...FULFILLMENT_STATUSES] },
    pickupCode: {
      ...textOrNull,
      description: 'shown to the customer, HQ and channels; store staff verify it',
    },
    readyBy: timeOrNull,
    readyAt: timeOrNull,
    pickupDeadline: timeOrNull,
    carrier: textOrNull,
    trackingNumber: textOrNull,
    lines: { type: 'array', items: skuQuantity },
    transfers: {
      type: 'array',
      items: {
        type: 'object',
        ...open,
        properties: {
          transferId: text,
          from: text,
          sku: text,
          quantity: { type: 'integer' },
          received: { type: 'boolean' },
        },
      },
    },
    createdAt: time,
    updatedAt: time,
  },
} as const;
