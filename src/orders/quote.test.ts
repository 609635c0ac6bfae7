import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guideOf, startTestApp, type TestApp } from '../../test/helpers/app.js';
import { createNetwork, setStock } from '../../test/helpers/inventory.js';
import type { Principal } from '../platform/index.js';
import type { OrderQuote, OrderView } from './orders.contract.js';

// The checkout's price before she pays: her coupons ranked on the basket, the chosen ones and her points priced
// as the order will price them, refusals as the order would refuse — and nothing spent.

let t: TestApp;
let memberId: string;
let customer: Principal;
const SHANGHAI = { city: '上海', lat: 31.2304, lng: 121.4737 };
const coupons: Record<string, string> = {};

async function template(code: string, body: object) {
  const res = await t.request({
    method: 'POST',
    url: '/v1/coupon-templates',
    body: {
      code,
      name: code,
      kind: 'amount_off',
      validFrom: '2020-01-01T00:00:00Z',
      validTo: '2099-01-01T00:00:00Z',
      ...body,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  const issued = await t.request({ method: 'POST', url: '/v1/coupons', body: { template: code, memberId } });
  expect(issued.statusCode, issued.body).toBe(201);
  coupons[code] = issued.json().code;
}

async function points(): Promise<number> {
  return (await t.request({ method: 'GET', url: `/v1/members/${memberId}/points` })).json().available;
}

const quote = (body: object, as: Principal | 'admin' = customer) =>
  t.request({
    method: 'POST',
    url: '/v1/orders/quote',
    as,
    body: { channel: 'mini_program', lines: [{ sku: 'Q-A', quantity: 2 }], ...body },
  });

beforeAll(async () => {
  t = await startTestApp();
  await createNetwork(
    t,
    [{ code: 'Q-WH', kind: 'warehouse', city: '上海', lat: 31.15, lng: 121.12, priorityTier: 1 }],
    [
      { code: 'Q-A', price: 15000 },
      { code: 'Q-B', price: 9900 },
    ],
  );
  await setStock(t, 'Q-A', 'Q-WH', 100);
  await setStock(t, 'Q-B', 'Q-WH', 100);
  memberId = (
    await t.request({
      method: 'POST',
      url: '/v1/identify',
      body: { identifiers: [{ type: 'phone', value: '13900002222', verified: true }], channel: 'online' },
    })
  ).json().memberId;
  customer = { role: 'customer', subject: memberId, memberId, storeCode: null };
  await template('Q-30', { value: 3000, stackable: true });
  await template('Q-50-OVER-300', { value: 5000, minSpend: 30_000, stackable: false });
  await template('Q-5PCT', { kind: 'percent_off', value: 5, stackable: true });
  await template('Q-SPEND-MORE', { value: 8000, minSpend: 100_000 });
  await template('Q-STORE', { value: 9000, stores: ['SH01'] });
});
afterAll(() => t.close());

describe('the checkout quote', () => {
  it('has points to offer once an order of hers completes (they mature at once here)', async () => {
    const rules = await t.request({
      method: 'PUT',
      url: '/v1/loyalty/rules',
      body: { returnWindowSeconds: 0 },
    });
    expect(rules.statusCode, rules.body).toBe(200);
    const earned = (
      await t.request({
        method: 'POST',
        url: '/v1/orders',
        body: {
          channel: 'online',
          memberId,
          lines: [{ sku: 'Q-B', quantity: 5 }],
          fulfillment: { type: 'delivery', address: SHANGHAI },
        },
      })
    ).json();
    await t.request({
      method: 'POST',
      url: `/v1/orders/${earned.id}/payments`,
      body: { provider: 'simulated', amount: earned.payableAmount },
    });
    const read = async () => (await t.request({ method: 'GET', url: `/v1/orders/${earned.id}` })).json();
    await expect.poll(async () => (await read()).status, { timeout: 8000 }).toBe('fulfilling');
    const f = (await read()).fulfillments[0];
    await t.request({ method: 'POST', url: `/v1/fulfillments/${f.id}/ship`, body: { trackingNumber: 'T1' } });
    await t.request({ method: 'POST', url: `/v1/fulfillments/${f.id}/deliver` });
    await expect.poll(points, { timeout: 10_000 }).toBe(495);
  });

  it('ranks her coupons on the basket, best first, with the reason each other one does not apply', async () => {
    const res = await quote({});
    expect(res.statusCode, res.body).toBe(200);
    const q = res.json<OrderQuote>();
    expect(q).toMatchObject({
      totalAmount: 30_000,
      discountAmount: 0,
      pointsAmount: 0,
      payableAmount: 30_000,
    });
    expect(q.couponCodes).toEqual([]);
    expect(q.coupons.slice(0, 3).map((o) => [o.coupon.template, o.applicable, o.amount])).toEqual([
      ['Q-50-OVER-300', true, 5000],
      ['Q-30', true, 3000],
      ['Q-5PCT', true, 1500],
    ]);
    // Then those that do not apply, each with its reason.
    expect(
      q.coupons
        .slice(3)
        .map((o) => [o.coupon.template, o.applicable, o.rule])
        .sort(),
    ).toEqual([
      ['Q-SPEND-MORE', false, 'min_spend'],
      ['Q-STORE', false, 'store'],
    ]);
    // She sees her own codes; 495 points = ¥4.95, all usable on ¥300.
    expect(q.coupons[0]?.coupon.code).toBe(coupons['Q-50-OVER-300']);
    expect(q.points).toEqual({ available: 495, perYuan: 100, maxPoints: 495, maxAmount: 495, redeemed: 0 });
  });

  it('prices the chosen coupons and points exactly as the order then does, spending nothing', async () => {
    const choice = { couponCodes: [coupons['Q-30'], coupons['Q-5PCT']], pointsToRedeem: 400 };
    const res = await quote(choice);
    expect(res.statusCode, res.body).toBe(200);
    const q = res.json<OrderQuote>();
    // ¥300 − ¥30 − 5% of ¥270 = ¥256.50, less ¥4 of points.
    expect(q).toMatchObject({
      totalAmount: 30_000,
      discountAmount: 4350,
      pointsAmount: 400,
      payableAmount: 25_250,
    });
    expect(q.couponCodes).toEqual(choice.couponCodes);
    expect(q.points).toMatchObject({ maxPoints: 495, redeemed: 400 });
    // Nothing was spent by quoting.
    expect(await points()).toBe(495);
    const coupon = await t.request({ method: 'GET', url: `/v1/coupons/${coupons['Q-30']}` });
    expect(coupon.json().status).toBe('issued');

    const placed = await t.request({
      method: 'POST',
      url: '/v1/orders',
      as: customer,
      body: {
        channel: 'mini_program',
        lines: [{ sku: 'Q-A', quantity: 2 }],
        fulfillment: { type: 'delivery', address: SHANGHAI },
        ...choice,
      },
    });
    expect(placed.statusCode, placed.body).toBe(201);
    const order = placed.json<OrderView>();
    for (const key of ['totalAmount', 'discountAmount', 'pointsAmount', 'payableAmount'] as const) {
      expect(order[key], key).toBe(q[key]);
    }
    expect(order.lines.map((l) => [l.discountAmount, l.pointsAmount, l.paidAmount])).toEqual(
      q.lines.map((l) => [l.discountAmount, l.pointsAmount, l.paidAmount]),
    );
    // The used coupons and points are gone from the next quote.
    const next = (await quote({})).json<OrderQuote>();
    expect(next.coupons.map((o) => o.coupon.template)).not.toContain('Q-30');
    expect(next.points?.available).toBe(95);
    await t.request({ method: 'POST', url: `/v1/orders/${order.id}/cancel`, body: { reason: 'test' } });
    await expect.poll(points, { timeout: 8000 }).toBe(495);
  });

  it('refuses what the order would refuse, with the same problems', async () => {
    const notCombinable = await quote({ couponCodes: [coupons['Q-50-OVER-300'], coupons['Q-5PCT']] });
    expect(notCombinable.statusCode).toBe(409);
    expect(notCombinable.json()).toMatchObject({
      code: 'COUPON.NOT_APPLICABLE',
      params: { rule: 'stacking' },
    });
    const spendMore = await quote({ couponCodes: [coupons['Q-SPEND-MORE']] });
    expect(spendMore.json()).toMatchObject({ code: 'COUPON.NOT_APPLICABLE', params: { rule: 'min_spend' } });
    const unknown = await quote({ couponCodes: ['NO-SUCH-COUPON'] });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('COUPON.NOT_FOUND');
    const tooMany = await quote({ pointsToRedeem: 496 });
    expect(tooMany.statusCode).toBe(409);
    expect(tooMany.json()).toMatchObject({
      code: 'LOYALTY.INSUFFICIENT_POINTS',
      params: { available: 495, requested: 496 },
    });
    // At 1 point = ¥1, ¥99 − ¥30 takes at most 69 of her 495 points; 70 would pay more than is left.
    const rules = await t.request({
      method: 'PUT',
      url: '/v1/loyalty/rules',
      body: { redeemPointsPerYuan: 1 },
    });
    expect(rules.statusCode, rules.body).toBe(200);
    const small = { lines: [{ sku: 'Q-B', quantity: 1 }], couponCodes: [coupons['Q-30']] };
    expect((await quote(small)).json<OrderQuote>().points).toMatchObject({ maxPoints: 69, maxAmount: 6900 });
    const moreThanDue = await quote({ ...small, pointsToRedeem: 70 });
    expect(moreThanDue.statusCode).toBe(400);
    expect(moreThanDue.json().code).toBe('ORDER.POINTS_EXCEED_PAYABLE');
    expect((await quote({ ...small, pointsToRedeem: 69 })).json<OrderQuote>().payableAmount).toBe(0);
    await t.request({ method: 'PUT', url: '/v1/loyalty/rules', body: { redeemPointsPerYuan: 100 } });
    const badSku = await quote({ lines: [{ sku: 'NOPE', quantity: 1 }] });
    expect(badSku.statusCode).toBe(404);
  });

  it('is the customer’s own: another member’s basket is forbidden; store staff see codes masked', async () => {
    const other = await quote({ memberId: 'mem_someone_else' });
    expect(other.statusCode).toBe(403);
    const pos = await quote({ channel: 'pos' });
    expect(pos.statusCode).toBe(403);
    const atTill = await quote({ channel: 'pos', storeCode: 'SH01', memberId }, guideOf('SH01'));
    expect(atTill.statusCode, atTill.body).toBe(200);
    const codes = atTill.json<OrderQuote>().coupons.map((o) => o.coupon.code);
    expect(codes.length).toBe(5);
    for (const code of codes) expect(code).toContain('•');
    // At SH01 the store-only coupon applies and comes first.
    expect(atTill.json().coupons[0]).toMatchObject({ applicable: true, amount: 9000 });
    const guest = await quote({ channel: 'online' }, 'admin');
    expect(guest.json()).toMatchObject({ coupons: [], points: null, payableAmount: 30_000 });
  });

  it('at the till, her member code names her and lets the cashier use her coupons; an old code is refused', async () => {
    const { code } = (
      await t.request({ method: 'POST', url: `/v1/members/${memberId}/code`, as: customer })
    ).json();
    const atTill = await quote({ channel: 'pos', storeCode: 'SH01', memberCode: code }, guideOf('SH01'));
    expect(atTill.statusCode, atTill.body).toBe(200);
    const best = atTill.json<OrderQuote>().coupons[0]!;
    expect(best.coupon.code).toBe(coupons['Q-STORE']);
    const chosen = await quote(
      { channel: 'pos', storeCode: 'SH01', memberCode: code, couponCodes: [best.coupon.code] },
      guideOf('SH01'),
    );
    expect(chosen.json<OrderQuote>().payableAmount).toBe(30_000 - 9000);
    const clash = await quote(
      { channel: 'pos', storeCode: 'SH01', memberCode: code, memberId: 'mem_x' },
      guideOf('SH01'),
    );
    expect(clash.statusCode).toBe(400);
    expect(clash.json().errors[0].path).toBe('memberCode');
    const forged = await quote(
      { channel: 'pos', storeCode: 'SH01', memberCode: '800000000100000000' },
      guideOf('SH01'),
    );
    expect(forged.json()).toMatchObject({ code: 'MEMBER.CODE_INVALID' });
  });
});
