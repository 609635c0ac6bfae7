import Type from 'typebox';
import { describe, expect, it } from 'vitest';
import { defineEvent, EventContractError, newEvent, payloadOf } from './contract.js';
import type { PublishedEvent } from './outbox.js';

const paid = defineEvent(
  'payment.succeeded',
  Type.Object({ paymentId: Type.String(), orderId: Type.String(), amount: Type.Number() }),
);

function published(type: string, payload: Record<string, unknown>): PublishedEvent {
  return {
    id: 'evt_1',
    position: 1,
    type,
    topic: 'payment',
    stream: 'payment:p1',
    location: null,
    payload,
    occurredAt: '2026-12-02T00:00:00.000Z',
  };
}

describe('event contracts', () => {
  it('builds an event of its type and reads back a payload that matches, extra fields allowed', () => {
    const event = newEvent(paid, {
      stream: 'payment:p1',
      payload: { paymentId: 'p1', orderId: 'o1', amount: 10 },
    });
    expect(event).toEqual({
      type: 'payment.succeeded',
      stream: 'payment:p1',
      location: null,
      payload: { paymentId: 'p1', orderId: 'o1', amount: 10 },
    });
    const payload = payloadOf(
      paid,
      published('payment.succeeded', { paymentId: 'p1', orderId: 'o1', amount: 10, extra: true }),
    );
    expect(payload.amount).toBe(10);
  });

  it('refuses a payload that breaks the contract, naming what is wrong, and an event of another type', () => {
    expect(() => payloadOf(paid, published('payment.succeeded', { paymentId: 'p1', amount: '10' }))).toThrow(
      EventContractError,
    );
    try {
      payloadOf(paid, published('payment.succeeded', { paymentId: 'p1', orderId: 'o1', amount: '10' }));
    } catch (error) {
      expect((error as EventContractError).problems.join()).toContain('/amount');
    }
    expect(() =>
      payloadOf(paid, published('payment.failed', { paymentId: 'p1', orderId: 'o1', amount: 1 })),
    ).toThrow(/expected type/);
  });
});
