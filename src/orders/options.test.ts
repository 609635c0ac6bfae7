import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { createNetwork, setStock } from '../../test/helpers/inventory.js';
import type { Principal } from '../platform/index.js';
import type { FulfillmentOptions } from './options.contract.js';

// The checkout asks sourcing what it can offer before she chooses: pickup at a store from its own shelf or after
// a transfer (ready by when), delivery, same-day where a store covers her — each as placing the order would plan
// it, with the reason when it cannot; nothing reserved.

let t: TestApp;
const customer: Principal = { role: 'customer', subject: 'mem_x', memberId: 'mem_x', storeCode: null };
const HOME = { city: '上海', lat: 31.2235, lng: 121.4452 };

beforeAll(async () => {
  t = await startTestApp();
  await createNetwork(
    t,
    [
      { code: 'O-WH', kind: 'warehouse', city: '上海', lat: 31.15, lng: 121.12, priorityTier: 1 },
      {
        code: 'O-NEAR',
        kind: 'store',
        ...HOME,
        capabilities: { pickup: true, shipFromStore: true, sameDayRadiusKm: 10 },
      },
      { code: 'O-FAR', kind: 'store', city: '北京', lat: 39.9, lng: 116.4, capabilities: { pickup: true } },
    ],
    [
      { code: 'O-LIP', price: 30000 },
      { code: 'O-RARE', price: 50000 },
    ],
  );
  await setStock(t, 'O-LIP', 'O-NEAR', 5);
  await setStock(t, 'O-LIP', 'O-WH', 50);
  await setStock(t, 'O-RARE', 'O-WH', 1);
});
afterAll(() => t.close());

const options = async (body: object, as: Principal | 'admin' = customer) => {
  const res = await t.request({ method: 'POST', url: '/v1/orders/fulfillment-options', as, body });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as FulfillmentOptions).items;
};

describe('fulfillment options at checkout', () => {
  it('offers pickup from the shelf, delivery and same-day near her, nearest stores first', async () => {
    const items = await options({
      channel: 'mini_program',
      lines: [{ sku: 'O-LIP', quantity: 2 }],
      position: HOME,
    });
    expect(items.map((i) => [i.type, i.store, i.available])).toEqual([
      ['pickup', 'O-NEAR', true],
      ['pickup', 'O-FAR', true],
      ['delivery', null, true],
      ['same_day', null, true],
    ]);
    expect(items[0]!.groups).toEqual([
      expect.objectContaining({ location: 'O-NEAR', type: 'pickup', transfers: 0 }),
    ]);
    // O-FAR has none on its shelf: the warehouse sends them first, and the group says when they should be there.
    expect(items[1]!.groups[0]).toMatchObject({ location: 'O-FAR', transfers: 1 });
    expect(items[1]!.groups[0]!.readyBy).not.toBeNull();
    expect(items[3]!.groups[0]).toMatchObject({ location: 'O-NEAR', type: 'same_day' });
    expect(items[0]!.bookable).toBeNull();
    expect(items[2]!.bookable!.from < items[2]!.bookable!.to).toBe(true);
    expect(items[3]!.bookable!.from < items[2]!.bookable!.from).toBe(true);
    const stock = await t.request({ method: 'GET', url: '/v1/inventory/O-LIP' });
    expect(stock.json().levels.every((l: { reserved: number }) => l.reserved === 0)).toBe(true);
  });

  it('says why a way cannot be offered', async () => {
    const far = { city: '北京', lat: 39.95, lng: 116.45 };
    const items = await options({
      channel: 'mini_program',
      lines: [{ sku: 'O-RARE', quantity: 2 }],
      position: far,
      stores: ['O-NEAR'],
    });
    expect(items.map((i) => [i.type, i.available, i.reason])).toEqual([
      ['pickup', false, 'INSUFFICIENT_STOCK'],
      ['delivery', false, 'INSUFFICIENT_STOCK'],
      ['same_day', false, 'OUTSIDE_SAME_DAY_RADIUS'],
    ]);
  });

  it('refuses an unknown store, and a SKU off sale', async () => {
    const unknown = await t.request({
      method: 'POST',
      url: '/v1/orders/fulfillment-options',
      as: customer,
      body: { channel: 'online', lines: [{ sku: 'O-LIP', quantity: 1 }], stores: ['NOWHERE'] },
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'LOCATION.NOT_FOUND', location: 'NOWHERE' });
    const missing = await t.request({
      method: 'POST',
      url: '/v1/orders/fulfillment-options',
      as: customer,
      body: { channel: 'online', lines: [{ sku: 'NO-SUCH', quantity: 1 }] },
    });
    expect(missing.statusCode).toBe(404);
  });
});
