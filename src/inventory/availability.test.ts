import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { createNetwork, expectInventoryInvariants, setStock } from '../../test/helpers/inventory.js';
import { NETWORK, SKUS } from './inventory.testkit.js';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
  await createNetwork(t, NETWORK, SKUS);
  // The SKU-2 stock these tests were written against, which other tests used to leave behind when they all
  // shared one database: 40 received at the warehouse, 3 at ST-A, 3 at ST-C of which 2 are safety stock.
  await setStock(t, 'SKU-2', 'WH-T', 40);
  await setStock(t, 'SKU-2', 'ST-A', 3);
  await setStock(t, 'SKU-2', 'ST-C', 3, 2);
});
afterAll(() => t.close());

describe('nearby stores and channel stock', () => {
  it('lists stores with stock nearest a point, stores only', async () => {
    await setStock(t, 'SKU-2', 'ST-B', 2);
    await setStock(t, 'SKU-2', 'ST-BJ', 9);
    const near = await t.request({
      method: 'GET',
      url: '/v1/inventory/SKU-2/nearby?lat=31.2235&lng=121.4453&radiusKm=30',
    });
    const items = near.json().items;
    // ST-A is at the point, ST-B ~3 km, ST-C ~7 km with 1 left above its safety stock; the warehouse is no
    // store and Beijing is out of range.
    expect(items.map((i: { location: string; available: number }) => [i.location, i.available])).toEqual([
      ['ST-A', 3],
      ['ST-B', 2],
      ['ST-C', 1],
    ]);
    expect(items[0].distanceKm).toBeLessThan(0.01);
    expect(items[1].distanceKm).toBeGreaterThan(2);
    expect(items[1].distanceKm).toBeLessThan(5);
  });

  it('gives the marketplace only the warehouses, by default', async () => {
    const all = (await t.request({ method: 'GET', url: '/v1/inventory/SKU-2' })).json();
    const marketplace = (
      await t.request({ method: 'GET', url: '/v1/inventory/SKU-2?channel=marketplace' })
    ).json();
    const warehouse = all.levels.find((l: { location: string }) => l.location === 'WH-T').available;
    expect(marketplace.available).toBe(warehouse);
    expect(all.available).toBeGreaterThan(warehouse);
    const put = await t.request({
      method: 'PUT',
      url: '/v1/channels/online/stock-policy',
      body: { locationKinds: ['store'], extraSafetyStock: 1 },
    });
    expect(put.statusCode).toBe(200);
    const policies = (await t.request({ method: 'GET', url: '/v1/channels/stock-policies' })).json().items;
    expect(policies.find((p: { channel: string }) => p.channel === 'online')).toMatchObject({
      locationKinds: ['store'],
      extraSafetyStock: 1,
    });
    expect(policies.length).toBeGreaterThan(1);
    const online = (await t.request({ method: 'GET', url: '/v1/inventory/SKU-2?channel=online' })).json();
    const stores = all.levels.filter((l: { location: string }) => l.location.startsWith('ST-'));
    expect(online.available).toBe(
      stores.reduce((s: number, l: { available: number }) => s + Math.max(0, l.available - 1), 0),
    );
  });
});

describe('invariants', () => {
  it('hold after everything above', async () => {
    await expectInventoryInvariants(t);
  });
});
