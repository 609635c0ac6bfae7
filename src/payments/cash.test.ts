import { describe, expect, it } from 'vitest';
import { channelOf, guideOf, managerOf } from '../../test/helpers/app.js';
import { order, place, setUpOrderWorld, t, until } from '../../test/helpers/orders.js';

// Cash at the till: taken by the selling store's staff with the change counted, through the same payment outcome
// path as any provider (the order paid, points pending, the day's summary); refunded across a store's counter, or
// waiting for one when the goods came back by courier.

setUpOrderWorld();

const GUIDE = guideOf('O-S1');

async function sale(sku: string, quantity: number, customer?: string) {
  const res = await place(
    {
      channel: 'pos',
      storeCode: 'O-S1',
      guide: 'o-s1.guide',
      ...(customer ? { customer: { identifiers: [{ type: 'phone', value: customer }] } } : {}),
      lines: [{ sku, quantity }],
      fulfillment: { type: 'carry_out' },
    },
    GUIDE,
  );
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

function payCash(id: string, body: object, as: Parameters<typeof t.request>[0]['as'] = GUIDE, key?: string) {
  return t.request({
    method: 'POST',
    url: `/v1/orders/${id}/payments`,
    body: { provider: 'cash', ...body },
    as,
    ...(key ? { headers: { 'idempotency-key': key } } : {}),
  });
}

describe('cash at the till', () => {
  it('takes cash with change: the order is paid and completed, her points pending, the day shows cash', async () => {
    const o = await sale('O-C', 2, '13900000035');
    const res = await payCash(o.id, { amount: o.payableAmount, tendered: 20_000 }, GUIDE, 'cash-1');
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      status: 'succeeded',
      provider: 'cash',
      amount: 19_800,
      tendered: 20_000,
      change: 200,
    });
    // The same key replays the answer: one payment, not two.
    const again = await payCash(o.id, { amount: o.payableAmount, tendered: 20_000 }, GUIDE, 'cash-1');
    expect(again.statusCode).toBe(201);
    expect(again.json().id).toBe(res.json().id);

    const paid = await until(o.id, 'completed');
    expect(paid.paidAmount).toBe(19_800);
    expect(paid.payments).toEqual([
      expect.objectContaining({
        provider: 'cash',
        status: 'succeeded',
        cash: { store: 'O-S1', takenBy: 'guide:o-s1.guide', tendered: 20_000, change: 200 },
      }),
    ]);
    expect(paid.timeline.map((e: { code: string }) => e.code)).toContain('order.paid');
    // Her points are earned by loyalty's consumer of `order.paid`, a moment after the order is paid.
    await expect
      .poll(async () => {
        const points = (
          await t.request({ method: 'GET', url: `/v1/members/${paid.memberId}/points` })
        ).json();
        return points.pending + points.available;
      })
      .toBeGreaterThan(0);

    const day = await t.request({ method: 'GET', url: '/v1/stores/O-S1/till', as: managerOf('O-S1') });
    expect(day.json().byPayment).toContainEqual({ provider: 'cash', payments: 1, amount: 19_800 });
  });

  it('refuses cash from a channel key, HQ, another store and too little tendered', async () => {
    const o = await sale('O-A', 1);
    const due = { amount: o.payableAmount, tendered: o.payableAmount };
    const key = await payCash(o.id, due, channelOf('pos'));
    expect(key.statusCode, key.body).toBe(403);
    expect(key.json().code).toBe('PAYMENT.CASH_NOT_AT_COUNTER');
    const hq = await payCash(o.id, due, 'admin');
    expect(hq.json().code).toBe('PAYMENT.CASH_NOT_AT_COUNTER');
    const other = await payCash(o.id, due, guideOf('O-S2'));
    expect(other.statusCode).toBe(403);
    const short = await payCash(o.id, { amount: o.payableAmount, tendered: o.payableAmount - 1 });
    expect(short.statusCode, short.body).toBe(400);
    expect(short.json()).toMatchObject({
      code: 'PAYMENT.CASH_TENDERED_SHORT',
      errors: [{ path: 'tendered' }],
    });
    const none = await payCash(o.id, { amount: o.payableAmount });
    expect(none.statusCode).toBe(400);
    expect(none.json()).toMatchObject({ code: 'REQUEST.INVALID', errors: [{ path: 'tendered' }] });
    const simulated = await t.request({
      method: 'POST',
      url: `/v1/orders/${o.id}/payments`,
      body: { provider: 'simulated', amount: o.payableAmount, tendered: o.payableAmount },
    });
    expect(simulated.statusCode).toBe(400);
    expect((await order(o.id)).status).toBe('pending_payment');
    expect((await order(o.id)).payments).toEqual([]);
  });

  it('hands a cash refund back at the store that receives the return', async () => {
    const o = await sale('O-C', 1);
    expect((await payCash(o.id, { amount: o.payableAmount, tendered: 10_000 })).statusCode).toBe(201);
    await until(o.id, 'completed');
    const ret = await t.request({
      method: 'POST',
      url: '/v1/returns',
      as: managerOf('O-S1'),
      body: {
        orderId: o.id,
        lines: [{ sku: 'O-C', quantity: 1 }],
        channel: 'pos',
        location: 'O-S1',
        reason: 'wrong shade',
        condition: 'resellable',
      },
    });
    expect(ret.statusCode, ret.body).toBe(201);
    await expect
      .poll(
        async () => (await t.request({ method: 'GET', url: `/v1/returns/${ret.json().id}` })).json().status,
      )
      .toBe('refunded');
    const refunds = (await t.request({ method: 'GET', url: `/v1/refunds?orderId=${o.id}` })).json().items;
    expect(refunds).toEqual([
      expect.objectContaining({
        status: 'succeeded',
        amount: 9900,
        counter: { store: 'O-S1', handedBy: 'store_manager:o-s1.manager' },
        awaiting: null,
      }),
    ]);
    expect((await order(o.id)).payments[0]).toMatchObject({ status: 'refunded', refundedAmount: 9900 });
  });

  it('keeps a courier return’s cash refund waiting for a store, then hands it over there', async () => {
    const o = await sale('O-A', 1);
    expect((await payCash(o.id, { amount: o.payableAmount, tendered: o.payableAmount })).statusCode).toBe(
      201,
    );
    await until(o.id, 'completed');
    const ret = await t.request({
      method: 'POST',
      url: '/v1/returns',
      body: {
        orderId: o.id,
        lines: [{ sku: 'O-A', quantity: 1 }],
        channel: 'online',
        location: 'O-WH',
        reason: 'sent back by courier',
        condition: 'resellable',
      },
    });
    expect(ret.statusCode, ret.body).toBe(201);
    const received = await t.request({
      method: 'POST',
      url: `/v1/returns/${ret.json().id}/receive`,
      body: { location: 'O-WH', condition: 'resellable' },
    });
    expect(received.statusCode, received.body).toBe(200);
    await expect
      .poll(async () => (await t.request({ method: 'GET', url: `/v1/refunds?orderId=${o.id}` })).json().items)
      .toEqual([expect.objectContaining({ status: 'pending', awaiting: 'cash_at_store', counter: null })]);
    const refund = (await t.request({ method: 'GET', url: `/v1/refunds?orderId=${o.id}` })).json().items[0];
    expect((await t.request({ method: 'GET', url: `/v1/returns/${ret.json().id}` })).json()).toMatchObject({
      status: 'received',
      refundStatus: 'pending',
    });

    // At the counter she shows her order: the store reads the cash owed on it, and nothing wider.
    const owed = await t.request({
      method: 'GET',
      url: `/v1/refunds?orderId=${o.id}&awaiting=cash_at_store`,
      as: guideOf('O-S2'),
    });
    expect(owed.statusCode, owed.body).toBe(200);
    expect(owed.json().items.map((r: { id: string }) => r.id)).toEqual([refund.id]);
    for (const url of [`/v1/refunds?orderId=${o.id}`, '/v1/refunds?awaiting=cash_at_store']) {
      expect((await t.request({ method: 'GET', url, as: guideOf('O-S2') })).statusCode).toBe(403);
    }

    // Another store's staff may not hand it over in this store's name.
    const elsewhere = await t.request({
      method: 'POST',
      url: `/v1/refunds/${refund.id}/cash-handover`,
      as: guideOf('O-S2'),
      body: { store: 'O-S1' },
    });
    expect(elsewhere.statusCode).toBe(403);
    const handed = await t.request({
      method: 'POST',
      url: `/v1/refunds/${refund.id}/cash-handover`,
      as: guideOf('O-S2'),
      body: { store: 'O-S2' },
      headers: { 'idempotency-key': 'handover-1' },
    });
    expect(handed.statusCode, handed.body).toBe(200);
    expect(handed.json()).toMatchObject({
      status: 'succeeded',
      awaiting: null,
      counter: { store: 'O-S2', handedBy: 'guide:o-s2.guide' },
    });
    await expect
      .poll(
        async () => (await t.request({ method: 'GET', url: `/v1/returns/${ret.json().id}` })).json().status,
      )
      .toBe('refunded');
    const twice = await t.request({
      method: 'POST',
      url: `/v1/refunds/${refund.id}/cash-handover`,
      as: guideOf('O-S2'),
      body: { store: 'O-S2' },
    });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('PAYMENT.REFUND_NOT_AWAITING_CASH');
  });
});
