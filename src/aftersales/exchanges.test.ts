import { describe, expect, it } from 'vitest';
import { guideOf, managerOf } from '../../test/helpers/app.js';
import {
  deliveredOnlineOrder,
  level,
  member,
  order,
  pay,
  refundsOf,
  returnOf,
  setUpReturnsNetwork,
  t,
  until,
} from './aftersales.testkit.js';

// Exchanges at a store: the old units returned, a replacement order with their value as credit.

setUpReturnsNetwork();

describe('exchanges', () => {
  it('a dearer replacement: the returned value is credited and the customer pays the difference', async () => {
    const memberId = await member('13900000010');
    const o = await deliveredOnlineOrder([{ sku: 'R-A', quantity: 1 }], memberId);
    const reservedB = (await level('R-B', 'R-S1')).reserved;
    const res = await t.request({
      method: 'POST',
      url: '/v1/exchanges',
      as: managerOf('R-S1'),
      body: {
        orderId: o.id,
        returnLines: [{ sku: 'R-A', quantity: 1 }],
        replacementLines: [{ sku: 'R-B', quantity: 1 }],
        location: 'R-S1',
        channel: 'pos',
        fulfillment: { type: 'carry_out' },
        condition: 'resellable',
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const ex = res.json();
    const read = await t.request({ method: 'GET', url: `/v1/exchanges/${ex.id}` });
    expect(read.json()).toMatchObject({ id: ex.id, returnId: ex.returnId, return: { id: ex.returnId } });
    expect(ex).toMatchObject({
      creditAmount: 32_000,
      refundAmount: 0,
      payableAmount: 13_000,
      return: { status: 'refunded', refundStatus: 'not_needed' },
    });
    // The replacement's stock is held for it at the store.
    expect((await level('R-B', 'R-S1')).reserved).toBe(reservedB + 1);
    const replacement = await order(ex.replacementOrderId);
    expect(replacement).toMatchObject({
      status: 'pending_payment',
      memberId,
      totalAmount: 45_000,
      discountAmount: 32_000,
      payableAmount: 13_000,
    });
    await pay(ex.replacementOrderId);
    await until(ex.replacementOrderId, 'completed');
    expect(await refundsOf(o.id)).toEqual([]);

    const originalTimeline = (await order(o.id)).timeline.filter(
      (e: { kind: string }) => e.kind === 'exchange',
    );
    const replacementTimeline = (await order(ex.replacementOrderId)).timeline.filter(
      (e: { kind: string }) => e.kind === 'exchange',
    );
    expect(originalTimeline[0].data).toMatchObject({
      replacementOrderId: ex.replacementOrderId,
      originalOrderId: o.id,
    });
    expect(replacementTimeline[0].data).toMatchObject({
      replacementOrderId: ex.replacementOrderId,
      originalOrderId: o.id,
    });
    expect(
      (await t.request({ method: 'GET', url: `/v1/exchanges?orderId=${o.id}` })).json().items,
    ).toHaveLength(1);
  });

  it('a cheaper replacement: the difference goes back to the original payment', async () => {
    const o = await deliveredOnlineOrder([{ sku: 'R-B', quantity: 1 }]);
    const res = await t.request({
      method: 'POST',
      url: '/v1/exchanges',
      as: guideOf('R-S1'),
      body: {
        orderId: o.id,
        returnLines: [{ sku: 'R-B', quantity: 1 }],
        replacementLines: [{ sku: 'R-A', quantity: 1 }],
        location: 'R-S1',
        channel: 'pos',
        fulfillment: { type: 'carry_out' },
        condition: 'resellable',
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const ex = res.json();
    expect(ex).toMatchObject({ creditAmount: 32_000, refundAmount: 13_000, payableAmount: 0 });
    expect(await order(ex.replacementOrderId)).toMatchObject({
      totalAmount: 32_000,
      discountAmount: 32_000,
      payableAmount: 0,
    });
    await expect
      .poll(async () => (await returnOf(ex.returnId)).refundStatus, { timeout: 8000 })
      .toBe('succeeded');
    expect(await refundsOf(o.id)).toEqual([
      expect.objectContaining({ amount: 13_000, reference: ex.returnId, status: 'succeeded' }),
    ]);
  });

  it('a replacement that is never paid is cancelled and the credit goes back to the original payment', async () => {
    const o = await deliveredOnlineOrder([{ sku: 'R-C', quantity: 1 }]);
    const ex = (
      await t.request({
        method: 'POST',
        url: '/v1/exchanges',
        as: managerOf('R-S1'),
        body: {
          orderId: o.id,
          returnLines: [{ sku: 'R-C', quantity: 1 }],
          replacementLines: [{ sku: 'R-A', quantity: 1 }],
          location: 'R-S1',
          channel: 'pos',
          fulfillment: { type: 'carry_out' },
        },
      })
    ).json();
    expect(ex).toMatchObject({ creditAmount: 9_900, payableAmount: 32_000 - 9_900 });
    const cancelled = await t.request({
      method: 'POST',
      url: `/v1/orders/${ex.replacementOrderId}/cancel`,
      as: managerOf('R-S1'),
      body: { reason: 'customer left' },
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    await expect
      .poll(async () => (await refundsOf(o.id)).map((r) => [r.amount, r.reference, r.status]), {
        timeout: 8000,
      })
      .toEqual([[9_900, `${ex.id}:credit`, 'succeeded']]);
    // The timeline entry of the confirmed refund is written by the refund event's consumer, a moment later.
    const messages = async () =>
      (await order(o.id)).timeline
        .filter((e: { kind: string }) => e.kind === 'exchange' || e.kind === 'refund')
        .map((e: { message: string }) => e.message);
    await expect
      .poll(async () => (await messages()).some((m: string) => /Exchange credit of ¥99.00 refunded/.test(m)))
      .toBe(true);
    expect((await messages()).some((m: string) => /credit of ¥99.00 is refunded/.test(m))).toBe(true);
  });
});
