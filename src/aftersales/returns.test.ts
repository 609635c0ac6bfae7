import { describe, expect, it } from 'vitest';
import { guideOf, TEST_SECRET } from '../../test/helpers/app.js';
import { expectInventoryInvariants } from '../../test/helpers/inventory.js';
import { ordersDeps, placeOrder } from '../orders/index.js';
import {
  deliveredOnlineOrder,
  level,
  member,
  order,
  pay,
  payAndDeliver,
  refundsOf,
  returnOf,
  SHANGHAI,
  setUpReturnsNetwork,
  storeReturn,
  t,
  until,
} from './aftersales.testkit.js';

// Asking for a return over HTTP, in another channel and place than the order was sold: which units may go back,
// what each refunds, and the refusals.

setUpReturnsNetwork();

describe('an online order returned at a store', () => {
  it('puts the unit back on hand there, refunds exactly what the line paid and takes back the earned points', async () => {
    const memberId = await member('13900000001');
    const o = await deliveredOnlineOrder([{ sku: 'R-A', quantity: 1 }], memberId);
    expect(o.channel).toBe('online');
    expect(o.fulfillments[0].location).toBe('R-WH');
    // Loyalty credits the order's points when it completes.
    await expect
      .poll(
        async () =>
          (await t.request({ method: 'GET', url: `/v1/members/${memberId}/points` })).json().pending,
        { timeout: 8000 },
      )
      .toBeGreaterThan(0);
    const earned = (await t.request({ method: 'GET', url: `/v1/members/${memberId}/points` })).json().pending;
    const before = await level('R-A', 'R-S2');

    const res = await storeReturn(o.id, 'R-S2', [{ sku: 'R-A', quantity: 1 }]);
    expect(res.statusCode, res.body).toBe(201);
    const ret = res.json();
    expect(ret).toMatchObject({
      id: expect.stringMatching(/^ret_/),
      status: 'received',
      orderId: o.id,
      receivedLocation: 'R-S2',
      refundAmount: o.lines[0].paidAmount,
      refundStatus: 'pending',
      lines: [{ sku: 'R-A', quantity: 1, condition: 'resellable', refundAmount: 32_000 }],
    });
    expect(ret.loyalty.pointsReversed).toBe(earned);

    const after = await level('R-A', 'R-S2');
    expect(after.onHand).toBe(before.onHand + 1);
    const [movement] = (await t.request({ method: 'GET', url: '/v1/inventory/R-A/R-S2/movements' })).json()
      .items;
    expect(movement).toMatchObject({ delta: 1, reason: 'return' });

    // The refund goes to the original payment and is done only when the provider confirms it.
    await expect.poll(async () => (await returnOf(ret.id)).refundStatus, { timeout: 8000 }).toBe('succeeded');
    expect(await returnOf(ret.id)).toMatchObject({ status: 'refunded', refundedAt: expect.any(String) });
    const refunds = await refundsOf(o.id);
    expect(refunds).toEqual([
      expect.objectContaining({ amount: o.lines[0].paidAmount, reference: ret.id, status: 'succeeded' }),
    ]);
    expect((await t.request({ method: 'GET', url: `/v1/members/${memberId}/points` })).json().pending).toBe(
      0,
    );

    const timeline = (await order(o.id)).timeline.map((e: { kind: string; message: string }) => e.kind);
    expect(timeline).toEqual(expect.arrayContaining(['return', 'refund']));
    const events = await t.runtime.database.db
      .selectFrom('outbox_events')
      .select(['type', 'location'])
      .where('stream', '=', `return:${ret.id}`)
      .orderBy('seq')
      .execute();
    expect(events).toEqual([
      { type: 'return.requested', location: 'R-S2' },
      { type: 'return.received', location: 'R-S2' },
      { type: 'return.refunded', location: 'R-S2' },
    ]);
    await expectInventoryInvariants(t);
  });
});

describe('partial returns of a discounted multi-line order', () => {
  it('refund what each unit paid, never more than the order paid, across several returns', async () => {
    // Placed in a transaction with a credit so that the discount is apportioned unevenly over the lines.
    const deps = ordersDeps(t.runtime.database, { secret: TEST_SECRET, timeZone: 'Asia/Shanghai' });
    const placed = await t.runtime.database.transaction((trx) =>
      placeOrder(
        trx,
        deps,
        {
          channel: 'online',
          lines: [
            { sku: 'R-C', quantity: 3 },
            { sku: 'R-D', quantity: 2 },
          ],
          fulfillment: { type: 'delivery', address: SHANGHAI },
          credit: { source: 'promotion:test', amount: 1001 },
        },
        { role: 'admin', subject: 'test' },
      ),
    );
    const o = await payAndDeliver(placed.orderId);
    expect(o.discountAmount).toBe(1001);
    const paid = o.paidAmount;
    expect(paid).toBe(3 * 9900 + 2 * 12000 - 1001);
    const lineC = o.lines.find((l: { sku: string }) => l.sku === 'R-C');

    const amounts: number[] = [];
    for (const lines of [
      [{ sku: 'R-C', quantity: 1 }],
      [
        { sku: 'R-D', quantity: 1 },
        { sku: 'R-C', quantity: 1 },
      ],
      [{ sku: 'R-D', quantity: 1 }],
    ]) {
      const res = await storeReturn(o.id, 'R-S1', lines);
      expect(res.statusCode, res.body).toBe(201);
      amounts.push(res.json().refundAmount);
    }
    expect(amounts.reduce((s, a) => s + a, 0)).toBeLessThan(paid);
    // The last unit of line C, asked for by three tills at once: exactly one return gets it.
    const racing = await Promise.all(
      [1, 2, 3].map(() => storeReturn(o.id, 'R-S1', [{ sku: 'R-C', quantity: 1 }])),
    );
    expect(racing.filter((r) => r.statusCode === 201)).toHaveLength(1);
    for (const r of racing.filter((x) => x.statusCode !== 201))
      expect(r.json().code).toBe('RETURN.QUANTITY_EXCEEDED');
    amounts.push(racing.find((r) => r.statusCode === 201)!.json().refundAmount);
    // Three returns of line C gave back exactly what line C paid; everything, exactly what the order paid.
    const ofC = (await t.request({ method: 'GET', url: `/v1/returns?orderId=${o.id}` }))
      .json()
      .items.flatMap((r: { lines: { sku: string; refundAmount: number }[] }) =>
        r.lines.filter((l) => l.sku === 'R-C'),
      );
    expect(ofC.reduce((s: number, l: { refundAmount: number }) => s + l.refundAmount, 0)).toBe(
      lineC.paidAmount,
    );
    expect(amounts.reduce((s, a) => s + a, 0)).toBe(paid);

    const more = await storeReturn(o.id, 'R-S1', [{ sku: 'R-D', quantity: 1 }]);
    expect(more.statusCode).toBe(409);
    expect(more.json().code).toBe('RETURN.QUANTITY_EXCEEDED');
    await expect
      .poll(async () => (await refundsOf(o.id)).filter((r) => r.status === 'succeeded').length, {
        timeout: 10_000,
      })
      .toBe(4);
    expect((await refundsOf(o.id)).reduce((s, r) => s + r.amount, 0)).toBe(paid);
  });

  it('returns of different lines of one order at once all go through, and together refund the order', async () => {
    const o = await deliveredOnlineOrder([
      { sku: 'R-A', quantity: 1 },
      { sku: 'R-B', quantity: 1 },
      { sku: 'R-C', quantity: 2 },
    ]);
    const all = await Promise.all(
      [
        [{ sku: 'R-C', quantity: 1 }],
        [{ sku: 'R-B', quantity: 1 }],
        [
          { sku: 'R-A', quantity: 1 },
          { sku: 'R-C', quantity: 1 },
        ],
      ].map((lines, i) => storeReturn(o.id, i === 1 ? 'R-S2' : 'R-S1', lines)),
    );
    expect(all.map((r) => r.statusCode)).toEqual([201, 201, 201]);
    expect(all.reduce((s, r) => s + r.json().refundAmount, 0)).toBe(o.paidAmount);
  });

  it('refuses more than was bought, items not yet delivered, and returns outside the window', async () => {
    const o = await deliveredOnlineOrder([{ sku: 'R-C', quantity: 1 }]);
    const tooMany = await storeReturn(o.id, 'R-S1', [{ sku: 'R-C', quantity: 2 }]);
    expect(tooMany.statusCode).toBe(409);
    expect(tooMany.json().code).toBe('RETURN.QUANTITY_EXCEEDED');
    const notBought = await storeReturn(o.id, 'R-S1', [{ sku: 'R-B', quantity: 1 }]);
    expect(notBought.json().code).toBe('RETURN.NOT_PURCHASED');

    const pending = (
      await t.request({
        method: 'POST',
        url: '/v1/orders',
        body: {
          channel: 'online',
          lines: [{ sku: 'R-C', quantity: 1 }],
          fulfillment: { type: 'delivery', address: SHANGHAI },
        },
      })
    ).json();
    await pay(pending.id);
    await until(pending.id, 'fulfilling');
    const early = await storeReturn(pending.id, 'R-S1', [{ sku: 'R-C', quantity: 1 }]);
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('RETURN.NOT_DELIVERED');

    // Eight days pass since the order was completed.
    const eightDaysAgo = new Date(Date.now() - 8 * 86_400_000).toISOString();
    await t.runtime.database.db
      .updateTable('orders')
      .set({ completed_at: eightDaysAgo })
      .where('id', '=', o.id)
      .execute();
    const late = await storeReturn(o.id, 'R-S1', [{ sku: 'R-C', quantity: 1 }]);
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('RETURN.WINDOW_CLOSED');
    expect(await refundsOf(o.id)).toEqual([]);
  });

  it('keeps store staff to their own counter', async () => {
    const o = await deliveredOnlineOrder([{ sku: 'R-C', quantity: 1 }]);
    const res = await storeReturn(o.id, 'R-S2', [{ sku: 'R-C', quantity: 1 }], {}, guideOf('R-S1'));
    expect(res.statusCode).toBe(403);
  });
});
