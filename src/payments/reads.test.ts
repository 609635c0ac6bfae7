import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelOf, guideOf, startTestApp, type TestApp } from '../../test/helpers/app.js';
import type { Payment } from './index.js';
import { paymentSteps } from './payments.testkit.js';

// Reading payments through the routes. Orders do not exist here: an order is just an id.

let t: TestApp;

const { pay } = paymentSteps(() => t);

beforeAll(async () => {
  t = await startTestApp();
  await pay({ orderId: 'ord_test1', amount: 12_900, provider: 'simulated' });
});
afterAll(() => t.close());

describe('payments at the simulated provider', () => {
  it('lists an order’s payments to staff and channel apps, not to store guides', async () => {
    const list = await t.request({
      method: 'GET',
      url: '/v1/payments?orderId=ord_test1',
      as: channelOf('online'),
    });
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((p: Payment) => p.orderId)).toEqual(['ord_test1']);
    expect((await t.request({ method: 'GET', url: '/v1/payments', as: guideOf('SH01') })).statusCode).toBe(
      403,
    );
    const missing = await t.request({ method: 'GET', url: '/v1/payments/pay_nope' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('PAYMENT.NOT_FOUND');
  });

  it('pages newest first with the cursors it gives out, and refuses any other cursor', async () => {
    const older = await pay({ orderId: 'ord_pages', amount: 100, provider: 'simulated' });
    const newer = await pay({ orderId: 'ord_pages', amount: 200, provider: 'simulated' });
    const first = (await t.request({ method: 'GET', url: '/v1/payments?orderId=ord_pages&limit=1' })).json();
    expect(first.items.map((p: Payment) => p.id)).toEqual([newer.id]);
    const second = (
      await t.request({
        method: 'GET',
        url: `/v1/payments?orderId=ord_pages&limit=1&cursor=${first.nextCursor}`,
      })
    ).json();
    expect(second.items.map((p: Payment) => p.id)).toEqual([older.id]);
    expect(second.nextCursor).toBeNull();

    for (const url of ['/v1/payments', '/v1/refunds', '/v1/payment-notifications']) {
      const forged = await t.request({
        method: 'GET',
        url: `${url}?cursor=${Buffer.from(newer.id).toString('base64url')}`,
      });
      expect(forged.statusCode).toBe(400);
      expect(forged.json().code).toBe('REQUEST.INVALID');
      expect(forged.json().errors).toEqual([expect.objectContaining({ path: 'query.cursor' })]);
    }
  });
});
