import { expect } from 'vitest';
import type { TestApp } from './app.js';

export interface TestLocation {
  code: string;
  kind: 'warehouse' | 'store';
  city: string;
  lat: number;
  lng: number;
  capabilities?: { pickup?: boolean; shipFromStore?: boolean; sameDayRadiusKm?: number };
  dailyCapacity?: number;
  priorityTier?: number;
}

/** Creates locations and a product with SKUs through the API (admin). */
export async function createNetwork(
  t: TestApp,
  locations: TestLocation[],
  skus: { code: string; price: number }[],
  productCode = 'P-TEST',
): Promise<void> {
  for (const location of locations) {
    const res = await t.request({
      method: 'POST',
      url: '/v1/locations',
      body: { name: location.code, ...location },
    });
    expect(res.statusCode, res.body).toBe(201);
  }
  if (skus.length > 0) {
    const res = await t.request({
      method: 'POST',
      url: '/v1/products',
      body: {
        code: productCode,
        name: 'Test product',
        category: 'lipstick',
        skus: skus.map((s) => ({ ...s, name: s.code })),
      },
    });
    expect(res.statusCode, res.body).toBe(201);
  }
}

export async function setStock(
  t: TestApp,
  sku: string,
  location: string,
  onHand: number,
  safetyStock = 0,
): Promise<void> {
  const res = await t.request({
    method: 'PUT',
    url: `/v1/inventory/levels/${sku}/${location}`,
    body: { onHand, safetyStock },
  });
  expect(res.statusCode, res.body).toBe(200);
}

/**
 * DOMAIN.md's inventory invariants over the whole database: levels within bounds, the ledger sums to on hand,
 * reserved equals what active reservations (and requested transfers) hold.
 */
export async function expectInventoryInvariants(t: TestApp): Promise<void> {
  const db = t.runtime.database.db;
  const levels = await db.selectFrom('stock_levels').selectAll().execute();
  const ledger = await db
    .selectFrom('stock_movements')
    .select(['sku', 'location', (eb) => eb.fn.sum<number>('delta').as('total')])
    .groupBy(['sku', 'location'])
    .execute();
  const ledgerOf = new Map(ledger.map((l) => [`${l.sku}|${l.location}`, Number(l.total)]));
  const held = await db
    .selectFrom('reservation_lines')
    .innerJoin('reservations', 'reservations.id', 'reservation_lines.reservation_id')
    .select(['sku', 'location', (eb) => eb.fn.sum<number>('quantity').as('total')])
    .where('reservations.status', '=', 'active')
    .groupBy(['sku', 'location'])
    .execute();
  const heldOf = new Map(held.map((h) => [`${h.sku}|${h.location}`, Number(h.total)]));
  const transfers = await db
    .selectFrom('transfers')
    .selectAll()
    .where('status', 'in', ['requested', 'in_transit'])
    .execute();
  for (const tr of transfers) {
    if (tr.status === 'requested')
      heldOf.set(
        `${tr.sku}|${tr.from_location}`,
        (heldOf.get(`${tr.sku}|${tr.from_location}`) ?? 0) + Number(tr.quantity),
      );
  }
  const transitOf = new Map<string, number>();
  for (const tr of transfers.filter((x) => x.status === 'in_transit')) {
    transitOf.set(
      `${tr.sku}|${tr.to_location}`,
      (transitOf.get(`${tr.sku}|${tr.to_location}`) ?? 0) + Number(tr.quantity),
    );
  }
  for (const level of levels) {
    const key = `${level.sku}|${level.location}`;
    expect(level.on_hand, key).toBeGreaterThanOrEqual(0);
    expect(level.reserved, key).toBeGreaterThanOrEqual(0);
    expect(level.reserved, key).toBeLessThanOrEqual(level.on_hand);
    expect(ledgerOf.get(key) ?? 0, `ledger of ${key}`).toBe(Number(level.on_hand));
    expect(heldOf.get(key) ?? 0, `reserved of ${key}`).toBe(Number(level.reserved));
    expect(transitOf.get(key) ?? 0, `in transit of ${key}`).toBe(Number(level.in_transit));
  }
}
