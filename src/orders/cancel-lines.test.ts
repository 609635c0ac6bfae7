import { describe, expect, it } from 'vitest';
import { expectInventoryInvariants } from '../../test/helpers/inventory.js';
import { level, pay, place, SHANGHAI, setUpOrderWorld, t, until } from '../../test/helpers/orders.js';

setUpOrderWorld();

describe('cancelling single lines', () => {
  it('frees the units, keeps the rest reserved and refunds exactly their money', async () => {
    const o = (
      await place({
        channel: 'online',
        lines: [
          { sku: 'O-A', quantity: 2 },
          { sku: 'O-B', quantity: 1 },
        ],
        fulfillment: { type: 'delivery', address: SHANGHAI },
      })
    ).json();
    expect(o.fulfillmentPlan.groups).toEqual([expect.objectContaining({ location: 'O-WH' })]);
    await pay(o.id);
    await until(o.id, 'fulfilling');
    const a = (await level('O-A', 'O-WH')).reserved;
    const b = (await level('O-B', 'O-WH')).reserved;
    const res = await t.request({
      method: 'POST',
      url: `/v1/orders/${o.id}/lines/cancel`,
      body: { lines: [{ sku: 'O-A', quantity: 1 }], reason: 'changed mind' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().lines[0]).toMatchObject({ sku: 'O-A', quantity: 2, cancelledQuantity: 1 });
    expect((await level('O-A', 'O-WH')).reserved).toBe(a - 1);
    expect((await level('O-B', 'O-WH')).reserved).toBe(b);
    const refunds = (await t.request({ method: 'GET', url: `/v1/refunds?orderId=${o.id}` })).json().items;
    expect(refunds).toEqual([expect.objectContaining({ amount: 32000 })]);
    const more = await t.request({
      method: 'POST',
      url: `/v1/orders/${o.id}/lines/cancel`,
      body: { lines: [{ sku: 'O-A', quantity: 2 }] },
    });
    expect(more.json().code).toBe('ORDER.CANCEL_QUANTITY_EXCEEDED');
    const f = res.json().fulfillments[0];
    expect(f.lines).toEqual([
      { sku: 'O-A', quantity: 1 },
      { sku: 'O-B', quantity: 1 },
    ]);
    await t.request({
      method: 'POST',
      url: `/v1/fulfillments/${f.id}/ship`,
      body: { trackingNumber: 'SF9' },
    });
    const shipped = await t.request({
      method: 'POST',
      url: `/v1/orders/${o.id}/lines/cancel`,
      body: { lines: [{ sku: 'O-B', quantity: 1 }] },
    });
    expect(shipped.json().code).toBe('ORDER.NOT_CANCELLABLE');
    await expectInventoryInvariants(t);
  });
});
