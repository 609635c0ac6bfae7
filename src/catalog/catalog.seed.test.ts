import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { ean13CheckDigit } from './catalog.rules.js';
import { DEMO_PRODUCTS, seedCatalog } from './index.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ workers: false });
});
afterAll(() => t.close());

const demoSkus = DEMO_PRODUCTS.flatMap((p) => p.skus);

describe('demo catalog', () => {
  it('is about three hundred SKUs with unique, valid EAN-13 barcodes', () => {
    expect(demoSkus.length).toBeGreaterThanOrEqual(280);
    expect(demoSkus.length).toBeLessThanOrEqual(320);
    expect(new Set(demoSkus.map((s) => s.code)).size).toBe(demoSkus.length);
    const barcodes = demoSkus.map((s) => s.barcode ?? '');
    expect(new Set(barcodes).size).toBe(demoSkus.length);
    for (const barcode of barcodes) {
      expect(barcode).toMatch(/^\d{13}$/);
      expect(Number(barcode[12])).toBe(ean13CheckDigit(barcode.slice(0, 12)));
    }
    expect(demoSkus.every((s) => Number.isInteger(s.price) && s.price > 0)).toBe(true);
    expect(new Set(DEMO_PRODUCTS.map((p) => p.category))).toEqual(
      new Set(['lipstick', 'foundation', 'skincare', 'fragrance', 'tools']),
    );
  });

  it('seeds once; a second seed creates nothing', async () => {
    expect(await seedCatalog(t.runtime.database)).toEqual({
      products: DEMO_PRODUCTS.length,
      skus: demoSkus.length,
    });
    expect(await seedCatalog(t.runtime.database)).toEqual({ products: 0, skus: 0 });
    const count = await t.runtime.database.db
      .selectFrom('skus')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(demoSkus.length);
  });

  it('adds back a demo SKU that is missing under an existing product', async () => {
    await t.runtime.database.db.deleteFrom('skus').where('code', '=', 'LIP-VELVET-999').execute();
    expect(await seedCatalog(t.runtime.database)).toEqual({ products: 0, skus: 1 });
  });

  it('serves the seeded catalog: a lipstick shade by code and by barcode', async () => {
    const sku = (await t.request({ method: 'GET', url: '/v1/skus/LIP-VELVET-999' })).json();
    expect(sku).toMatchObject({
      productCode: 'LIP-VELVET',
      name: '丝绒唇膏 999 正红',
      price: 32000,
      category: 'lipstick',
      attributes: { shade: '999', finish: 'matte' },
    });
    const scan = (await t.request({ method: 'GET', url: `/v1/skus?barcode=${sku.barcode}` })).json();
    expect(scan.items.map((s: { code: string }) => s.code)).toEqual(['LIP-VELVET-999']);
    const fragrance = (await t.request({ method: 'GET', url: '/v1/products/FRG-WHITE-TEA' })).json();
    expect(fragrance.skus.map((s: { attributes: { size: string } }) => s.attributes.size).sort()).toEqual([
      '100ml',
      '30ml',
      '50ml',
    ]);
  });
});
