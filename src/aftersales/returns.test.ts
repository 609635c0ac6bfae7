import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guideOf, managerOf, startTestApp, TEST_SECRET, type TestApp } from '../../test/helpers/app.js';
import { createNetwork, expectInventoryInvariants, setStock } from '../../test/helpers/inventory.js';
import { redeemCouponsForOrder } from '../loyalty/index.js';
import { ordersDeps, placeOrder } from '../orders/index.js';
import type { Principal } from '../platform/index.js';

// After-sales end to end over HTTP: orders placed, paid through the simulated provider and delivered, then
// returned in another channel and place than they were sold, refunded through the provider, exchanged.

let t: TestApp;

const SHANGHAI = { city: '上海', lat: 31.2304, lng: 121.4737 };

beforeAll(async () => {
  t = await startTestApp();
  await createNetwork(
    t,
    [
      { code: 'R-WH', kind: 'warehouse', city: '上海', lat: 31.15, lng: 121.12, priorityTier: 1 },
      {
        code: 'R-S1',
        kind: 'store',
        city: '上海',
        lat: 31.2235,
        lng: 121.4453,
        capabilities: { pickup: true },
      },
      {
        code: 'R-S2',
        kind: 'store',
        city: '上海',
        lat: 31.1946,
        lng: 121.4366,
        capabilities: { pickup: true },
      },
    ],
    [
      { code: 'R-A', price: 32_000 },
      { code: 'R-B', price: 45_000 },
      { code: 'R-C', price: 9_900 },
      { code: 'R-D', price: 12_000 },
    ],
  );
  for (const sku of ['R-A', 'R-B', 'R-C', 'R-D']) await setStock(t, sku, 'R-WH', 100);
  for (const sku of ['R-A', 'R-B', 'R-C']) await setStock(t, sku, 'R-S1', 10);
});
afterAll(() => t.close());

type As = Principal | 'admin';

async function order(id: string) {
  return (await t.request({ method: 'GET', url: `/v1/orders/${id}` })).json();
}

async function pay(id: string) {
  const o = await order(id);
  const res = await t.request({
    method: 'POST',
    url: `/v1/orders/${id}/payments`,
    body: { provider: 'simulated', amount: o.payableAmount - o.paidAmount },
  });
  expect(res.statusCode, res.body).toBe(201);
}

async function until(id: string, status: string) {
  await expect.poll(async () => (await order(id)).status, { timeout: 10_000, interval: 100 }).toBe(status);
  return order(id);
}

/** Pays an order and has every group shipped and delivered: the order is completed. */
async function payAndDeliver(id: string) {
  await pay(id);
  const paid = await until(id, 'fulfilling');
  for (const f of paid.fulfillments) {
    if (f.status === 'pending') await t.request({ method: 'POST', url: `/v1/fulfillments/${f.id}/accept` });
    expect(
      (
        await t.request({
          method: 'POST',
          url: `/v1/fulfillments/${f.id}/ship`,
          body: { carrier: 'SF', trackingNumber: `SF${f.id}` },
        })
      ).statusCode,
    ).toBe(200);
    expect((await t.request({ method: 'POST', url: `/v1/fulfillments/${f.id}/deliver` })).statusCode).toBe(
      200,
    );
  }
  return until(id, 'completed');
}

async function member(phone: string): Promise<string> {
  const res = await t.request({
    method: 'POST',
    url: '/v1/identify',
    body: { identifiers: [{ type: 'phone', value: phone, verified: true }], channel: 'online' },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().memberId;
}

const customer = (memberId: string): Principal => ({
  role: 'customer',
  subject: memberId,
  memberId,
  storeCode: null,
});

/** An online order delivered from the warehouse, completed. */
async function deliveredOnlineOrder(
  lines: { sku: string; quantity: number }[],
  memberId?: string,
  as: As = 'admin',
) {
  const res = await t.request({
    method: 'POST',
    url: '/v1/orders',
    as,
    body: {
      channel: 'online',
      ...(memberId && as === 'admin' ? { memberId } : {}),
      lines,
      fulfillment: { type: 'delivery', address: SHANGHAI },
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return payAndDeliver(res.json().id);
}

async function level(sku: string, location: string) {
  const stock = (await t.request({ method: 'GET', url: `/v1/inventory/${sku}` })).json();
  return (
    stock.levels.find((l: { location: string }) => l.location === location) ?? {
      onHand: 0,
      reserved: 0,
      available: 0,
      quarantined: 0,
    }
  );
}

async function returnOf(id: string) {
  return (await t.request({ method: 'GET', url: `/v1/returns/${id}` })).json();
}

async function refundsOf(orderId: string): Promise<{ amount: number; reference: string; status: string }[]> {
  return (await t.request({ method: 'GET', url: `/v1/refunds?orderId=${orderId}` })).json().items;
}

function storeReturn(
  orderId: string,
  store: string,
  lines: { sku: string; quantity: number }[],
  extra: object = {},
  as: As = managerOf(store),
  headers?: Record<string, string>,
) {
  return t.request({
    method: 'POST',
    url: '/v1/returns',
    as,
    headers,
    body: {
      orderId,
      lines,
      channel: 'pos',
      location: store,
      reason: 'changed mind',
      condition: 'resellable',
      ...extra,
    },
  });
}

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

describe('refunds at the provider', () => {
  it('a refund the provider declines is retried and shown as failed until it succeeds', async () => {
    const o = await deliveredOnlineOrder([{ sku: 'R-C', quantity: 1 }]);
    const res = await storeReturn(o.id, 'R-S1', [{ sku: 'R-C', quantity: 1 }], {
      reason: 'allergy [fail:2]',
    });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().id;
    await expect
      .poll(async () => (await returnOf(id)).refundStatus, { timeout: 8000, interval: 50 })
      .toBe('failed');
    const failed = await returnOf(id);
    expect(failed).toMatchObject({
      status: 'received',
      refundAttempts: expect.any(Number),
      refundLastError: expect.any(String),
    });
    expect(failed.refundAttempts).toBeGreaterThanOrEqual(1);
    const board = (
      await t.request({ method: 'GET', url: '/v1/returns?refundStatus=failed', as: managerOf('R-S1') })
    ).json().items;
    expect(board.map((r: { id: string }) => r.id)).toContain(id);

    await expect
      .poll(async () => (await returnOf(id)).refundStatus, { timeout: 15_000, interval: 100 })
      .toBe('succeeded');
    expect(await returnOf(id)).toMatchObject({
      status: 'refunded',
      refundAttempts: 3,
      refundLastError: null,
    });
    const refunds = await refundsOf(o.id);
    expect(refunds).toEqual([expect.objectContaining({ amount: o.paidAmount, status: 'succeeded' })]);
    const messages = (await order(o.id)).timeline
      .filter((e: { kind: string }) => e.kind === 'refund')
      .map((e: { message: string }) => e.message);
    expect(messages.filter((m: string) => /declined/.test(m))).toHaveLength(2);
    expect(messages.some((m: string) => /confirmed by the provider/.test(m))).toBe(true);
  });

  it('the same return retried makes one return and one refund (Idempotency-Key, or clientRequestId without one)', async () => {
    const o = await deliveredOnlineOrder([{ sku: 'R-C', quantity: 2 }]);
    const headers = { 'idempotency-key': `return-${o.id}` };
    const first = await storeReturn(
      o.id,
      'R-S1',
      [{ sku: 'R-C', quantity: 1 }],
      {},
      managerOf('R-S1'),
      headers,
    );
    const second = await storeReturn(
      o.id,
      'R-S1',
      [{ sku: 'R-C', quantity: 1 }],
      {},
      managerOf('R-S1'),
      headers,
    );
    expect(first.statusCode, first.body).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json().id).toBe(first.json().id);

    const body = { clientRequestId: 'till-7-0001' };
    const tap1 = await storeReturn(o.id, 'R-S1', [{ sku: 'R-C', quantity: 1 }], body);
    const tap2 = await storeReturn(o.id, 'R-S1', [{ sku: 'R-C', quantity: 1 }], body);
    expect(tap1.statusCode, tap1.body).toBe(201);
    expect(tap2.json().id).toBe(tap1.json().id);

    const returns = (await t.request({ method: 'GET', url: `/v1/returns?orderId=${o.id}` })).json().items;
    expect(returns).toHaveLength(2);
    await expect.poll(async () => (await refundsOf(o.id)).length, { timeout: 5000 }).toBe(2);
    await new Promise((r) => setTimeout(r, 300));
    const refunds = await refundsOf(o.id);
    expect(refunds.map((r) => r.reference).sort()).toEqual([first.json().id, tap1.json().id].sort());
    expect(refunds.reduce((s, r) => s + r.amount, 0)).toBe(o.paidAmount);
  });
});

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
