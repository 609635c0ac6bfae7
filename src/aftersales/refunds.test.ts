import { describe, expect, it } from 'vitest';
import { managerOf } from '../../test/helpers/app.js';
import {
  deliveredOnlineOrder,
  order,
  refundsOf,
  returnOf,
  setUpReturnsNetwork,
  storeReturn,
  t,
} from './aftersales.testkit.js';

// A return's refund through the simulated provider: declined and retried, and never sent twice.

setUpReturnsNetwork();

describe('refunds at the provider', () => {
  it('a refund the provider declines is retried and shown as failed until it succeeds', async () => {
    const o = await deliveredOnlineOrder([{ sku: 'R-C', quantity: 1 }]);
    const res = await storeReturn(o.id, 'R-S1', [{ sku: 'R-C', quantity: 1 }], {
      reason: 'allergy [fail:2]',
    });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().id;
    await expect
      .poll(async () => (await returnOf(id)).refundStatus, { timeout: 8000, interval: 50 })
      .toBe('failed');
    const failed = await returnOf(id);
    expect(failed).toMatchObject({
      status: 'received',
      refundAttempts: expect.any(Number),
      refundLastError: expect.any(String),
    });
    expect(failed.refundAttempts).toBeGreaterThanOrEqual(1);
    const board = (
      await t.request({ method: 'GET', url: '/v1/returns?refundStatus=failed', as: managerOf('R-S1') })
    ).json().items;
    expect(board.map((r: { id: string }) => r.id)).toContain(id);

    await expect
      .poll(async () => (await returnOf(id)).refundStatus, { timeout: 15_000, interval: 100 })
      .toBe('succeeded');
    expect(await returnOf(id)).toMatchObject({
      status: 'refunded',
      refundAttempts: 3,
      refundLastError: null,
    });
    const refunds = await refundsOf(o.id);
    expect(refunds).toEqual([expect.objectContaining({ amount: o.paidAmount, status: 'succeeded' })]);
    const messages = (await order(o.id)).timeline
      .filter((e: { kind: string }) => e.kind === 'refund')
      .map((e: { message: string }) => e.message);
    expect(messages.filter((m: string) => /declined/.test(m))).toHaveLength(2);
    expect(messages.some((m: string) => /confirmed by the provider/.test(m))).toBe(true);
  });

  it('the same return retried makes one return and one refund (Idempotency-Key, or clientRequestId without one)', async () => {
    const o = await deliveredOnlineOrder([{ sku: 'R-C', quantity: 2 }]);
    const headers = { 'idempotency-key': `return-${o.id}` };
    const first = await storeReturn(
      o.id,
      'R-S1',
      [{ sku: 'R-C', quantity: 1 }],
      {},
      managerOf('R-S1'),
      headers,
    );
    const second = await storeReturn(
      o.id,
      'R-S1',
      [{ sku: 'R-C', quantity: 1 }],
      {},
      managerOf('R-S1'),
      headers,
    );
    expect(first.statusCode, first.body).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json().id).toBe(first.json().id);

    const body = { clientRequestId: 'till-7-0001' };
    const tap1 = await storeReturn(o.id, 'R-S1', [{ sku: 'R-C', quantity: 1 }], body);
    const tap2 = await storeReturn(o.id, 'R-S1', [{ sku: 'R-C', quantity: 1 }], body);
    expect(tap1.statusCode, tap1.body).toBe(201);
    expect(tap2.json().id).toBe(tap1.json().id);

    const returns = (await t.request({ method: 'GET', url: `/v1/returns?orderId=${o.id}` })).json().items;
    expect(returns).toHaveLength(2);
    await expect.poll(async () => (await refundsOf(o.id)).length, { timeout: 5000 }).toBe(2);
    await new Promise((r) => setTimeout(r, 300));
    const refunds = await refundsOf(o.id);
    expect(refunds.map((r) => r.reference).sort()).toEqual([first.json().id, tap1.json().id].sort());
    expect(refunds.reduce((s, r) => s + r.amount, 0)).toBe(o.paidAmount);
  });
});
