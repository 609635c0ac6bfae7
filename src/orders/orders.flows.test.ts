import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_TOKEN,
  channelOf,
  guideOf,
  managerOf,
  startTestApp,
  type TestApp,
} from '../../test/helpers/app.js';
import { createNetwork, expectInventoryInvariants, setStock } from '../../test/helpers/inventory.js';

// The order hub end to end over HTTP: every channel's order, sourced, paid through the simulated provider's
// signed notification, fulfilled by warehouses and stores.

let t: TestApp;

const SHANGHAI = { city: '上海', lat: 31.2304, lng: 121.4737 };
const NETWORK = [
  { code: 'O-WH', kind: 'warehouse' as const, city: '上海', lat: 31.15, lng: 121.12, priorityTier: 1 },
  {
    code: 'O-S1',
    kind: 'store' as const,
    city: '上海',
    lat: 31.2235,
    lng: 121.4453,
    capabilities: { pickup: true, shipFromStore: true, sameDayRadiusKm: 10 },
  },
  {
    code: 'O-S2',
    kind: 'store' as const,
    city: '上海',
    lat: 31.1946,
    lng: 121.4366,
    capabilities: { pickup: true },
  },
  {
    code: 'O-S3',
    kind: 'store' as const,
    city: '北京',
    lat: 39.9334,
    lng: 116.4551,
    capabilities: { pickup: true, shipFromStore: true },
  },
];

beforeAll(async () => {
  t = await startTestApp();
  await createNetwork(t, NETWORK, [
    { code: 'O-A', price: 32000 },
    { code: 'O-B', price: 45000 },
    { code: 'O-C', price: 9900 },
    { code: 'O-D', price: 12000 },
    { code: 'O-HOT', price: 100 },
  ]);
  await setStock(t, 'O-A', 'O-WH', 50);
  await setStock(t, 'O-B', 'O-WH', 50);
  await setStock(t, 'O-A', 'O-S1', 5);
  await setStock(t, 'O-C', 'O-S1', 5);
  await setStock(t, 'O-A', 'O-S2', 5);
  await setStock(t, 'O-D', 'O-S1', 3);
  await setStock(t, 'O-D', 'O-S3', 3);
});
afterAll(() => t.close());

async function place(body: object, as: Parameters<TestApp['request']>[0]['as'] = 'admin') {
  return t.request({ method: 'POST', url: '/v1/orders', body, as });
}

async function order(id: string) {
  return (await t.request({ method: 'GET', url: `/v1/orders/${id}` })).json();
}

async function pay(id: string, simulate: 'approve' | 'decline' = 'approve') {
  const o = await order(id);
  const res = await t.request({
    method: 'POST',
    url: `/v1/orders/${id}/payments`,
    body: { provider: 'simulated', amount: o.payableAmount - o.paidAmount, simulate },
  });
  expect(res.statusCode, res.body).toBe(201);
  expect(res.json()).toMatchObject({ status: 'pending' });
  return res.json();
}

async function until(id: string, status: string) {
  await expect.poll(async () => (await order(id)).status, { timeout: 8000, interval: 100 }).toBe(status);
  return order(id);
}

async function level(sku: string, location: string) {
  const stock = (await t.request({ method: 'GET', url: `/v1/inventory/${sku}` })).json();
  return stock.levels.find((l: { location: string }) => l.location === location);
}

describe('placing orders', () => {
  it('prices from the catalog, plans, reserves and answers per the contract', async () => {
    const res = await place({
      channel: 'online',
      lines: [{ sku: 'O-A', quantity: 2 }],
      fulfillment: {
        type: 'delivery',
        address: { ...SHANGHAI, name: '王小明', phone: '13812345678', line1: '南京西路 1 号' },
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const o = res.json();
    expect(o).toMatchObject({
      status: 'pending_payment',
      lines: [{ sku: 'O-A', quantity: 2, unitPrice: 32000, discountAmount: 0, paidAmount: 64000 }],
      totalAmount: 64000,
      discountAmount: 0,
      payableAmount: 64000,
      expiresAt: expect.any(String),
      fulfillmentPlan: {
        groups: [{ location: 'O-WH', type: 'ship', lines: [{ sku: 'O-A', quantity: 2 }] }],
        explanation: expect.any(Array),
      },
    });
    expect(
      o.fulfillmentPlan.explanation.find((e: { location: string }) => e.location === 'O-WH').decision,
    ).toBe('chosen');
    expect(await level('O-A', 'O-WH')).toMatchObject({ reserved: 2 });
    // The recipient's phone is stored encrypted and shown whole only to those who may see it.
    const asGuide = await t.request({ method: 'GET', url: `/v1/orders/${o.id}`, as: guideOf('O-S3') });
    expect(asGuide.statusCode).toBe(403);
    expect(o.fulfillment.address.phone).toBe('13812345678');
  });

  it('names bad fields, unknown SKUs and what cannot be sourced', async () => {
    const bad = await place({
      channel: 'tmall',
      lines: [{ sku: 'O-A', quantity: 0 }],
      fulfillment: { type: 'delivery' },
    });
    expect(bad.statusCode).toBe(400);
    const paths = bad.json().errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['channel', 'lines[0].quantity', 'fulfillment.address']));
    const unknown = await place({
      channel: 'online',
      lines: [{ sku: 'NOPE', quantity: 1 }],
      fulfillment: { type: 'delivery', address: SHANGHAI },
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('CATALOG.SKU_NOT_FOUND');
    const none = await place({
      channel: 'online',
      lines: [{ sku: 'O-C', quantity: 50 }],
      fulfillment: { type: 'delivery', address: SHANGHAI },
    });
    expect(none.statusCode).toBe(409);
    expect(none.json().code).toBe('FULFILLMENT.NO_SOURCE');
  });

  it('is idempotent by the channel’s order number', async () => {
    const body = {
      channel: 'pos',
      externalId: 'POS-S1-0001',
      storeCode: 'O-S1',
      lines: [{ sku: 'O-C', quantity: 1 }],
      fulfillment: { type: 'carry_out' },
    };
    const first = await place(body, managerOf('O-S1'));
    expect(first.statusCode, first.body).toBe(201);
    const again = await place(body, managerOf('O-S1'));
    expect(again.json().id).toBe(first.json().id);
    const other = await place({ ...body, lines: [{ sku: 'O-C', quantity: 2 }] }, managerOf('O-S1'));
    expect(other.statusCode).toBe(409);
    expect(other.json().code).toBe('ORDER.EXTERNAL_ID_CONFLICT');
    expect(await level('O-C', 'O-S1')).toMatchObject({ reserved: 1 });
  });

  it('keeps store staff to their own store', async () => {
    const res = await place(
      {
        channel: 'pos',
        storeCode: 'O-S1',
        lines: [{ sku: 'O-C', quantity: 1 }],
        fulfillment: { type: 'carry_out' },
      },
      guideOf('O-S2'),
    );
    expect(res.statusCode).toBe(403);
  });
});

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

  it('a declined payment leaves the order payable', async () => {
    const o = (
      await place({
        channel: 'mini_program',
        lines: [{ sku: 'O-A', quantity: 1 }],
        fulfillment: { type: 'delivery', address: SHANGHAI },
      })
    ).json();
    await pay(o.id, 'decline');
    await expect
      .poll(
        async () => (await order(o.id)).timeline.some((e: { message: string }) => /declined/.test(e.message)),
        { timeout: 8000 },
      )
      .toBe(true);
    expect((await order(o.id)).status).toBe('pending_payment');
    await pay(o.id);
    await until(o.id, 'fulfilling');
    const payments = (await order(o.id)).payments.map((p: { status: string }) => p.status);
    expect(payments).toEqual(['failed', 'succeeded']);
  });

  it('refuses a forged notification and changes nothing', async () => {
    const o = (
      await place({
        channel: 'online',
        lines: [{ sku: 'O-A', quantity: 1 }],
        fulfillment: { type: 'delivery', address: SHANGHAI },
      })
    ).json();
    const payment = await pay(o.id, 'decline');
    const forged = await t.runtime.app.inject({
      method: 'POST',
      url: '/v1/payments/simulated/notify',
      headers: {
        'content-type': 'application/json',
        'x-omniloop-signature': 'deadbeef',
        'x-omniloop-timestamp': String(Math.floor(Date.now() / 1000)),
      },
      payload: { type: 'payment', paymentId: payment.id, status: 'succeeded', amount: o.payableAmount },
    });
    expect(forged.statusCode).toBe(401);
    await new Promise((r) => setTimeout(r, 800));
    expect((await order(o.id)).status).toBe('pending_payment');
  });

  it('an unpaid order cancels itself at expiresAt and frees its stock', async () => {
    const before = await level('O-A', 'O-S2');
    const o = (
      await place({
        channel: 'online',
        lines: [{ sku: 'O-A', quantity: 2 }],
        fulfillment: { type: 'pickup', store: 'O-S2' },
        holdSeconds: 1,
      })
    ).json();
    expect(await level('O-A', 'O-S2')).toMatchObject({ reserved: before.reserved + 2 });
    const cancelled = await until(o.id, 'cancelled');
    expect(cancelled.cancelReason).toMatch(/not paid/);
    expect(cancelled.timeline.at(-1)).toMatchObject({
      code: 'order.cancelled',
      params: { reason: 'not paid in time', reasonCode: 'NOT_PAID_IN_TIME' },
      message: 'Cancelled: not paid in time',
    });
    expect(await level('O-A', 'O-S2')).toMatchObject({ reserved: before.reserved });
  });
});

describe('pickup in store (BOPIS)', () => {
  it('ready → wrong code refused → right code → picked up, on hand down at that store', async () => {
    const o = (
      await place(
        {
          channel: 'mini_program',
          lines: [{ sku: 'O-A', quantity: 1 }],
          fulfillment: { type: 'pickup', store: 'O-S1' },
        },
        channelOf('mini_program'),
      )
    ).json();
    expect(o.fulfillmentPlan.groups).toEqual([expect.objectContaining({ location: 'O-S1', type: 'pickup' })]);
    await pay(o.id);
    await until(o.id, 'paid');
    const fid = (await order(o.id)).fulfillments[0].id;
    const tasks = (
      await t.request({ method: 'GET', url: '/v1/fulfillments?status=pending', as: managerOf('O-S1') })
    ).json().items;
    expect(tasks.map((x: { id: string }) => x.id)).toContain(fid);
    const ready = await t.request({
      method: 'POST',
      url: `/v1/fulfillments/${fid}/ready`,
      as: managerOf('O-S1'),
    });
    expect(ready.statusCode, ready.body).toBe(200);
    expect(ready.json().pickupCode).toBeUndefined();
    const code = (await order(o.id)).fulfillments[0].pickupCode;
    expect(code).toMatch(/^\d{6}$/);
    const wrong = await t.request({
      method: 'POST',
      url: '/v1/pickups/verify',
      as: managerOf('O-S1'),
      body: { store: 'O-S1', code: code === '000000' ? '000001' : '000000' },
    });
    expect(wrong.statusCode).toBe(409);
    expect(wrong.json().code).toBe('PICKUP.CODE_INVALID');
    const elsewhere = await t.request({
      method: 'POST',
      url: '/v1/pickups/verify',
      as: managerOf('O-S2'),
      body: { store: 'O-S2', code },
    });
    expect(elsewhere.json().code).toBe('PICKUP.CODE_INVALID');
    const onHand = (await level('O-A', 'O-S1')).onHand;
    const right = await t.request({
      method: 'POST',
      url: '/v1/pickups/verify',
      as: managerOf('O-S1'),
      body: { store: 'O-S1', code },
    });
    expect(right.json().status).toBe('picked_up');
    expect((await order(o.id)).status).toBe('completed');
    expect((await level('O-A', 'O-S1')).onHand).toBe(onHand - 1);
  });

  it('a store that lacks a line gets it by transfer, then the pickup proceeds', async () => {
    const o = (
      await place({
        channel: 'online',
        lines: [
          { sku: 'O-A', quantity: 1 },
          { sku: 'O-B', quantity: 1 },
        ],
        fulfillment: { type: 'pickup', store: 'O-S2' },
      })
    ).json();
    const group = o.fulfillmentPlan.groups[0];
    expect(group).toMatchObject({
      location: 'O-S2',
      type: 'pickup',
      transfers: [{ from: 'O-WH', sku: 'O-B', quantity: 1 }],
      readyBy: expect.any(String),
    });
    await pay(o.id);
    await expect
      .poll(async () => (await order(o.id)).fulfillments[0].status, { timeout: 8000 })
      .toBe('awaiting_transfer');
    const transferId = (await order(o.id)).fulfillments[0].transfers[0].transferId;
    await t.request({ method: 'POST', url: `/v1/transfers/${transferId}/ship` });
    await t.request({ method: 'POST', url: `/v1/transfers/${transferId}/receive`, as: managerOf('O-S2') });
    await expect
      .poll(async () => (await order(o.id)).fulfillments[0].status, { timeout: 8000 })
      .toBe('accepted');
    const fid = (await order(o.id)).fulfillments[0].id;
    await t.request({ method: 'POST', url: `/v1/fulfillments/${fid}/ready`, as: managerOf('O-S2') });
    const code = (await order(o.id)).fulfillments[0].pickupCode;
    const picked = await t.request({
      method: 'POST',
      url: '/v1/pickups/verify',
      as: guideOf('O-S2'),
      body: { store: 'O-S2', code },
    });
    expect(picked.statusCode, picked.body).toBe(200);
    expect((await order(o.id)).status).toBe('completed');
    expect(await level('O-B', 'O-S2')).toMatchObject({ onHand: 0, reserved: 0 });
  });

  it('an uncollected pickup is cancelled at its deadline, refunded and its stock freed', async () => {
    const o = (
      await place({
        channel: 'online',
        lines: [{ sku: 'O-C', quantity: 1 }],
        fulfillment: { type: 'pickup', store: 'O-S1' },
      })
    ).json();
    await pay(o.id);
    await until(o.id, 'paid');
    const fid = (await order(o.id)).fulfillments[0].id;
    await t.request({ method: 'POST', url: `/v1/fulfillments/${fid}/ready`, as: managerOf('O-S1') });
    const reserved = (await level('O-C', 'O-S1')).reserved;
    // Three days pass: the deadline job comes due.
    await t.runtime.database.db
      .updateTable('jobs')
      .set({ run_at: new Date().toISOString() })
      .where('key', '=', `fulfillment.pickup_deadline:${fid}`)
      .execute();
    const cancelled = await until(o.id, 'cancelled');
    expect(cancelled.cancelReason).toMatch(/not collected/);
    expect((await level('O-C', 'O-S1')).reserved).toBe(reserved - 1);
    const refunds = (await t.request({ method: 'GET', url: `/v1/refunds?orderId=${o.id}` })).json().items;
    expect(refunds.reduce((s: number, r: { amount: number }) => s + r.amount, 0)).toBe(o.payableAmount);
  });
});

describe('a store’s work', () => {
  it('a store that rejects a ship-from-store task: the group is re-sourced to the next best location', async () => {
    // Only stores hold O-D: the Shanghai store is nearest, Beijing next.
    const o = (
      await place({
        channel: 'online',
        lines: [{ sku: 'O-D', quantity: 1 }],
        fulfillment: { type: 'delivery', address: SHANGHAI },
      })
    ).json();
    expect(o.fulfillmentPlan.groups[0].location).toBe('O-S1');
    await pay(o.id);
    await until(o.id, 'paid');
    const first = (await order(o.id)).fulfillments[0];
    const rejected = await t.request({
      method: 'POST',
      url: `/v1/fulfillments/${first.id}/reject`,
      as: managerOf('O-S1'),
      body: { reason: 'shade damaged' },
    });
    expect(rejected.statusCode, rejected.body).toBe(200);
    const after = await order(o.id);
    expect(
      after.fulfillments.map((f: { location: string; status: string }) => [f.location, f.status]),
    ).toEqual([
      ['O-S1', 'cancelled'],
      ['O-S3', 'pending'],
    ]);
    expect(await level('O-D', 'O-S1')).toMatchObject({ reserved: 0 });
    expect(await level('O-D', 'O-S3')).toMatchObject({ reserved: 1 });
    expect(after.timeline.find((e: { code: string }) => e.code === 'fulfillment.rejected')).toMatchObject({
      params: { location: 'O-S1', type: 'ship', reason: 'shade damaged', reasonCode: null },
      message: 'O-S1 did not take the ship group: shade damaged',
    });
    const next = after.fulfillments[1];
    // A store's tablet that sends its tap again gets the same answer, and nothing happens twice.
    const accept = () =>
      t.request({
        method: 'POST',
        url: `/v1/fulfillments/${next.id}/accept`,
        as: managerOf('O-S3'),
        headers: { 'idempotency-key': `accept-${next.id}` },
      });
    const accepted = await accept();
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json()).toMatchObject({ id: next.id, location: 'O-S3', status: 'accepted' });
    const again = await accept();
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(accepted.json());
    await t.request({
      method: 'POST',
      url: `/v1/fulfillments/${next.id}/ship`,
      as: managerOf('O-S3'),
      body: { trackingNumber: 'JD0001' },
    });
    await t.request({ method: 'POST', url: `/v1/fulfillments/${next.id}/deliver` });
    expect((await order(o.id)).status).toBe('completed');
  });

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

  it('cancels a paid order before it ships: stock freed, payment refunded', async () => {
    const o = (
      await place({
        channel: 'online',
        lines: [{ sku: 'O-A', quantity: 1 }],
        fulfillment: { type: 'delivery', address: SHANGHAI },
      })
    ).json();
    await pay(o.id);
    await until(o.id, 'fulfilling');
    const cancel = () =>
      t.request({
        method: 'POST',
        url: `/v1/orders/${o.id}/cancel`,
        body: { reason: 'customer changed mind' },
        headers: { 'idempotency-key': `cancel-${o.id}` },
      });
    const res = await cancel();
    expect(res.json().status).toBe('cancelled');
    expect(res.json().timeline.at(-2)).toMatchObject({
      code: 'order.cancelled',
      params: { reason: 'customer changed mind', reasonCode: null },
    });
    // The call sent again answers the same order, and refunds nothing twice.
    const again = await cancel();
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(res.json());
    const refunds = (await t.request({ method: 'GET', url: `/v1/refunds?orderId=${o.id}` })).json().items;
    expect(refunds).toEqual([expect.objectContaining({ amount: o.payableAmount })]);
  });
});

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

describe('never oversold', () => {
  it('500 concurrent orders for a SKU with 100 units: exactly 100 placed', async () => {
    await setStock(t, 'O-HOT', 'O-WH', 100);
    const base = await t.runtime.app.listen({ port: 0, host: '127.0.0.1' });
    const results = await Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        fetch(`${base}/v1/orders`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
          body: JSON.stringify({
            channel: 'live',
            externalId: `LIVE-${i}`,
            lines: [{ sku: 'O-HOT', quantity: 1 }],
            fulfillment: { type: 'delivery', address: SHANGHAI },
          }),
        }).then(async (r) => ({ status: r.status, code: ((await r.json()) as { code?: string }).code })),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(100);
    expect(
      results
        .filter((r) => r.status !== 201)
        .every(
          (r) =>
            r.status === 409 &&
            (r.code === 'FULFILLMENT.NO_SOURCE' || r.code === 'INVENTORY.INSUFFICIENT_STOCK'),
        ),
    ).toBe(true);
    expect(await level('O-HOT', 'O-WH')).toMatchObject({ onHand: 100, reserved: 100 });
    await expectInventoryInvariants(t);
  });
});
