import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { createNetwork, setStock } from '../../test/helpers/inventory.js';
import { localDay } from '../platform/index.js';

// A delivery booked for a day (预约送达): a parcel from tomorrow, same-day from today, two weeks ahead at most, in
// the brand's calendar; a pickup or a till sale is not booked for a day.

let t: TestApp;
const HOME = { city: '上海', lat: 31.2235, lng: 121.4452, line1: '南京西路 1 号' };
const dayAfter = (n: number) =>
  new Date(Date.parse(`${localDay(new Date(), 'Asia/Shanghai')}T00:00:00Z`) + n * 86_400_000)
    .toISOString()
    .slice(0, 10);

beforeAll(async () => {
  t = await startTestApp();
  await createNetwork(
    t,
    [
      {
        code: 'SCH-S',
        kind: 'store',
        city: '上海',
        lat: 31.2235,
        lng: 121.4452,
        capabilities: { pickup: true, shipFromStore: true, sameDayRadiusKm: 10 },
      },
    ],
    [{ code: 'SCH-LIP', price: 30000 }],
  );
  await setStock(t, 'SCH-LIP', 'SCH-S', 50);
});
afterAll(() => t.close());

const order = (fulfillment: object) =>
  t.request({
    method: 'POST',
    url: '/v1/orders',
    body: { channel: 'online', lines: [{ sku: 'SCH-LIP', quantity: 1 }], fulfillment },
  });

describe('a delivery booked for a day', () => {
  it('keeps the day she chose on the order', async () => {
    const parcel = await order({ type: 'delivery', address: HOME, scheduledDate: dayAfter(3) });
    expect(parcel.statusCode, parcel.body).toBe(201);
    expect(parcel.json().fulfillment).toMatchObject({ type: 'delivery', scheduledDate: dayAfter(3) });
    const today = await order({ type: 'same_day', address: HOME, scheduledDate: dayAfter(0) });
    expect(today.statusCode, today.body).toBe(201);
    const asap = await order({ type: 'delivery', address: HOME });
    expect(asap.json().fulfillment.scheduledDate).toBeNull();
    const read = await t.request({ method: 'GET', url: `/v1/orders/${parcel.json().id}` });
    expect(read.json().fulfillment.scheduledDate).toBe(dayAfter(3));
  });

  it('refuses a day it cannot plan for, and a booked pickup', async () => {
    for (const fulfillment of [
      { type: 'delivery', address: HOME, scheduledDate: dayAfter(0) },
      { type: 'delivery', address: HOME, scheduledDate: dayAfter(15) },
      { type: 'same_day', address: HOME, scheduledDate: dayAfter(-1) },
      { type: 'pickup', store: 'SCH-S', scheduledDate: dayAfter(2) },
    ]) {
      const refused = await order(fulfillment);
      expect(refused.statusCode, JSON.stringify(fulfillment)).toBe(400);
      expect(refused.json()).toMatchObject({
        code: 'ORDER.INVALID_FULFILLMENT',
        errors: [expect.objectContaining({ path: 'fulfillment.scheduledDate' })],
      });
    }
    const notADate = await order({ type: 'delivery', address: HOME, scheduledDate: 'tomorrow' });
    expect(notADate.statusCode).toBe(400);
    expect(notADate.json().code).toBe('REQUEST.INVALID');
    const stock = await t.request({ method: 'GET', url: '/v1/inventory/SCH-LIP' });
    expect(stock.json().levels[0]).toMatchObject({ reserved: 3 });
  });
});
