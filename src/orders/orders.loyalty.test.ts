import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { createNetwork, setStock } from '../../test/helpers/inventory.js';

// Coupons and points as part of placing an order: redeemed in the order's transaction, apportioned to lines in
// exact fen, and given back when the order is cancelled.

let t: TestApp;
let memberId: string;
const SHANGHAI = { city: '上海', lat: 31.2304, lng: 121.4737 };

beforeAll(async () => {
  t = await startTestApp();
  await createNetwork(
    t,
    [{ code: 'L-WH', kind: 'warehouse', city: '上海', lat: 31.15, lng: 121.12, priorityTier: 1 }],
    [
      { code: 'L-A', price: 30000 },
      { code: 'L-B', price: 10001 },
    ],
  );
  await setStock(t, 'L-A', 'L-WH', 100);
  await setStock(t, 'L-B', 'L-WH', 100);
  const identified = await t.request({
    method: 'POST',
    url: '/v1/identify',
    body: { identifiers: [{ type: 'phone', value: '13900001111', verified: true }], channel: 'online' },
  });
  memberId = identified.json().memberId;
  // Points mature as soon as the order completes, for this test.
  const rules = await t.request({
    method: 'PUT',
    url: '/v1/loyalty/rules',
    body: { returnWindowSeconds: 0 },
  });
  expect(rules.statusCode, rules.body).toBe(200);
  const read = await t.request({ method: 'GET', url: '/v1/loyalty/rules' });
  expect(read.json()).toEqual(rules.json());
});
afterAll(() => t.close());

async function order(id: string) {
  return (await t.request({ method: 'GET', url: `/v1/orders/${id}` })).json();
}

async function payAndComplete(id: string) {
  const o = await order(id);
  await t.request({
    method: 'POST',
    url: `/v1/orders/${id}/payments`,
    body: { provider: 'simulated', amount: o.payableAmount },
  });
  await expect.poll(async () => (await order(id)).status, { timeout: 8000 }).toBe('fulfilling');
  const f = (await order(id)).fulfillments[0];
  await t.request({ method: 'POST', url: `/v1/fulfillments/${f.id}/ship`, body: { trackingNumber: 'T1' } });
  await t.request({ method: 'POST', url: `/v1/fulfillments/${f.id}/deliver` });
  expect((await order(id)).status).toBe('completed');
}

describe('coupons in an order', () => {
  it('apportions the discount to lines in exact fen, and gives the coupon back on cancel', async () => {
    const template = await t.request({
      method: 'POST',
      url: '/v1/coupon-templates',
      body: {
        code: 'ORD-50',
        name: '满200减50',
        kind: 'amount_off',
        value: 5000,
        minSpend: 20000,
        channels: ['online'],
        validFrom: '2020-01-01T00:00:00Z',
        validTo: '2099-01-01T00:00:00Z',
      },
    });
    expect(template.statusCode, template.body).toBe(201);
    const coupon = (
      await t.request({ method: 'POST', url: '/v1/coupons', body: { template: 'ORD-50', memberId } })
    ).json();
    const placed = await t.request({
      method: 'POST',
      url: '/v1/orders',
      body: {
        channel: 'online',
        memberId,
        lines: [
          { sku: 'L-A', quantity: 1 },
          { sku: 'L-B', quantity: 1 },
        ],
        fulfillment: { type: 'delivery', address: SHANGHAI },
        couponCodes: [coupon.code],
      },
    });
    expect(placed.statusCode, placed.body).toBe(201);
    const o = placed.json();
    expect(o.totalAmount).toBe(40001);
    expect(o.discountAmount).toBe(5000);
    expect(o.payableAmount).toBe(35001);
    const lineDiscounts = o.lines.map((l: { discountAmount: number }) => l.discountAmount);
    expect(lineDiscounts.reduce((a: number, b: number) => a + b, 0)).toBe(5000);
    expect(
      o.lines.map(
        (l: { paidAmount: number; discountAmount: number; lineAmount: number }) =>
          l.lineAmount - l.discountAmount - l.paidAmount,
      ),
    ).toEqual([0, 0]);

    const again = await t.request({
      method: 'POST',
      url: '/v1/orders',
      body: {
        channel: 'online',
        memberId,
        lines: [{ sku: 'L-A', quantity: 1 }],
        fulfillment: { type: 'delivery', address: SHANGHAI },
        couponCodes: [coupon.code],
      },
    });
    expect(again.json().code).toBe('COUPON.ALREADY_REDEEMED');
    const pos = await t.request({
      method: 'POST',
      url: '/v1/orders',
      body: {
        channel: 'mini_program',
        memberId,
        lines: [{ sku: 'L-A', quantity: 1 }],
        fulfillment: { type: 'delivery', address: SHANGHAI },
        couponCodes: [coupon.code],
      },
    });
    expect(pos.statusCode).toBe(409);

    await t.request({ method: 'POST', url: `/v1/orders/${o.id}/cancel` });
    const coupons = (await t.request({ method: 'GET', url: `/v1/members/${memberId}/coupons` })).json().items;
    expect(coupons.find((c: { code: string }) => c.code === coupon.code).status).toBe('issued');
  });
});

describe('points as part payment', () => {
  it('spends earned points in a later order and refuses more than is left to pay', async () => {
    const first = (
      await t.request({
        method: 'POST',
        url: '/v1/orders',
        body: {
          channel: 'online',
          memberId,
          lines: [{ sku: 'L-A', quantity: 2 }],
          fulfillment: { type: 'delivery', address: SHANGHAI },
        },
      })
    ).json();
    await payAndComplete(first.id);
    await expect
      .poll(
        async () =>
          (await t.request({ method: 'GET', url: `/v1/members/${memberId}/points` })).json().available,
        { timeout: 10_000 },
      )
      .toBeGreaterThan(0);
    const available = (await t.request({ method: 'GET', url: `/v1/members/${memberId}/points` })).json()
      .available;

    const tooMany = await t.request({
      method: 'POST',
      url: '/v1/orders',
      body: {
        channel: 'online',
        memberId,
        lines: [{ sku: 'L-B', quantity: 1 }],
        fulfillment: { type: 'delivery', address: SHANGHAI },
        pointsToRedeem: available + 1,
      },
    });
    expect(tooMany.statusCode).toBe(409);

    const spend = Math.min(available, 500);
    const paid = await t.request({
      method: 'POST',
      url: '/v1/orders',
      body: {
        channel: 'online',
        memberId,
        lines: [{ sku: 'L-B', quantity: 1 }],
        fulfillment: { type: 'delivery', address: SHANGHAI },
        pointsToRedeem: spend,
      },
    });
    expect(paid.statusCode, paid.body).toBe(201);
    const o = paid.json();
    expect(o.pointsAmount).toBe(spend); // 100 points = ¥1 = 100 fen
    expect(o.payableAmount).toBe(10001 - spend);
    expect((await t.request({ method: 'GET', url: `/v1/members/${memberId}/points` })).json().available).toBe(
      available - spend,
    );
    await t.request({ method: 'POST', url: `/v1/orders/${o.id}/cancel` });
    expect((await t.request({ method: 'GET', url: `/v1/members/${memberId}/points` })).json().available).toBe(
      available,
    );
  });
});

describe('the member 360 view', () => {
  it('lists the member’s recent orders from every channel', async () => {
    const view = (await t.request({ method: 'GET', url: `/v1/members/${memberId}` })).json();
    expect(view.recentOrders.length).toBeGreaterThan(0);
    expect(view.recentOrders[0]).toMatchObject({
      memberId,
      channel: expect.any(String),
      status: expect.any(String),
    });
  });
});
