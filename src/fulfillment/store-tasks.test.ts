import { describe, expect, it } from 'vitest';
import { managerOf } from '../../test/helpers/app.js';
import { level, order, pay, place, SHANGHAI, setUpOrderWorld, t, until } from '../../test/helpers/orders.js';

setUpOrderWorld();

describe('paying', () => {
  it('delivery: pay → the warehouse ships → delivered → completed, stock committed as a sale', async () => {
    const o = (
      await place({
        channel: 'online',
        lines: [{ sku: 'O-B', quantity: 3 }],
        fulfillment: { type: 'delivery', address: SHANGHAI },
      })
    ).json();
    await pay(o.id);
    const paid = await until(o.id, 'fulfilling');
    const f = paid.fulfillments[0];
    expect(f).toMatchObject({ location: 'O-WH', type: 'ship', status: 'accepted' });
    const shipped = await t.request({
      method: 'POST',
      url: `/v1/fulfillments/${f.id}/ship`,
      body: { carrier: 'SF', trackingNumber: 'SF1234567890' },
    });
    expect(shipped.json()).toMatchObject({ status: 'shipped', trackingNumber: 'SF1234567890' });
    expect(await level('O-B', 'O-WH')).toMatchObject({ onHand: 47, reserved: 0 });
    const [sale] = (await t.request({ method: 'GET', url: '/v1/inventory/O-B/O-WH/movements' })).json().items;
    expect(sale).toMatchObject({ delta: -3, reason: 'sale' });
    await t.request({ method: 'POST', url: `/v1/fulfillments/${f.id}/deliver` });
    const done = await order(o.id);
    expect(done.status).toBe('completed');
    expect(
      done.timeline.filter((e: { kind: string }) => e.kind === 'status').map((e: { to: string }) => e.to),
    ).toEqual(['pending_payment', 'paid', 'fulfilling', 'completed']);
    // Each step says what happened as a code and its params (for the console to say in its language), and in
    // English.
    expect(done.timeline.map((e: { code: string; params: object }) => [e.code, e.params])).toEqual([
      ['order.placed', { channel: 'online', groups: 1 }],
      ['order.paid', { amount: 135000, provider: 'simulated' }],
      ['order.fulfilling', {}],
      ['fulfillment.shipped', { location: 'O-WH', carrier: 'SF', trackingNumber: 'SF1234567890' }],
      ['fulfillment.delivered', { location: 'O-WH' }],
      ['order.completed', {}],
    ]);
    expect(done.timeline[3].message).toBe('Shipped from O-WH (SF SF1234567890)');
    expect(done.paidAmount).toBe(135000);
  });
});

describe('a store’s work', () => {
  it('a POS carry-out sale is handed over at the till once paid; endless aisle ships what the store lacks', async () => {
    const carry = (
      await place(
        {
          channel: 'pos',
          storeCode: 'O-S1',
          lines: [{ sku: 'O-C', quantity: 1 }],
          fulfillment: { type: 'carry_out' },
        },
        managerOf('O-S1'),
      )
    ).json();
    await pay(carry.id);
    await until(carry.id, 'completed');
    const aisle = (
      await place(
        {
          channel: 'pos',
          storeCode: 'O-S2',
          lines: [{ sku: 'O-B', quantity: 1 }],
          fulfillment: { type: 'delivery', address: SHANGHAI },
        },
        managerOf('O-S2'),
      )
    ).json();
    expect(aisle.fulfillmentPlan.groups).toEqual([
      expect.objectContaining({ location: 'O-WH', type: 'ship' }),
    ]);
    expect(JSON.stringify(aisle.fulfillmentPlan.explanation)).toMatch(/ENDLESS_AISLE/);
  });
});

describe("a store's queue", () => {
  it('shows a group of an unpaid order as waiting for payment, apart from the work it can do now', async () => {
    const o = (
      await place({
        channel: 'online',
        lines: [{ sku: 'O-C', quantity: 1 }],
        fulfillment: { type: 'pickup', store: 'O-S1' },
      })
    ).json();
    const tasks = async (query: string) =>
      (
        await t.request({
          method: 'GET',
          url: `/v1/fulfillments?location=O-S1${query}`,
          as: managerOf('O-S1'),
        })
      ).json().items as { orderId: string; awaitingPayment: boolean }[];
    const mine = (items: { orderId: string }[]) => items.filter((f) => f.orderId === o.id);

    expect(mine(await tasks(''))).toMatchObject([{ awaitingPayment: true }]);
    expect(mine(await tasks('&awaitingPayment=true'))).toHaveLength(1);
    expect(mine(await tasks('&awaitingPayment=false'))).toHaveLength(0);
    expect((await order(o.id)).fulfillments[0].awaitingPayment).toBe(true);

    await pay(o.id);
    await until(o.id, 'paid');
    expect(mine(await tasks('&awaitingPayment=false'))).toMatchObject([{ awaitingPayment: false }]);
    expect(mine(await tasks('&awaitingPayment=true'))).toHaveLength(0);
  });
});
