import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelOf, guideOf, managerOf, OPS, startTestApp, type TestApp } from '../../test/helpers/app.js';
import { openDatabase } from '../platform/db/index.js';
import type { Principal } from '../platform/index.js';
import { ean13CheckDigit, repeatedInRequest } from './catalog.rules.js';
import { getSku, getSkus, requireSku } from './index.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ workers: false });
});
afterAll(() => t.close());

const CUSTOMER: Principal = { role: 'customer', subject: 'mem_1', memberId: 'mem_1', storeCode: null };

const velvet = {
  code: 'LIP-VELVET',
  name: '丝绒唇膏',
  category: 'lipstick',
  description: '澜境丝绒唇膏',
  skus: [
    {
      code: 'LIP-VELVET-999',
      name: '丝绒唇膏 999 正红',
      price: 32000,
      barcode: '6970168000014',
      attributes: { shade: '999', finish: 'matte' },
    },
    { code: 'LIP-VELVET-520', name: '丝绒唇膏 520 玫瑰豆沙', price: 32000, barcode: '6970168000021' },
  ],
};

describe('catalog rules', () => {
  it('finds codes and barcodes repeated inside one request', () => {
    expect(
      repeatedInRequest([
        { code: 'A', barcode: '1' },
        { code: 'B', barcode: '1' },
        { code: 'A' },
        { code: 'C', barcode: null },
        { code: 'D', barcode: null },
      ]),
    ).toEqual([
      { path: 'skus[1].barcode', message: 'repeats skus[0].barcode' },
      { path: 'skus[2].code', message: 'repeats skus[0].code' },
    ]);
  });

  it('computes EAN-13 check digits', () => {
    expect(ean13CheckDigit('400638133393')).toBe(1); // 4006381333931, a well-known valid EAN
    expect(ean13CheckDigit('690123456789')).toBe(2);
  });
});

describe('POST /v1/products', () => {
  it('creates a product with its SKUs', async () => {
    const res = await t.request({ method: 'POST', url: '/v1/products', body: velvet, as: OPS });
    expect(res.statusCode).toBe(201);
    const product = res.json();
    expect(product).toMatchObject({
      code: 'LIP-VELVET',
      name: '丝绒唇膏',
      category: 'lipstick',
      description: '澜境丝绒唇膏',
    });
    expect(product.skus.map((s: { code: string }) => s.code)).toEqual(['LIP-VELVET-520', 'LIP-VELVET-999']);
    expect(product.skus[1]).toEqual({
      code: 'LIP-VELVET-999',
      productCode: 'LIP-VELVET',
      name: '丝绒唇膏 999 正红',
      price: 32000,
      barcode: '6970168000014',
      attributes: { shade: '999', finish: 'matte' },
      category: 'lipstick',
      active: true,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(product.skus[0].attributes).toEqual({});

    const got = await t.request({ method: 'GET', url: '/v1/products/LIP-VELVET' });
    expect(got.json()).toEqual(product);
  });

  it('409 CATALOG.PRODUCT_CODE_TAKEN', async () => {
    const res = await t.request({ method: 'POST', url: '/v1/products', body: { ...velvet, skus: [] } });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('CATALOG.PRODUCT_CODE_TAKEN');
  });

  it('409 CATALOG.SKU_CODE_TAKEN and CATALOG.BARCODE_TAKEN, and nothing of the product is kept', async () => {
    const skuTaken = await t.request({
      method: 'POST',
      url: '/v1/products',
      body: {
        code: 'LIP-OTHER',
        name: '另一支',
        category: 'lipstick',
        skus: [
          { code: 'LIP-OTHER-1', name: 'a', price: 100 },
          { code: 'LIP-VELVET-999', name: 'b', price: 100 },
        ],
      },
    });
    expect(skuTaken.statusCode).toBe(409);
    expect(skuTaken.json()).toMatchObject({
      code: 'CATALOG.SKU_CODE_TAKEN',
      errors: [{ path: 'skus[1].code', message: 'is taken' }],
    });
    const barcodeTaken = await t.request({
      method: 'POST',
      url: '/v1/products',
      body: {
        code: 'LIP-OTHER',
        name: '另一支',
        category: 'lipstick',
        skus: [{ code: 'LIP-OTHER-1', name: 'a', price: 100, barcode: '6970168000021' }],
      },
    });
    expect(barcodeTaken.statusCode).toBe(409);
    expect(barcodeTaken.json()).toMatchObject({
      code: 'CATALOG.BARCODE_TAKEN',
      errors: [{ path: 'skus[0].barcode', message: 'is taken' }],
    });
    expect((await t.request({ method: 'GET', url: '/v1/products/LIP-OTHER' })).statusCode).toBe(404);
    expect((await t.request({ method: 'GET', url: '/v1/skus/LIP-OTHER-1' })).statusCode).toBe(404);
  });

  it('names each bad field', async () => {
    const res = await t.request({
      method: 'POST',
      url: '/v1/products',
      body: {
        code: 'bad code',
        name: 'x',
        skus: [
          { code: 'OK-1', name: 'a', price: -1 },
          { code: 'OK-2', name: 'b', price: 1.5, attributes: { shade: { code: '999' } } },
          { code: 'OK-3', price: 100, barcode: '12' },
        ],
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('REQUEST.INVALID');
    const paths = res.json().errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'code',
        'category',
        'skus[0].price',
        'skus[1].price',
        'skus[1].attributes.shade',
        'skus[2].name',
        'skus[2].barcode',
      ]),
    );
    const repeated = await t.request({
      method: 'POST',
      url: '/v1/products',
      body: {
        code: 'REP',
        name: 'x',
        category: 'tools',
        skus: [
          { code: 'REP-1', name: 'a', price: 1 },
          { code: 'REP-1', name: 'b', price: 1 },
        ],
      },
    });
    expect(repeated.statusCode).toBe(400);
    expect(repeated.json().errors).toEqual([{ path: 'skus[1].code', message: 'repeats skus[0].code' }]);
  });

  it('lets exactly one of two concurrent requests have a SKU code', async () => {
    const attempt = (n: number) =>
      t.request({
        method: 'POST',
        url: '/v1/products',
        body: {
          code: `RACE-${n}`,
          name: 'race',
          category: 'tools',
          skus: [{ code: 'RACE-SKU', name: 'x', price: 1 }],
        },
      });
    const results = await Promise.all([attempt(1), attempt(2), attempt(3), attempt(4)]);
    const statuses = results.map((r) => r.statusCode).sort();
    expect(statuses).toEqual([201, 409, 409, 409]);
    for (const r of results.filter((r) => r.statusCode === 409)) {
      expect(r.json().code).toBe('CATALOG.SKU_CODE_TAKEN');
    }
    const products = await t.runtime.database.db
      .selectFrom('products')
      .select('code')
      .where('code', 'like', 'RACE-%')
      .execute();
    expect(products).toHaveLength(1);
  });

  it('lets only admin and ops create', async () => {
    for (const as of [guideOf('SH01'), managerOf('SH01'), channelOf('online'), CUSTOMER]) {
      const res = await t.request({
        method: 'POST',
        url: '/v1/products',
        body: { ...velvet, code: 'NOPE' },
        as,
      });
      expect(res.statusCode).toBe(403);
    }
  });
});

describe('SKUs', () => {
  it('adds a SKU to a product, taking its category', async () => {
    const res = await t.request({
      method: 'POST',
      url: '/v1/products/LIP-VELVET/skus',
      body: {
        code: 'LIP-VELVET-888',
        name: '丝绒唇膏 888 酒红',
        price: 32000,
        barcode: '6970168000038',
        attributes: { shade: '888' },
      },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      code: 'LIP-VELVET-888',
      productCode: 'LIP-VELVET',
      category: 'lipstick',
    });
    const taken = await t.request({
      method: 'POST',
      url: '/v1/products/LIP-VELVET/skus',
      body: { code: 'LIP-VELVET-888', name: 'again', price: 1 },
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toMatchObject({ code: 'CATALOG.SKU_CODE_TAKEN', errors: [{ path: 'code' }] });
    const barcode = await t.request({
      method: 'POST',
      url: '/v1/products/LIP-VELVET/skus',
      body: { code: 'LIP-VELVET-777', name: 'x', price: 1, barcode: '6970168000038' },
    });
    expect(barcode.json()).toMatchObject({ code: 'CATALOG.BARCODE_TAKEN', errors: [{ path: 'barcode' }] });
    const noProduct = await t.request({
      method: 'POST',
      url: '/v1/products/NOPE/skus',
      body: { code: 'NOPE-1', name: 'x', price: 1 },
    });
    expect(noProduct.statusCode).toBe(404);
    expect(noProduct.json().code).toBe('CATALOG.PRODUCT_NOT_FOUND');
  });

  it('GET /v1/skus/{code} for staff, channels and customers; 404 CATALOG.SKU_NOT_FOUND', async () => {
    for (const as of [
      'admin' as const,
      OPS,
      guideOf('SH01'),
      managerOf('BJ01'),
      channelOf('pos'),
      CUSTOMER,
    ]) {
      const res = await t.request({ method: 'GET', url: '/v1/skus/LIP-VELVET-999', as });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        code: 'LIP-VELVET-999',
        productCode: 'LIP-VELVET',
        name: '丝绒唇膏 999 正红',
        price: 32000,
        attributes: { shade: '999', finish: 'matte' },
        barcode: '6970168000014',
        category: 'lipstick',
        active: true,
      });
    }
    expect((await t.request({ method: 'GET', url: '/v1/skus/LIP-VELVET-999', as: null })).statusCode).toBe(
      401,
    );
    const missing = await t.request({ method: 'GET', url: '/v1/skus/NOPE', as: CUSTOMER });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('CATALOG.SKU_NOT_FOUND');
  });

  it('PATCH /v1/skus/{code} changes the fields sent', async () => {
    const res = await t.request({
      method: 'PATCH',
      url: '/v1/skus/LIP-VELVET-520',
      body: { price: 29900, barcode: '6970168000045', attributes: { shade: '520', finish: 'velvet' } },
      as: OPS,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      name: '丝绒唇膏 520 玫瑰豆沙',
      price: 29900,
      barcode: '6970168000045',
      attributes: { shade: '520', finish: 'velvet' },
      active: true,
    });
    const off = await t.request({
      method: 'PATCH',
      url: '/v1/skus/LIP-VELVET-520',
      body: { active: false, barcode: null },
    });
    expect(off.json()).toMatchObject({ active: false, barcode: null, price: 29900 });
    const taken = await t.request({
      method: 'PATCH',
      url: '/v1/skus/LIP-VELVET-520',
      body: { barcode: '6970168000014' },
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().code).toBe('CATALOG.BARCODE_TAKEN');
    const own = await t.request({
      method: 'PATCH',
      url: '/v1/skus/LIP-VELVET-999',
      body: { barcode: '6970168000014' },
    });
    expect(own.statusCode).toBe(200);
    const bad = await t.request({
      method: 'PATCH',
      url: '/v1/skus/LIP-VELVET-520',
      body: { price: -5, colour: 'red' },
    });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .errors.map((e: { path: string }) => e.path)
        .sort(),
    ).toEqual(['colour', 'price']);
    const missing = await t.request({ method: 'PATCH', url: '/v1/skus/NOPE', body: { price: 1 } });
    expect(missing.json().code).toBe('CATALOG.SKU_NOT_FOUND');
    const guide = await t.request({
      method: 'PATCH',
      url: '/v1/skus/LIP-VELVET-520',
      body: { price: 1 },
      as: guideOf('SH01'),
    });
    expect(guide.statusCode).toBe(403);
  });

  it('moves the SKUs with their product to another category', async () => {
    await t.request({
      method: 'POST',
      url: '/v1/products',
      body: {
        code: 'BALM',
        name: '润唇膏',
        category: 'lipstick',
        skus: [{ code: 'BALM-1', name: '润唇膏', price: 9900 }],
      },
    });
    const res = await t.request({
      method: 'PATCH',
      url: '/v1/products/BALM',
      body: { category: 'skincare', name: '修护润唇膏' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      name: '修护润唇膏',
      category: 'skincare',
      skus: [{ code: 'BALM-1', category: 'skincare' }],
    });
    expect((await t.request({ method: 'GET', url: '/v1/skus/BALM-1' })).json().category).toBe('skincare');
  });

  it('gives other contexts SKUs one, or many in one query', async () => {
    const db = t.runtime.database.db;
    expect((await getSku(db, 'LIP-VELVET-999'))?.price).toBe(32000);
    expect(await getSku(db, 'NOPE')).toBeUndefined();
    await expect(requireSku(db, 'NOPE')).rejects.toMatchObject({ code: 'CATALOG.SKU_NOT_FOUND' });
    const many = await getSkus(db, ['LIP-VELVET-999', 'BALM-1', 'NOPE', 'BALM-1']);
    expect([...many.keys()].sort()).toEqual(['BALM-1', 'LIP-VELVET-999']);
    expect(many.get('BALM-1')?.category).toBe('skincare');
    expect((await getSkus(db, [])).size).toBe(0);
  });

  it('keeps SKUs it has read only while nobody writes the catalog, on any node', async () => {
    const db = t.runtime.database.db;
    const before = (await getSkus(db, ['LIP-VELVET-520'])).get('LIP-VELVET-520')!.price;
    // Another node on the same database (its own connection, no event in between) changes the price, and then
    // a transaction that fails after changing it again: neither may leave this node with a stale price.
    const other = openDatabase(t.database.target);
    try {
      await other.db
        .updateTable('skus')
        .set({ price: before + 1000 })
        .where('code', '=', 'LIP-VELVET-520')
        .execute();
      expect((await getSkus(db, ['LIP-VELVET-520'])).get('LIP-VELVET-520')?.price).toBe(before + 1000);
      await expect(
        t.runtime.database.transaction(async (trx) => {
          await trx.updateTable('skus').set({ price: 100 }).where('code', '=', 'LIP-VELVET-520').execute();
          expect((await getSkus(trx, ['LIP-VELVET-520'])).get('LIP-VELVET-520')?.price).toBe(100);
          throw new Error('changed my mind');
        }),
      ).rejects.toThrow('changed my mind');
      expect((await getSkus(db, ['LIP-VELVET-520'])).get('LIP-VELVET-520')?.price).toBe(before + 1000);
      await other.db
        .updateTable('skus')
        .set({ price: before })
        .where('code', '=', 'LIP-VELVET-520')
        .execute();
      expect((await getSkus(db, ['LIP-VELVET-520'])).get('LIP-VELVET-520')?.price).toBe(before);
    } finally {
      await other.close();
    }
  });
});

describe('searching the catalog', () => {
  beforeAll(async () => {
    const shades = ['C00', 'C05', 'N10', 'N20', 'W10', 'W20'];
    const res = await t.request({
      method: 'POST',
      url: '/v1/products',
      body: {
        code: 'FDN-SERUM',
        name: 'Serum Foundation 精华粉底液',
        category: 'foundation',
        skus: shades.map((shade, i) => ({
          code: `FDN-SERUM-${shade}`,
          name: `Serum Foundation ${shade}`,
          price: 56000,
          barcode: `69701680100${i}`,
          attributes: { shade, size: '30ml' },
        })),
      },
    });
    expect(res.statusCode).toBe(201);
  });

  const codes = async (query: string, as: Principal | 'admin' = 'admin') => {
    const res = await t.request({ method: 'GET', url: `/v1/skus?${query}`, as });
    expect(res.statusCode).toBe(200);
    return res.json().items.map((s: { code: string }) => s.code);
  };

  it('matches code, name and barcode in any case', async () => {
    expect(await codes('q=fdn-serum-c')).toEqual(['FDN-SERUM-C00', 'FDN-SERUM-C05']);
    expect(await codes('q=SERUM%20FOUNDATION%20w')).toEqual(['FDN-SERUM-W10', 'FDN-SERUM-W20']);
    expect(await codes(`q=${encodeURIComponent('玫瑰豆沙')}`)).toEqual(['LIP-VELVET-520']);
    expect(await codes('q=6970168000014')).toEqual(['LIP-VELVET-999']);
    expect(await codes('q=_')).toEqual([]);
  });

  it('finds a SKU by its exact barcode, for a customer too (the scan-in-store page)', async () => {
    expect(await codes('barcode=697016801002', CUSTOMER)).toEqual(['FDN-SERUM-N10']);
    expect(await codes('barcode=69701680100')).toEqual([]);
  });

  it('filters by category, product and active', async () => {
    expect(await codes('category=lipstick')).toEqual(['LIP-VELVET-520', 'LIP-VELVET-888', 'LIP-VELVET-999']);
    expect(await codes('productCode=FDN-SERUM&q=-n')).toEqual(['FDN-SERUM-N10', 'FDN-SERUM-N20']);
    expect(await codes('active=false')).toEqual(['LIP-VELVET-520']);
  });

  it('walks every SKU and every product exactly once with the cursor', async () => {
    for (const [path, total] of [
      ['/v1/skus', 11],
      ['/v1/products', 4],
    ] as const) {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const url: string = `${path}?limit=3${cursor ? `&cursor=${cursor}` : ''}`;
        const page = (await t.request({ method: 'GET', url, as: guideOf('SH01') })).json();
        expect(page.items.length).toBeLessThanOrEqual(3);
        seen.push(...page.items.map((s: { code: string }) => s.code));
        cursor = page.nextCursor;
      } while (cursor !== null);
      expect(seen).toHaveLength(total);
      expect(new Set(seen).size).toBe(total);
      const all = (await t.request({ method: 'GET', url: `${path}?limit=200` })).json().items;
      expect(seen).toEqual(all.map((s: { code: string }) => s.code));
    }
  });

  it('lists products with their SKU counts', async () => {
    const res = await t.request({
      method: 'GET',
      url: '/v1/products?category=foundation',
      as: channelOf('online'),
    });
    expect(res.json().items).toEqual([expect.objectContaining({ code: 'FDN-SERUM', skuCount: 6 })]);
    const q = await t.request({ method: 'GET', url: `/v1/products?q=${encodeURIComponent('丝绒')}` });
    expect(q.json().items.map((p: { code: string }) => p.code)).toEqual(['LIP-VELVET']);
    expect((await t.request({ method: 'GET', url: '/v1/products/NOPE' })).json().code).toBe(
      'CATALOG.PRODUCT_NOT_FOUND',
    );
  });
});

describe('documentation', () => {
  it('describes the catalog and location routes in OpenAPI', async () => {
    const spec = (await t.request({ method: 'GET', url: '/openapi.json', as: null })).json();
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        '/v1/locations',
        '/v1/locations/{code}',
        '/v1/products',
        '/v1/products/{code}',
        '/v1/products/{code}/skus',
        '/v1/skus',
        '/v1/skus/{code}',
      ]),
    );
  });
});
