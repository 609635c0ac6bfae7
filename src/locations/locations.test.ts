import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelOf, guideOf, managerOf, OPS, startTestApp, type TestApp } from '../../test/helpers/app.js';
import { getLocation, listLocations, requireLocation } from './index.js';
import { capabilityErrors, containsPattern } from './locations.rules.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ workers: false });
});
afterAll(() => t.close());

const shanghaiStore = {
  code: 'T-SH01',
  name: '上海静安店',
  kind: 'store',
  city: '上海',
  address: '上海市静安区南京西路1618号',
  lat: 31.2236,
  lng: 121.4455,
  capabilities: { pickup: true, shipFromStore: true, sameDayRadiusKm: 8 },
  dailyCapacity: 60,
};

describe('location rules', () => {
  it('refuses store capabilities on a warehouse, field by field', () => {
    expect(capabilityErrors('warehouse', { pickup: true, shipFromStore: true, sameDayRadiusKm: 5 })).toEqual([
      { path: 'capabilities.pickup', message: expect.any(String) },
      { path: 'capabilities.shipFromStore', message: expect.any(String) },
      { path: 'capabilities.sameDayRadiusKm', message: expect.any(String) },
    ]);
    expect(capabilityErrors('warehouse', { pickup: false, sameDayRadiusKm: null })).toEqual([]);
    expect(capabilityErrors('store', { pickup: true, shipFromStore: true, sameDayRadiusKm: 5 })).toEqual([]);
  });

  // The cursors are the platform's (paging.test.ts); the list's own walk with them is below.
  it('escapes LIKE wildcards', () => {
    expect(containsPattern('50%_A\\')).toBe('%50\\%\\_a\\\\%');
  });
});

describe('POST /v1/locations', () => {
  it('opens a store and answers it in the contract shape', async () => {
    const res = await t.request({ method: 'POST', url: '/v1/locations', body: shanghaiStore, as: OPS });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({
      code: 'T-SH01',
      name: '上海静安店',
      kind: 'store',
      city: '上海',
      address: '上海市静安区南京西路1618号',
      lat: 31.2236,
      lng: 121.4455,
      capabilities: { pickup: true, shipFromStore: true, sameDayRadiusKm: 8 },
      dailyCapacity: 60,
      priorityTier: 2,
      active: true,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const got = await t.request({ method: 'GET', url: '/v1/locations/T-SH01' });
    expect(got.json()).toEqual(res.json());
  });

  it('defaults a warehouse to no store capabilities and unlimited capacity', async () => {
    const res = await t.request({
      method: 'POST',
      url: '/v1/locations',
      body: {
        code: 'T-WH',
        name: '上海青浦云仓',
        kind: 'warehouse',
        city: '上海',
        lat: 31.15,
        lng: 121.12,
        priorityTier: 1,
      },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      address: null,
      capabilities: { pickup: false, shipFromStore: false, sameDayRadiusKm: null },
      dailyCapacity: null,
      priorityTier: 1,
    });
  });

  it('409 LOCATION.CODE_TAKEN for a code in use', async () => {
    const res = await t.request({
      method: 'POST',
      url: '/v1/locations',
      body: { ...shanghaiStore, name: '另一家' },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('LOCATION.CODE_TAKEN');
  });

  it('names each bad field', async () => {
    const res = await t.request({
      method: 'POST',
      url: '/v1/locations',
      body: { code: 'sh-01', name: '', kind: 'kiosk', city: '上海', lat: 91, lng: -181 },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('REQUEST.INVALID');
    const paths = res.json().errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['code', 'name', 'kind', 'lat', 'lng']));
    const missing = await t.request({ method: 'POST', url: '/v1/locations', body: { code: 'T-X1' } });
    expect(missing.json().errors.map((e: { path: string }) => e.path)).toEqual(
      expect.arrayContaining(['name', 'kind', 'city', 'lat', 'lng']),
    );
  });

  it('refuses pickup, ship-from-store and same-day on a warehouse', async () => {
    const res = await t.request({
      method: 'POST',
      url: '/v1/locations',
      body: {
        code: 'T-WH2',
        name: '仓',
        kind: 'warehouse',
        city: '广州',
        lat: 23.29,
        lng: 113.27,
        capabilities: { pickup: true, sameDayRadiusKm: 5 },
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'LOCATION.INVALID_CAPABILITIES' });
    expect(res.json().errors.map((e: { path: string }) => e.path)).toEqual([
      'capabilities.pickup',
      'capabilities.sameDayRadiusKm',
    ]);
    expect((await t.request({ method: 'GET', url: '/v1/locations/T-WH2' })).statusCode).toBe(404);
  });

  it('replays a retried create with the same Idempotency-Key', async () => {
    const body = { ...shanghaiStore, code: 'T-IDEM', capabilities: { pickup: true } };
    const headers = { 'idempotency-key': 'loc-create-1' };
    const first = await t.request({ method: 'POST', url: '/v1/locations', body, headers });
    const again = await t.request({ method: 'POST', url: '/v1/locations', body, headers });
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
  });

  it('lets only admin and ops open locations', async () => {
    for (const as of [guideOf('T-SH01'), managerOf('T-SH01'), channelOf('online')]) {
      const res = await t.request({
        method: 'POST',
        url: '/v1/locations',
        body: { ...shanghaiStore, code: 'T-NO' },
        as,
      });
      expect(res.statusCode).toBe(403);
    }
    const customer = await t.request({
      method: 'POST',
      url: '/v1/locations',
      body: { ...shanghaiStore, code: 'T-NO' },
      as: { role: 'customer', subject: 'm1', memberId: 'mem_1', storeCode: null },
    });
    expect(customer.statusCode).toBe(403);
    const read = await t.request({
      method: 'GET',
      url: '/v1/locations',
      as: { role: 'customer', subject: 'm1', memberId: 'mem_1', storeCode: null },
    });
    expect(read.statusCode).toBe(200);
  });
});

describe('reading locations', () => {
  beforeAll(async () => {
    const stores = [
      {
        code: 'T-BJ01',
        name: '北京三里屯店',
        city: '北京',
        lat: 39.9335,
        lng: 116.4548,
        capabilities: { pickup: true },
      },
      {
        code: 'T-BJ02',
        name: '北京国贸店',
        city: '北京',
        lat: 39.9089,
        lng: 116.4601,
        capabilities: { pickup: true, sameDayRadiusKm: 6 },
      },
      {
        code: 'T-GZ01',
        name: '广州天河店',
        city: '广州',
        lat: 23.1318,
        lng: 113.3247,
        capabilities: { shipFromStore: true },
      },
    ];
    for (const store of stores) {
      const res = await t.request({
        method: 'POST',
        url: '/v1/locations',
        body: { ...store, kind: 'store' },
      });
      expect(res.statusCode).toBe(201);
    }
  });

  const codesOf = (res: { json(): { items: { code: string }[] } }) => res.json().items.map((l) => l.code);

  it('filters by kind, city, capability and text', async () => {
    const get = (query: string) => t.request({ method: 'GET', url: `/v1/locations?${query}` });
    expect(codesOf(await get('kind=warehouse'))).toEqual(['T-WH']);
    expect(codesOf(await get(`city=${encodeURIComponent('北京')}`))).toEqual(['T-BJ01', 'T-BJ02']);
    expect(codesOf(await get('capability=same_day'))).toEqual(['T-BJ02', 'T-SH01']);
    expect(codesOf(await get('capability=ship_from_store')).sort()).toEqual(['T-GZ01', 'T-SH01']);
    expect(codesOf(await get('capability=pickup')).sort()).toEqual(['T-BJ01', 'T-BJ02', 'T-IDEM', 'T-SH01']);
    expect(codesOf(await get(`q=${encodeURIComponent('国贸')}`))).toEqual(['T-BJ02']);
    expect(codesOf(await get('q=t-gz'))).toEqual(['T-GZ01']);
    expect(codesOf(await get(`q=${encodeURIComponent('广州')}`))).toEqual(['T-GZ01']);
    expect(codesOf(await get('q=%25'))).toEqual([]);
  });

  it('walks every location exactly once with the cursor', async () => {
    const all = codesOf(await t.request({ method: 'GET', url: '/v1/locations?limit=200' }));
    expect(all).toHaveLength(6);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/v1/locations?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await t.request({ method: 'GET', url })).json();
      seen.push(...page.items.map((l: { code: string }) => l.code));
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== null);
    expect(pages).toBe(3);
    expect(seen).toEqual(all);
    const bad = await t.request({ method: 'GET', url: '/v1/locations?cursor=%21%21' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('query.cursor');
  });

  it('lets store staff and channels read every location, their own store or not', async () => {
    for (const as of [guideOf('T-SH01'), managerOf('T-BJ01'), channelOf('mini_program')]) {
      const list = await t.request({ method: 'GET', url: '/v1/locations', as });
      expect(list.statusCode).toBe(200);
      expect(list.json().items.length).toBe(6);
      const other = await t.request({ method: 'GET', url: '/v1/locations/T-GZ01', as });
      expect(other.statusCode).toBe(200);
    }
  });

  it('404 LOCATION.NOT_FOUND for an unknown code', async () => {
    const res = await t.request({ method: 'GET', url: '/v1/locations/NOPE' });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('LOCATION.NOT_FOUND');
  });

  it('gives other contexts the same locations', async () => {
    const db = t.runtime.database.db;
    expect((await getLocation(db, 'T-BJ02'))?.capabilities.sameDayRadiusKm).toBe(6);
    expect(await getLocation(db, 'NOPE')).toBeUndefined();
    await expect(requireLocation(db, 'NOPE')).rejects.toMatchObject({ code: 'LOCATION.NOT_FOUND' });
    expect((await listLocations(db, { kind: 'store', city: '北京' })).map((l) => l.code)).toEqual([
      'T-BJ01',
      'T-BJ02',
    ]);
  });
});

describe('PATCH /v1/locations/{code}', () => {
  it('changes only the fields sent', async () => {
    const res = await t.request({
      method: 'PATCH',
      url: '/v1/locations/T-BJ01',
      body: { capabilities: { shipFromStore: true, sameDayRadiusKm: 5 }, dailyCapacity: 40, priorityTier: 1 },
      as: OPS,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      name: '北京三里屯店',
      capabilities: { pickup: true, shipFromStore: true, sameDayRadiusKm: 5 },
      dailyCapacity: 40,
      priorityTier: 1,
      active: true,
    });
    const cleared = await t.request({
      method: 'PATCH',
      url: '/v1/locations/T-BJ01',
      body: {
        capabilities: { sameDayRadiusKm: null },
        dailyCapacity: null,
        active: false,
        address: '北京市朝阳区',
      },
    });
    expect(cleared.json()).toMatchObject({
      address: '北京市朝阳区',
      capabilities: { pickup: true, shipFromStore: true, sameDayRadiusKm: null },
      dailyCapacity: null,
      active: false,
    });
    const db = t.runtime.database.db;
    expect((await listLocations(db, { activeOnly: true })).map((l) => l.code)).not.toContain('T-BJ01');
    const inactive = await t.request({ method: 'GET', url: '/v1/locations?active=false' });
    expect(codesOf(inactive)).toEqual(['T-BJ01']);
  });

  const codesOf = (res: { json(): { items: { code: string }[] } }) => res.json().items.map((l) => l.code);

  it('refuses store capabilities on a warehouse, and the code and kind are not editable', async () => {
    const res = await t.request({
      method: 'PATCH',
      url: '/v1/locations/T-WH',
      body: { capabilities: { shipFromStore: true } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([{ path: 'capabilities.shipFromStore', message: expect.any(String) }]);
    const kind = await t.request({ method: 'PATCH', url: '/v1/locations/T-WH', body: { kind: 'store' } });
    expect(kind.statusCode).toBe(400);
    expect(kind.json().errors[0]).toMatchObject({ path: 'kind', message: 'is not a known field' });
    const empty = await t.request({ method: 'PATCH', url: '/v1/locations/T-WH', body: {} });
    expect(empty.statusCode).toBe(400);
  });

  it('404 for an unknown location, 403 for store staff (their own store too)', async () => {
    const missing = await t.request({ method: 'PATCH', url: '/v1/locations/NOPE', body: { name: 'x' } });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('LOCATION.NOT_FOUND');
    const manager = await t.request({
      method: 'PATCH',
      url: '/v1/locations/T-SH01',
      body: { dailyCapacity: 999 },
      as: managerOf('T-SH01'),
    });
    expect(manager.statusCode).toBe(403);
  });

  it('records each change as an event', async () => {
    const events = await t.runtime.database.db
      .selectFrom('outbox_events')
      .select(['type', 'location'])
      .where('stream', '=', 'location:T-BJ01')
      .orderBy('seq')
      .execute();
    expect(events).toEqual([
      { type: 'location.created', location: 'T-BJ01' },
      { type: 'location.updated', location: 'T-BJ01' },
      { type: 'location.updated', location: 'T-BJ01' },
    ]);
  });
});
