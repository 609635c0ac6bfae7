import { expect } from 'vitest';
import type { TestApp } from '../../test/helpers/app.js';
import {
  type Payment,
  type Refund,
  type StartPayment,
  type StartRefund,
  startPayment,
  startRefund,
} from './index.js';

// Shared steps of the payments tests that run the whole loop through a running node (payments.test.ts,
// refunds.test.ts, reads.test.ts).

export async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > until) throw new Error(`Timed out; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The steps on the test file's node, read when a step runs (a file starts its node in `beforeAll`). */
export function paymentSteps(node: () => TestApp) {
  async function pay(input: StartPayment): Promise<Payment> {
    return node().runtime.database.transaction((trx) => startPayment(trx, input));
  }

  async function refund(input: StartRefund): Promise<Refund[]> {
    return node().runtime.database.transaction((trx) => startRefund(trx, input));
  }

  async function getPayment(id: string): Promise<Payment> {
    return (await node().request({ method: 'GET', url: `/v1/payments/${id}` })).json();
  }

  async function getRefund(id: string): Promise<Refund> {
    return (await node().request({ method: 'GET', url: `/v1/refunds/${id}` })).json();
  }

  async function settled(id: string): Promise<Payment> {
    return eventually(
      () => getPayment(id),
      (p) => p.status !== 'pending',
    );
  }

  async function eventsOf(type: string, key: string, value: string) {
    const rows = await node()
      .runtime.database.db.selectFrom('outbox_events')
      .select(['type', 'payload', 'stream'])
      .where('type', '=', type)
      .orderBy('seq')
      .execute();
    return rows
      .map((r) => ({ ...r, payload: JSON.parse(r.payload) as Record<string, unknown> }))
      .filter((r) => r.payload[key] === value);
  }

  async function paid(orderId: string, amount: number): Promise<Payment> {
    const payment = await pay({ orderId, amount, provider: 'simulated', simulate: 'approve' });
    const done = await settled(payment.id);
    expect(done.status).toBe('succeeded');
    return done;
  }

  return { pay, refund, getPayment, getRefund, settled, eventsOf, paid };
}
