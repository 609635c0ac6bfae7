import { describe, expect, it } from 'vitest';
import { guideOf, managerOf } from '../../test/helpers/app.js';
import { level, pay, place, SHANGHAI, setUpOrderWorld, t, until } from '../../test/helpers/orders.js';

// The till's day at a store: two sales (one by a guide), one voided, one still to pay — and nothing of another
// store's or another channel's.

setUpOrderWorld();

const sale = (sku: string, quantity: number, as: Parameters<typeof place>[1] = guideOf('O-S1')) =>
  place(
    {
      channel: 'pos',
      storeCode: 'O-S1',
      ...(as !== 'admin' ? { guide: 'o-s1.guide' } : {}),
      lines: [{ sku, quantity }],
      fulfillment: { type: 'carry_out' },
    },
    as,
  );

describe('the till’s day', () => {
  it('counts sales, voided sales and sales to pay, by payment and by guide', async () => {
    const first = (await sale('O-A', 1)).json();
    const second = (await sale('O-C', 2, 'admin')).json();
    const voided = (await sale('O-C', 1)).json();
    const waiting = (await sale('O-D', 1)).json();
    await pay(first.id);
    await pay(second.id);
    await until(first.id, 'completed');
    await until(second.id, 'completed');
    const cancel = await t.request({ method: 'POST', url: `/v1/orders/${voided.id}/cancel`, body: {} });
    expect(cancel.statusCode, cancel.body).toBe(200);
    // An online order for the same store's pickup is no till sale.
    await place({
      channel: 'online',
      lines: [{ sku: 'O-A', quantity: 1 }],
      fulfillment: { type: 'pickup', store: 'O-S1' },
    });

    const day = await t.request({ method: 'GET', url: '/v1/stores/O-S1/till', as: managerOf('O-S1') });
    expect(day.statusCode, day.body).toBe(200);
    expect(day.json()).toMatchObject({
      store: 'O-S1',
      day: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      sales: { orders: 2, totalAmount: 32_000 + 2 * 9900, paidAmount: 32_000 + 2 * 9900, members: 0 },
      voided: { orders: 1, totalAmount: 9900 },
      awaitingPayment: { orders: 1, payableAmount: waiting.payableAmount },
      byPayment: [{ provider: 'simulated', payments: 2, amount: 32_000 + 2 * 9900 }],
      byGuide: expect.arrayContaining([
        { guide: null, orders: 1, paidAmount: 2 * 9900 },
        { guide: 'o-s1.guide', orders: 1, paidAmount: 32_000 },
      ]),
    });
    // Another store's staff do not read it; another day is empty.
    const other = await t.request({ method: 'GET', url: '/v1/stores/O-S1/till', as: guideOf('O-S2') });
    expect(other.statusCode).toBe(403);
    const before = await t.request({ method: 'GET', url: '/v1/stores/O-S1/till?day=2020-01-01' });
    expect(before.json()).toMatchObject({ sales: { orders: 0, paidAmount: 0 }, byPayment: [], byGuide: [] });
    const bad = await t.request({ method: 'GET', url: '/v1/stores/O-S1/till?day=yesterday' });
    expect(bad.statusCode).toBe(400);
  });

  it('sends what the store lacks from elsewhere (endless aisle): still a pos sale, credited like a carry-out', async () => {
    // O-B is on no shelf of O-S1: only the warehouse holds it.
    expect(await level('O-B', 'O-S1')).toBeUndefined();
    const address = { ...SHANGHAI, name: '李女士', phone: '13900000036', line1: '淮海中路 99 号' };
    const res = await place(
      {
        channel: 'pos',
        storeCode: 'O-S1',
        guide: 'o-s1.guide',
        lines: [{ sku: 'O-B', quantity: 1 }],
        fulfillment: { type: 'delivery', address },
      },
      guideOf('O-S1'),
    );
    expect(res.statusCode, res.body).toBe(201);
    const o = res.json();
    expect(o).toMatchObject({
      channel: 'pos',
      storeCode: 'O-S1',
      guide: 'o-s1.guide',
      fulfillmentPlan: { groups: [{ location: 'O-WH', type: 'ship', lines: [{ sku: 'O-B', quantity: 1 }] }] },
    });
    const chosen = o.fulfillmentPlan.explanation.find((e: { location: string }) => e.location === 'O-WH');
    expect(chosen.reasons).toContain('ENDLESS_AISLE');
    const cash = await t.request({
      method: 'POST',
      url: `/v1/orders/${o.id}/payments`,
      as: guideOf('O-S1'),
      body: { provider: 'cash', amount: o.payableAmount, tendered: 50_000 },
    });
    expect(cash.statusCode, cash.body).toBe(201);
    expect(cash.json().change).toBe(5000);
    const paid = await until(o.id, 'fulfilling');
    expect(paid.fulfillments).toEqual([expect.objectContaining({ location: 'O-WH', type: 'ship' })]);
    const day = (await t.request({ method: 'GET', url: '/v1/stores/O-S1/till', as: guideOf('O-S1') })).json();
    expect(day.byGuide).toContainEqual(expect.objectContaining({ guide: 'o-s1.guide' }));
    expect(day.byPayment).toContainEqual({ provider: 'cash', payments: 1, amount: 45_000 });
  });
});
