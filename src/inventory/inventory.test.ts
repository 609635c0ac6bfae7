import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guideOf, managerOf, startTestApp, type TestApp } from '../../test/helpers/app.js';
import { createNetwork, expectInventoryInvariants, setStock } from '../../test/helpers/inventory.js';
import { connectSse } from '../../test/helpers/sse.js';
import { receiveReturn } from './receipts.service.js';

let t: TestApp;

// Shanghai: a warehouse, two stores close together and one across the river; Beijing far away.
const NETWORK = [
  { code: 'WH-T', kind: 'warehouse' as const, city: '上海', lat: 31.15, lng: 121.12 },
  {
    code: 'ST-A',
    kind: 'store' as const,
    city: '上海',
    lat: 31.2235,
    lng: 121.4453,
    capabilities: { pickup: true },
  },
  {
    code: 'ST-B',
    kind: 'store' as const,
    city: '上海',
    lat: 31.1946,
    lng: 121.4366,
    capabilities: { pickup: true },
  },
  {
    code: 'ST-C',
    kind: 'store' as const,
    city: '上海',
    lat: 31.2304,
    lng: 121.5137,
    capabilities: { pickup: true },
  },
  {
    code: 'ST-BJ',
    kind: 'store' as const,
    city: '北京',
    lat: 39.9334,
    lng: 116.4551,
    capabilities: { pickup: true },
  },
];

beforeAll(async () => {
  t = await startTestApp();
  await createNetwork(t, NETWORK, [
    { code: 'SKU-1', price: 32000 },
    { code: 'SKU-2', price: 45000 },
    { code: 'SKU-3', price: 9900 },
  ]);
});
afterAll(() => t.close());

describe('levels and the movement ledger', () => {
  it('records a count as the difference in the ledger', async () => {
    await setStock(t, 'SKU-1', 'ST-A', 10, 1);
    const second = await t.request({
      method: 'PUT',
      url: '/v1/inventory/levels/SKU-1/ST-A',
      body: { onHand: 7 },
    });
    expect(second.json()).toMatchObject({
      sku: 'SKU-1',
      location: 'ST-A',
      onHand: 7,
      reserved: 0,
      safetyStock: 1,
      inTransit: 0,
      available: 6,
    });
    const movements = (await t.request({ method: 'GET', url: '/v1/inventory/SKU-1/ST-A/movements' })).json()
      .items;
    expect(
      movements.map((m: { delta: number; reason: string; onHandAfter: number }) => [
        m.delta,
        m.reason,
        m.onHandAfter,
      ]),
    ).toEqual([
      [-3, 'count', 7],
      [10, 'count', 10],
    ]);
  });

  it('shows one SKU across every location', async () => {
    await setStock(t, 'SKU-1', 'WH-T', 100, 5);
    const stock = (await t.request({ method: 'GET', url: '/v1/inventory/SKU-1' })).json();
    expect(stock.available).toBe(95 + 6);
    expect(stock.levels.map((l: { location: string }) => l.location)).toEqual(['ST-A', 'WH-T']);
  });

  it('applies a batch of adjustments all or nothing', async () => {
    const bad = await t.request({
      method: 'POST',
      url: '/v1/inventory/adjustments',
      body: {
        adjustments: [
          { sku: 'SKU-1', location: 'WH-T', delta: 20, reason: 'receipt' },
          { sku: 'SKU-1', location: 'ST-A', delta: -50, reason: 'damage' },
        ],
      },
    });
    expect(bad.statusCode).toBe(409);
    expect(bad.json().code).toBe('INVENTORY.NEGATIVE_STOCK');
    const wh = (await t.request({ method: 'GET', url: '/v1/inventory/SKU-1' }))
      .json()
      .levels.find((l: { location: string }) => l.location === 'WH-T');
    expect(wh.onHand).toBe(100);
  });

  it('applies a batch once per batchId, and refuses the id with other content', async () => {
    const body = {
      batchId: 'erp-2026-11-22-001',
      adjustments: [{ sku: 'SKU-2', location: 'WH-T', delta: 40, reason: 'receipt' }],
    };
    const first = await t.request({ method: 'POST', url: '/v1/inventory/adjustments', body });
    expect(first.json().levels[0]).toMatchObject({ onHand: 40 });
    const again = await t.request({ method: 'POST', url: '/v1/inventory/adjustments', body });
    expect(again.json()).toMatchObject({ replayed: true, levels: [{ onHand: 40 }] });
    const other = await t.request({
      method: 'POST',
      url: '/v1/inventory/adjustments',
      body: { ...body, adjustments: [{ ...body.adjustments[0], delta: 41 }] },
    });
    expect(other.statusCode).toBe(422);
    expect(other.json().code).toBe('INVENTORY.BATCH_REUSED');
  });

  it('names each bad field', async () => {
    const res = await t.request({
      method: 'POST',
      url: '/v1/inventory/adjustments',
      body: { adjustments: [{ sku: 'SKU-1', delta: 0, reason: 'magic' }] },
    });
    expect(res.statusCode).toBe(400);
    const paths = res.json().errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining(['adjustments[0].location', 'adjustments[0].delta', 'adjustments[0].reason']),
    );
  });
});

describe('reservations', () => {
  it('reserves, commits (ledger: sale) and refuses to end a reservation twice', async () => {
    await setStock(t, 'SKU-3', 'ST-B', 5);
    const created = await t.request({
      method: 'POST',
      url: '/v1/reservations',
      body: { lines: [{ sku: 'SKU-3', location: 'ST-B', quantity: 2 }], reference: 'order-1' },
    });
    expect(created.statusCode).toBe(201);
    const reservation = created.json();
    expect(reservation).toMatchObject({
      status: 'active',
      reference: 'order-1',
      lines: [{ sku: 'SKU-3', location: 'ST-B', quantity: 2 }],
    });
    let level = (await t.request({ method: 'GET', url: '/v1/inventory/SKU-3' })).json().levels[0];
    expect(level).toMatchObject({ onHand: 5, reserved: 2, available: 3 });

    const committed = await t.request({ method: 'POST', url: `/v1/reservations/${reservation.id}/commit` });
    expect(committed.json().status).toBe('committed');
    level = (await t.request({ method: 'GET', url: '/v1/inventory/SKU-3' })).json().levels[0];
    expect(level).toMatchObject({ onHand: 3, reserved: 0, available: 3 });
    const [sale] = (await t.request({ method: 'GET', url: '/v1/inventory/SKU-3/ST-B/movements' })).json()
      .items;
    expect(sale).toMatchObject({
      delta: -2,
      reason: 'sale',
      source: { type: 'reservation', id: reservation.id },
    });

    for (const move of ['commit', 'release']) {
      const again = await t.request({ method: 'POST', url: `/v1/reservations/${reservation.id}/${move}` });
      expect(again.statusCode).toBe(409);
      expect(again.json().code).toBe('RESERVATION.NOT_ACTIVE');
    }
    expect((await t.request({ method: 'GET', url: '/v1/reservations/res_nope' })).json().code).toBe(
      'RESERVATION.NOT_FOUND',
    );
  });

  it('is all or nothing across lines and names the short line', async () => {
    await setStock(t, 'SKU-2', 'ST-A', 3);
    await setStock(t, 'SKU-3', 'ST-A', 1);
    const short = await t.request({
      method: 'POST',
      url: '/v1/reservations',
      body: {
        lines: [
          { sku: 'SKU-2', location: 'ST-A', quantity: 2 },
          { sku: 'SKU-3', location: 'ST-A', quantity: 2 },
        ],
      },
    });
    expect(short.statusCode).toBe(409);
    expect(short.json()).toMatchObject({
      code: 'INVENTORY.INSUFFICIENT_STOCK',
      sku: 'SKU-3',
      location: 'ST-A',
      available: 1,
    });
    expect(short.json().detail).toMatch(/SKU-3.*ST-A/);
    const stock = (await t.request({ method: 'GET', url: '/v1/inventory/SKU-2' }))
      .json()
      .levels.find((l: { location: string }) => l.location === 'ST-A');
    expect(stock.reserved).toBe(0);
  });

  it('respects safety stock', async () => {
    await setStock(t, 'SKU-2', 'ST-C', 3, 2);
    const res = await t.request({
      method: 'POST',
      url: '/v1/reservations',
      body: { lines: [{ sku: 'SKU-2', location: 'ST-C', quantity: 2 }] },
    });
    expect(res.statusCode).toBe(409);
  });

  it('expires on time without anyone calling, and frees the units', async () => {
    await setStock(t, 'SKU-1', 'ST-B', 4);
    const res = await t.request({
      method: 'POST',
      url: '/v1/reservations',
      body: { lines: [{ sku: 'SKU-1', location: 'ST-B', quantity: 4 }], ttlSeconds: 1 },
    });
    const id = res.json().id;
    await expect
      .poll(async () => (await t.request({ method: 'GET', url: `/v1/reservations/${id}` })).json().status, {
        timeout: 5000,
        interval: 100,
      })
      .toBe('expired');
    const level = (await t.request({ method: 'GET', url: '/v1/inventory/SKU-1' }))
      .json()
      .levels.find((l: { location: string }) => l.location === 'ST-B');
    expect(level).toMatchObject({ onHand: 4, reserved: 0, available: 4 });
  });

  it('refuses store staff another store’s stock', async () => {
    const res = await t.request({
      method: 'POST',
      url: '/v1/reservations',
      as: guideOf('ST-A'),
      body: { lines: [{ sku: 'SKU-1', location: 'ST-B', quantity: 1 }] },
    });
    expect(res.statusCode).toBe(403);
    const count = await t.request({
      method: 'PUT',
      url: '/v1/inventory/levels/SKU-1/ST-B',
      as: managerOf('ST-A'),
      body: { onHand: 1 },
    });
    expect(count.statusCode).toBe(403);
    const own = await t.request({
      method: 'PUT',
      url: '/v1/inventory/levels/SKU-1/ST-A',
      as: managerOf('ST-A'),
      body: { onHand: 7 },
    });
    expect(own.statusCode).toBe(200);
    const guideCount = await t.request({
      method: 'PUT',
      url: '/v1/inventory/levels/SKU-1/ST-A',
      as: guideOf('ST-A'),
      body: { onHand: 7 },
    });
    expect(guideCount.statusCode).toBe(403);
  });
});

describe('transfers', () => {
  it('conserves units: requested (reserved at the source) → in transit → received', async () => {
    await setStock(t, 'SKU-3', 'WH-T', 30);
    const total = async () => {
      const stock = (await t.request({ method: 'GET', url: '/v1/inventory/SKU-3' })).json();
      return stock.levels.reduce(
        (sum: number, l: { onHand: number; inTransit: number }) => sum + l.onHand + l.inTransit,
        0,
      );
    };
    const before = await total();
    const created = await t.request({
      method: 'POST',
      url: '/v1/transfers',
      body: { sku: 'SKU-3', from: 'WH-T', to: 'ST-C', quantity: 12 },
    });
    expect(created.statusCode).toBe(201);
    const { id } = created.json();
    const levelAt = async (location: string) =>
      (await t.request({ method: 'GET', url: '/v1/inventory/SKU-3' }))
        .json()
        .levels.find((l: { location: string }) => l.location === location);
    expect(await levelAt('WH-T')).toMatchObject({ onHand: 30, reserved: 12 });

    expect((await t.request({ method: 'POST', url: `/v1/transfers/${id}/receive` })).json().code).toBe(
      'TRANSFER.INVALID_TRANSITION',
    );
    expect((await t.request({ method: 'POST', url: `/v1/transfers/${id}/ship` })).json().status).toBe(
      'in_transit',
    );
    expect(await levelAt('WH-T')).toMatchObject({ onHand: 18, reserved: 0 });
    expect(await levelAt('ST-C')).toMatchObject({ inTransit: 12 });
    expect(await total()).toBe(before);

    const received = await t.request({
      method: 'POST',
      url: `/v1/transfers/${id}/receive`,
      as: managerOf('ST-C'),
    });
    expect(received.json().status).toBe('received');
    expect(await levelAt('ST-C')).toMatchObject({ onHand: 12, inTransit: 0 });
    expect(await total()).toBe(before);
    const movements = (await t.request({ method: 'GET', url: '/v1/inventory/SKU-3/ST-C/movements' })).json()
      .items;
    expect(movements[0]).toMatchObject({ delta: 12, reason: 'transfer_in' });
  });

  it('refuses a transfer the source cannot cover, and one to itself', async () => {
    const big = await t.request({
      method: 'POST',
      url: '/v1/transfers',
      body: { sku: 'SKU-3', from: 'ST-A', to: 'ST-C', quantity: 99 },
    });
    expect(big.json().code).toBe('INVENTORY.INSUFFICIENT_STOCK');
    const self = await t.request({
      method: 'POST',
      url: '/v1/transfers',
      body: { sku: 'SKU-3', from: 'ST-A', to: 'ST-A', quantity: 1 },
    });
    expect(self.json().code).toBe('TRANSFER.SAME_LOCATION');
  });
});

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
    const online = (await t.request({ method: 'GET', url: '/v1/inventory/SKU-2?channel=online' })).json();
    const stores = all.levels.filter((l: { location: string }) => l.location.startsWith('ST-'));
    expect(online.available).toBe(
      stores.reduce((s: number, l: { available: number }) => s + Math.max(0, l.available - 1), 0),
    );
  });
});

describe('the live stream', () => {
  it('sees each level change once, in order, with the contract’s fields', async () => {
    await t.runtime.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.runtime.app.server.address() as { port: number };
    const client = await connectSse(
      `http://127.0.0.1:${address.port}/v1/stream?topics=inventory`,
      t.auth('admin'),
    );
    await setStock(t, 'SKU-1', 'ST-C', 10);
    const res = await t.request({
      method: 'POST',
      url: '/v1/reservations',
      body: { lines: [{ sku: 'SKU-1', location: 'ST-C', quantity: 3 }] },
    });
    await t.request({ method: 'POST', url: `/v1/reservations/${res.json().id}/release` });
    // Only this level's events: a change committed just before connecting may still arrive live.
    const ours = () =>
      client.events.filter(
        (e) => e.event === 'inventory.level_changed' && (e.data as { location: string }).location === 'ST-C',
      );
    await expect.poll(() => ours().length).toBe(3);
    await new Promise((r) => setTimeout(r, 200));
    client.close();
    const events = ours();
    expect(events).toHaveLength(3);
    expect(events.map((e) => e.data)).toEqual([
      expect.objectContaining({
        sku: 'SKU-1',
        location: 'ST-C',
        onHand: 10,
        reserved: 0,
        safetyStock: 0,
        available: 10,
        occurredAt: expect.any(String),
      }),
      expect.objectContaining({ reserved: 3, available: 7 }),
      expect.objectContaining({ reserved: 0, available: 10 }),
    ]);
  });
});

describe('returns', () => {
  it('puts resellable units back on hand and quarantines damaged ones, both in the ledger', async () => {
    await setStock(t, 'SKU-3', 'ST-B', 2);
    await t.runtime.database.transaction(async (trx) => {
      await receiveReturn(trx, {
        sku: 'SKU-3',
        location: 'ST-B',
        quantity: 1,
        condition: 'resellable',
        source: 'ret_1',
        actor: 'test',
      });
      await receiveReturn(trx, {
        sku: 'SKU-3',
        location: 'ST-B',
        quantity: 2,
        condition: 'damaged',
        source: 'ret_2',
        actor: 'test',
      });
    });
    const level = (await t.request({ method: 'GET', url: '/v1/inventory/SKU-3' }))
      .json()
      .levels.find((l: { location: string }) => l.location === 'ST-B');
    expect(level).toMatchObject({ onHand: 3, quarantined: 2, available: 3 });
    const movements = (await t.request({ method: 'GET', url: '/v1/inventory/SKU-3/ST-B/movements' })).json()
      .items;
    expect(movements.slice(0, 3).map((m: { delta: number; reason: string }) => [m.delta, m.reason])).toEqual([
      [-2, 'damage'],
      [2, 'return'],
      [1, 'return'],
    ]);
  });
});

describe('invariants', () => {
  it('hold after everything above', async () => {
    await expectInventoryInvariants(t);
  });
});

describe('expiry across a restart', () => {
  it('frees a reservation that expired while the node was down', async () => {
    const first = await startTestApp({ workers: false });
    await createNetwork(
      first,
      [{ code: 'RS-1', kind: 'store', city: '上海', lat: 31.2, lng: 121.4 }],
      [{ code: 'RS-SKU', price: 100 }],
      'P-RS',
    );
    await setStock(first, 'RS-SKU', 'RS-1', 3);
    const res = await first.request({
      method: 'POST',
      url: '/v1/reservations',
      body: { lines: [{ sku: 'RS-SKU', location: 'RS-1', quantity: 3 }], ttlSeconds: 1 },
    });
    expect(res.statusCode).toBe(201);
    await first.close({ drop: false });
    await new Promise((r) => setTimeout(r, 1200));

    const second = await startTestApp({ database: first.database });
    try {
      await expect
        .poll(
          async () =>
            (await second.request({ method: 'GET', url: `/v1/reservations/${res.json().id}` })).json().status,
          { timeout: 5000 },
        )
        .toBe('expired');
      const level = (await second.request({ method: 'GET', url: '/v1/inventory/RS-SKU' })).json().levels[0];
      expect(level).toMatchObject({ reserved: 0, available: 3 });
    } finally {
      await second.close({ drop: true });
    }
  });
});
