import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { createNetwork } from '../../test/helpers/inventory.js';
import { NETWORK, SKUS } from './inventory.testkit.js';

// An ERP's nightly sync sends thousands of adjustments at once: the largest batch the schema allows must go
// through on both engines, whose statements take at most 32,766 (SQLite) and 65,535 (PostgreSQL) values.

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ workers: false });
  await createNetwork(t, NETWORK, SKUS);
});
afterAll(() => t.close());

describe('a batch at the schema’s limit', () => {
  it("applies a batch of 10,000 adjustments, over both engines' bind limits, in one transaction", async () => {
    const skus = Array.from({ length: 2_500 }, (_, i) => `BULK-${String(i).padStart(4, '0')}`);
    // Products of at most 500 SKUs each.
    for (let p = 0; p < skus.length; p += 500) {
      const product = await t.request({
        method: 'POST',
        url: '/v1/products',
        body: {
          code: `P-BULK-${p}`,
          name: 'Bulk',
          category: 'lipstick',
          skus: skus.slice(p, p + 500).map((code) => ({ code, name: code, price: 100 })),
        },
      });
      expect(product.statusCode, product.body).toBe(201);
    }
    const adjustments = NETWORK.slice(0, 4).flatMap((location) =>
      skus.map((sku) => ({ sku, location: location.code, delta: 3, reason: 'receipt' })),
    );
    expect(adjustments).toHaveLength(10_000);
    const res = await t.request({ method: 'POST', url: '/v1/inventory/adjustments', body: { adjustments } });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    const ledger = (
      await t.request({ method: 'GET', url: `/v1/inventory/BULK-2499/${NETWORK[3]!.code}/movements` })
    ).json();
    expect(ledger.items).toEqual([expect.objectContaining({ delta: 3, onHandAfter: 3, reason: 'receipt' })]);
  });
});
