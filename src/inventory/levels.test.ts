import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { createNetwork, expectInventoryInvariants, setStock } from '../../test/helpers/inventory.js';
import { connectSse } from '../../test/helpers/sse.js';
import { NETWORK, SKUS } from './inventory.testkit.js';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
  await createNetwork(t, NETWORK, SKUS);
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

  it('refuses a SKU or a location that does not exist (404), and creates no level for it', async () => {
    const sku = await t.request({
      method: 'PUT',
      url: '/v1/inventory/levels/NO-SUCH-SKU/ST-A',
      body: { onHand: 5 },
    });
    expect([sku.statusCode, sku.json().code]).toEqual([404, 'CATALOG.SKU_NOT_FOUND']);
    const place = await t.request({
      method: 'PUT',
      url: '/v1/inventory/levels/SKU-1/NOWHERE',
      body: { onHand: 5 },
    });
    expect([place.statusCode, place.json().code]).toEqual([404, 'LOCATION.NOT_FOUND']);
    const batch = await t.request({
      method: 'POST',
      url: '/v1/inventory/adjustments',
      body: {
        adjustments: [
          { sku: 'SKU-1', location: 'ST-A', delta: 1, reason: 'receipt' },
          { sku: 'SKU-1', location: 'NOWHERE', delta: 1, reason: 'receipt' },
        ],
      },
    });
    expect([batch.statusCode, batch.json().code]).toEqual([404, 'LOCATION.NOT_FOUND']);
    const levels = (await t.request({ method: 'GET', url: '/v1/inventory?location=NOWHERE' })).json().items;
    expect(levels).toEqual([]);
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

describe('paging', () => {
  it('pages stock lists and the ledger with the cursors it gave out, and refuses others', async () => {
    const first = (await t.request({ method: 'GET', url: '/v1/inventory?location=WH-T&limit=1' })).json();
    expect(first.items.map((l: { sku: string }) => l.sku)).toEqual(['SKU-1']);
    const second = (
      await t.request({
        method: 'GET',
        url: `/v1/inventory?location=WH-T&limit=1&cursor=${first.nextCursor}`,
      })
    ).json();
    expect(second).toMatchObject({ items: [{ sku: 'SKU-2' }], nextCursor: null });

    const url = '/v1/inventory/SKU-1/ST-A/movements';
    const newest = (await t.request({ method: 'GET', url: `${url}?limit=1` })).json();
    expect(newest.items.map((m: { delta: number }) => m.delta)).toEqual([-3]);
    const older = (
      await t.request({ method: 'GET', url: `${url}?limit=1&cursor=${newest.nextCursor}` })
    ).json();
    expect(older).toMatchObject({ items: [{ delta: 10 }], nextCursor: null });

    for (const bad of [`${url}?cursor=12`, '/v1/inventory?cursor=WH-T']) {
      const res = await t.request({ method: 'GET', url: bad });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'REQUEST.INVALID', errors: [{ path: 'query.cursor' }] });
    }
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

describe('invariants', () => {
  it('hold after everything above', async () => {
    await expectInventoryInvariants(t);
  });
});
