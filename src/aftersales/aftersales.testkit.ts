import { afterAll, beforeAll, expect } from 'vitest';
import { managerOf, startTestApp, type TestApp } from '../../test/helpers/app.js';
import { createNetwork, setStock } from '../../test/helpers/inventory.js';
import type { Principal } from '../platform/index.js';

// The setup the returns, receiving, refunds, exchanges and return views tests share: orders placed, paid through
// the simulated provider and delivered, then returned in another channel and place than they were sold.

/** The test app of the running test file (set before its tests run). */
export let t: TestApp;

export const SHANGHAI = { city: '上海', lat: 31.2304, lng: 121.4737 };

/**
 * A fresh test app per test file with the returns network: a warehouse and two stores in Shanghai, four SKUs in
 * stock. Call once at the top of a test file; `t` is the app while its tests run.
 */
export function setUpReturnsNetwork(): void {
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
}

type As = Principal | 'admin';

export async function order(id: string) {
  return (await t.request({ method: 'GET', url: `/v1/orders/${id}` })).json();
}

export async function pay(id: string) {
  const o = await order(id);
  const res = await t.request({
    method: 'POST',
    url: `/v1/orders/${id}/payments`,
    body: { provider: 'simulated', amount: o.payableAmount - o.paidAmount },
  });
  expect(res.statusCode, res.body).toBe(201);
}

export async function until(id: string, status: string) {
  await expect.poll(async () => (await order(id)).status, { timeout: 10_000, interval: 100 }).toBe(status);
  return order(id);
}

/** Pays an order and has every group shipped and delivered: the order is completed. */
export async function payAndDeliver(id: string) {
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

export async function member(phone: string): Promise<string> {
  const res = await t.request({
    method: 'POST',
    url: '/v1/identify',
    body: { identifiers: [{ type: 'phone', value: phone, verified: true }], channel: 'online' },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().memberId;
}

export const customer = (memberId: string): Principal => ({
  role: 'customer',
  subject: memberId,
  memberId,
  storeCode: null,
});

/** An online order delivered from the warehouse, completed. */
export async function deliveredOnlineOrder(
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

export async function level(sku: string, location: string) {
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

export async function returnOf(id: string) {
  return (await t.request({ method: 'GET', url: `/v1/returns/${id}` })).json();
}

export async function refundsOf(
  orderId: string,
): Promise<{ amount: number; reference: string; status: string }[]> {
  return (await t.request({ method: 'GET', url: `/v1/refunds?orderId=${orderId}` })).json().items;
}

export function storeReturn(
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
