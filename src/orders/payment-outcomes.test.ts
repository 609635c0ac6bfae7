import { describe, expect, it } from 'vitest';
import { order, pay, place, SHANGHAI, setUpOrderWorld, t, until } from '../../test/helpers/orders.js';

setUpOrderWorld();

describe('paying', () => {
  it('a declined payment leaves the order payable', async () => {
    const o = (
      await place({
        channel: 'mini_program',
        lines: [{ sku: 'O-A', quantity: 1 }],
        fulfillment: { type: 'delivery', address: SHANGHAI },
      })
    ).json();
    await pay(o.id, 'decline');
    await expect
      .poll(
        async () => (await order(o.id)).timeline.some((e: { message: string }) => /declined/.test(e.message)),
        { timeout: 8000 },
      )
      .toBe(true);
    expect((await order(o.id)).status).toBe('pending_payment');
    await pay(o.id);
    await until(o.id, 'fulfilling');
    const payments = (await order(o.id)).payments.map((p: { status: string }) => p.status);
    expect(payments).toEqual(['failed', 'succeeded']);
  });

  it('refuses a forged notification and changes nothing', async () => {
    const o = (
      await place({
        channel: 'online',
        lines: [{ sku: 'O-A', quantity: 1 }],
        fulfillment: { type: 'delivery', address: SHANGHAI },
      })
    ).json();
    const payment = await pay(o.id, 'decline');
    const forged = await t.runtime.app.inject({
      method: 'POST',
      url: '/v1/payments/simulated/notify',
      headers: {
        'content-type': 'application/json',
        'x-omniloop-signature': 'deadbeef',
        'x-omniloop-timestamp': String(Math.floor(Date.now() / 1000)),
      },
      payload: { type: 'payment', paymentId: payment.id, status: 'succeeded', amount: o.payableAmount },
    });
    expect(forged.statusCode).toBe(401);
    await new Promise((r) => setTimeout(r, 800));
    expect((await order(o.id)).status).toBe('pending_payment');
  });
});
