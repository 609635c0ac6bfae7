import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guideOf, managerOf, startTestApp, type TestApp } from '../../test/helpers/app.js';
import { createNetwork, expectInventoryInvariants, setStock } from '../../test/helpers/inventory.js';
import { NETWORK, SKUS } from './inventory.testkit.js';
import { prepareReservation, type ReservationRequest } from './reservations.service.js';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
  await createNetwork(t, NETWORK, SKUS);
});
afterAll(() => t.close());

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

describe('a reservation request', () => {
  const refusal = (request: ReservationRequest): unknown => {
    try {
      prepareReservation(request);
    } catch (error) {
      return error;
    }
    throw new Error('the request was accepted');
  };

  it('is refused with the inventory’s own codes, naming the field', () => {
    expect(refusal({ lines: [] })).toMatchObject({
      code: 'INVENTORY.NO_LINES',
      kind: 'invalid',
      errors: [{ path: 'lines' }],
    });
    for (const quantity of [0, -1, 1.5]) {
      expect(
        refusal({
          lines: [
            { sku: 'SKU-1', location: 'ST-A', quantity: 1 },
            { sku: 'SKU-1', location: 'ST-B', quantity },
          ],
        }),
      ).toMatchObject({
        code: 'INVENTORY.INVALID_QUANTITY',
        kind: 'invalid',
        errors: [{ path: 'lines[1].quantity' }],
      });
    }
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
