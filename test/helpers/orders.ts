import { afterAll, beforeAll, expect } from 'vitest';
import { startTestApp, type TestApp } from './app.js';
import { createNetwork, setStock } from './inventory.js';

// The order hub end to end over HTTP: every channel's order, sourced, paid through the simulated provider's
// signed notification, fulfilled by warehouses and stores. The orders and fulfillment tests share this world:
// each test file that calls `setUpOrderWorld()` gets its own node and database with the same network and stock.

/** The node of the test file that called `setUpOrderWorld()`. */
export let t: TestApp;

export const SHANGHAI = { city: '上海', lat: 31.2304, lng: 121.4737 };
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

/** A node for this test file, with the network above, its SKUs and their opening stock. */
export function setUpOrderWorld(): void {
  beforeAll(async () => {
    t = await startTestApp();
    await createNetwork(t, NETWORK, [
      { code: 'O-A', price: 32000 },
      { code: 'O-B', price: 45000 },
      { code: 'O-C', price: 9900 },
      { code: 'O-D', price: 12000 },
      { code: 'O-HOT', price: 100 },
      { code: 'O-X1', price: 100 },
      { code: 'O-X2', price: 100 },
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
}

export async function place(body: object, as: Parameters<TestApp['request']>[0]['as'] = 'admin') {
  return t.request({ method: 'POST', url: '/v1/orders', body, as });
}

export async function order(id: string) {
  return (await t.request({ method: 'GET', url: `/v1/orders/${id}` })).json();
}

export async function pay(id: string, simulate: 'approve' | 'decline' = 'approve') {
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

export async function until(id: string, status: string) {
  await expect.poll(async () => (await order(id)).status, { timeout: 8000, interval: 100 }).toBe(status);
  return order(id);
}

export async function level(sku: string, location: string) {
  const stock = (await t.request({ method: 'GET', url: `/v1/inventory/${sku}` })).json();
  return stock.levels.find((l: { location: string }) => l.location === location);
}
