import { describe, expect, it } from 'vitest';
import { guideOf, managerOf, TEST_SECRET } from '../../test/helpers/app.js';
import { expectInventoryInvariants } from '../../test/helpers/inventory.js';
import { redeemCouponsForOrder } from '../loyalty/index.js';
import { ordersDeps, placeOrder } from '../orders/index.js';
import {
  customer,
  deliveredOnlineOrder,
  level,
  member,
  payAndDeliver,
  refundsOf,
  returnOf,
  SHANGHAI,
  setUpReturnsNetwork,
  storeReturn,
  t,
} from './aftersales.testkit.js';

// Receiving a return's goods at a store or warehouse: who may, how they are graded, what loyalty gives back.

setUpReturnsNetwork();

describe('an online order returned at a store', () => {
  it('a customer requests a return online; a store receives it later, and only staff of that store may', async () => {
    const memberId = await member('13900000002');
    const o = await deliveredOnlineOrder([{ sku: 'R-B', quantity: 2 }], memberId);
    const stranger = await member('13900000003');
    const refused = await t.request({
      method: 'POST',
      url: '/v1/returns',
      as: customer(stranger),
      body: {
        orderId: o.id,
        lines: [{ sku: 'R-B', quantity: 1 }],
        channel: 'mini_program',
        location: 'R-WH',
        reason: 'too dark',
      },
    });
    expect(refused.statusCode).toBe(403);
    const res = await t.request({
      method: 'POST',
      url: '/v1/returns',
      as: customer(memberId),
      body: {
        orderId: o.id,
        lines: [{ sku: 'R-B', quantity: 1 }],
        channel: 'mini_program',
        location: 'R-WH',
        reason: 'too dark',
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      status: 'requested',
      refundStatus: 'not_started',
      refundAmount: 45_000,
    });
    expect(await refundsOf(o.id)).toEqual([]);
    const id = res.json().id;

    const elsewhere = await t.request({
      method: 'POST',
      url: `/v1/returns/${id}/receive`,
      as: guideOf('R-S1'),
      body: { location: 'R-S2' },
    });
    expect(elsewhere.statusCode).toBe(403);
    // Dropped at a store instead of sent to the warehouse: any store may receive it.
    const received = await t.request({
      method: 'POST',
      url: `/v1/returns/${id}/receive`,
      as: guideOf('R-S1'),
      body: { location: 'R-S1', condition: 'resellable' },
    });
    expect(received.statusCode, received.body).toBe(200);
    expect(received.json()).toMatchObject({
      status: 'received',
      receivedLocation: 'R-S1',
      refundStatus: 'pending',
    });
    const again = await t.request({
      method: 'POST',
      url: `/v1/returns/${id}/receive`,
      as: guideOf('R-S1'),
      body: { location: 'R-S1' },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('RETURN.INVALID_TRANSITION');
    await expect.poll(async () => (await returnOf(id)).status, { timeout: 8000 }).toBe('refunded');
    const mine = await t.request({ method: 'GET', url: '/v1/returns', as: customer(memberId) });
    expect(mine.json().items.map((r: { id: string }) => r.id)).toEqual([id]);
    const store = await t.request({
      method: 'GET',
      url: '/v1/returns?status=refunded',
      as: managerOf('R-S1'),
    });
    expect(store.json().items.map((r: { id: string }) => r.id)).toContain(id);
  });
  it('a requested return withdrawn before its goods arrive: nothing refunded, its units can be returned again', async () => {
    const memberId = await member('13900000012');
    const o = await deliveredOnlineOrder([{ sku: 'R-B', quantity: 1 }], memberId);
    const ask = () =>
      t.request({
        method: 'POST',
        url: '/v1/returns',
        as: customer(memberId),
        body: {
          orderId: o.id,
          lines: [{ sku: 'R-B', quantity: 1 }],
          channel: 'mini_program',
          location: 'R-WH',
          reason: 'too dark',
        },
      });
    const first = await ask();
    expect(first.statusCode, first.body).toBe(201);
    const stranger = await member('13900000013');
    const notHers = await t.request({
      method: 'POST',
      url: `/v1/returns/${first.json().id}/cancel`,
      as: customer(stranger),
    });
    expect(notHers.statusCode).toBe(403);
    const withdrawn = await t.request({
      method: 'POST',
      url: `/v1/returns/${first.json().id}/cancel`,
      as: customer(memberId),
      body: { reason: 'kept it' },
    });
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    expect(withdrawn.json()).toMatchObject({
      id: first.json().id,
      status: 'cancelled',
      refundStatus: 'not_started',
    });
    const twice = await t.request({
      method: 'POST',
      url: `/v1/returns/${first.json().id}/cancel`,
      as: customer(memberId),
    });
    expect([twice.statusCode, twice.json().code]).toEqual([409, 'RETURN.INVALID_TRANSITION']);
    expect(await refundsOf(o.id)).toEqual([]);
    // The unit is hers to return again.
    expect((await ask()).statusCode).toBe(201);
  });

  it('returning the whole order gives its coupon back', async () => {
    const memberId = await member('13900000004');
    const now = Date.now();
    const template = await t.request({
      method: 'POST',
      url: '/v1/coupon-templates',
      body: {
        code: 'R-TEN',
        name: '满减10元',
        kind: 'amount_off',
        value: 1000,
        validFrom: new Date(now - 86_400_000).toISOString(),
        validTo: new Date(now + 30 * 86_400_000).toISOString(),
      },
    });
    expect(template.statusCode, template.body).toBe(201);
    const coupon = (
      await t.request({ method: 'POST', url: '/v1/coupons', body: { template: 'R-TEN', memberId } })
    ).json();
    // The coupon redeemed in the order's own transaction, its value taken off the order as the order hub does.
    const deps = ordersDeps(t.runtime.database, { secret: TEST_SECRET, timeZone: 'Asia/Shanghai' });
    const placed = await t.runtime.database.transaction(async (trx) => {
      const p = await placeOrder(
        trx,
        deps,
        {
          channel: 'online',
          memberId,
          lines: [{ sku: 'R-D', quantity: 1 }],
          fulfillment: { type: 'delivery', address: SHANGHAI },
          credit: { source: coupon.code, amount: 1000 },
        },
        { role: 'admin', subject: 'test' },
      );
      await redeemCouponsForOrder(trx, {
        orderId: p.orderId,
        memberId,
        channel: 'online',
        storeCode: null,
        lines: [{ key: '1', sku: 'R-D', category: 'lipstick', amount: 12_000 }],
        couponCodes: [coupon.code],
      });
      return p;
    });
    const o = await payAndDeliver(placed.orderId);
    const coupons = async () =>
      (await t.request({ method: 'GET', url: `/v1/members/${memberId}/coupons` })).json().items;
    expect((await coupons()).find((c: { code: string }) => c.code === coupon.code).status).toBe('redeemed');

    const res = await storeReturn(o.id, 'R-S2', [{ sku: 'R-D', quantity: 1 }]);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ refundAmount: 11_000, loyalty: { couponsRestored: [coupon.code] } });
    expect((await coupons()).find((c: { code: string }) => c.code === coupon.code).status).toBe('issued');
  });
});

describe('grading at receipt', () => {
  it('a damaged item is quarantined: in the ledger, never sellable', async () => {
    const o = await deliveredOnlineOrder([{ sku: 'R-B', quantity: 1 }]);
    const before = await level('R-B', 'R-S2');
    const res = await storeReturn(o.id, 'R-S2', [{ sku: 'R-B', quantity: 1 }], {
      condition: 'damaged',
      reason: 'cap broken',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().lines[0].condition).toBe('damaged');
    const after = await level('R-B', 'R-S2');
    expect(after).toMatchObject({
      onHand: before.onHand,
      available: before.available,
      quarantined: before.quarantined + 1,
    });
    const movements = (await t.request({ method: 'GET', url: '/v1/inventory/R-B/R-S2/movements' })).json()
      .items;
    expect(movements.slice(0, 2).map((m: { reason: string; delta: number }) => [m.reason, m.delta])).toEqual([
      ['damage', -1],
      ['return', 1],
    ]);
    // The damaged unit still refunds: the customer paid for it.
    await expect
      .poll(async () => (await returnOf(res.json().id)).refundStatus, { timeout: 8000 })
      .toBe('succeeded');
    await expectInventoryInvariants(t);
  });
});
