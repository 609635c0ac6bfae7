import { describe, expect, it } from 'vitest';
import { pay, place, SHANGHAI, setUpOrderWorld, t, until } from '../../test/helpers/orders.js';

setUpOrderWorld();

describe('a store’s work', () => {
  it('cancels a paid order before it ships: stock freed, payment refunded', async () => {
    const o = (
      await place({
        channel: 'online',
        lines: [{ sku: 'O-A', quantity: 1 }],
        fulfillment: { type: 'delivery', address: SHANGHAI },
      })
    ).json();
    await pay(o.id);
    await until(o.id, 'fulfilling');
    const cancel = () =>
      t.request({
        method: 'POST',
        url: `/v1/orders/${o.id}/cancel`,
        body: { reason: 'customer changed mind' },
        headers: { 'idempotency-key': `cancel-${o.id}` },
      });
    const res = await cancel();
    expect(res.json().status).toBe('cancelled');
    expect(res.json().timeline.at(-2)).toMatchObject({
      code: 'order.cancelled',
      params: { reason: 'customer changed mind', reasonCode: null },
    });
    // The call sent again answers the same order, and refunds nothing twice.
    const again = await cancel();
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(res.json());
    const refunds = (await t.request({ method: 'GET', url: `/v1/refunds?orderId=${o.id}` })).json().items;
    expect(refunds).toEqual([expect.objectContaining({ amount: o.payableAmount })]);
  });
});
