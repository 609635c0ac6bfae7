import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { DEMO_LOCATIONS, seedLocations } from './index.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ workers: false });
});
afterAll(() => t.close());

describe('demo locations', () => {
  it('opens two warehouses and twelve stores once; a second seed opens nothing', async () => {
    expect(await seedLocations(t.runtime.database)).toEqual({ locations: 14 });
    expect(await seedLocations(t.runtime.database)).toEqual({ locations: 0 });
    const all = (await t.request({ method: 'GET', url: '/v1/locations?limit=200' })).json().items;
    expect(all).toHaveLength(DEMO_LOCATIONS.length);
  });

  it('puts warehouses first in sourcing and gives every store pickup', async () => {
    const get = async (query: string) =>
      (await t.request({ method: 'GET', url: `/v1/locations?limit=200&${query}` })).json().items as {
        code: string;
        priorityTier: number;
        dailyCapacity: number | null;
        city: string;
      }[];
    const warehouses = await get('kind=warehouse');
    expect(warehouses.map((l) => [l.code, l.priorityTier, l.dailyCapacity])).toEqual([
      ['WH-GZ', 1, 5000],
      ['WH-SH', 1, 5000],
    ]);
    const stores = await get('kind=store');
    expect(stores).toHaveLength(12);
    expect(stores.every((s) => s.priorityTier === 2)).toBe(true);
    expect(
      stores.every((s) => s.dailyCapacity !== null && s.dailyCapacity >= 30 && s.dailyCapacity <= 80),
    ).toBe(true);
    expect((await get('capability=pickup')).map((l) => l.code)).toEqual(stores.map((s) => s.code));
    expect((await get('capability=same_day')).map((l) => l.code)).toEqual(['BJ01', 'GZ01', 'SH01', 'SZ01']);
    expect((await get('capability=ship_from_store')).length).toBe(7);
    expect(new Set(stores.map((s) => s.city))).toEqual(new Set(['上海', '北京', '广州', '深圳']));
  });
});
