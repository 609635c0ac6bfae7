import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelOf, guideOf, OPS, startTestApp, type TestApp } from '../../test/helpers/app.js';
import type { Principal } from '../platform/index.js';
import { createProduct } from './catalog.service.js';
import { DEMO_DICTIONARY, DEMO_PRODUCTS, seedDictionary } from './index.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ workers: false });
});
afterAll(() => t.close());

const CUSTOMER: Principal = { role: 'customer', subject: 'mem_1', memberId: 'mem_1', storeCode: null };
const names = (zh: string, en: string) => ({ 'zh-CN': zh, 'en-US': en });

describe('the demo dictionary', () => {
  it('names every category and every attribute the demo catalog uses', () => {
    const categories = new Set(DEMO_DICTIONARY.categories.map((c) => c.code));
    const attributes = new Set(DEMO_DICTIONARY.attributes.map((a) => a.code));
    for (const product of DEMO_PRODUCTS) {
      expect(categories.has(product.category), product.category).toBe(true);
      for (const sku of product.skus)
        for (const key of Object.keys(sku.attributes ?? {})) expect(attributes.has(key), key).toBe(true);
    }
    const finish = DEMO_DICTIONARY.attributes.find((a) => a.code === 'finish');
    const finishes = new Set(finish?.values?.map((v) => v.code));
    for (const sku of DEMO_PRODUCTS.flatMap((p) => p.skus))
      if (sku.attributes?.finish)
        expect(finishes.has(sku.attributes.finish), sku.attributes.finish).toBe(true);
  });

  it('seeds once, and leaves a name the brand changed alone', async () => {
    const total = DEMO_DICTIONARY.categories.length + DEMO_DICTIONARY.attributes.length;
    expect(await seedDictionary(t.runtime.database)).toBe(total);
    const renamed = await t.request({
      method: 'PUT',
      url: '/v1/catalog/categories/tools',
      body: { names: names('化妆工具', 'Beauty tools') },
      as: OPS,
    });
    expect(renamed.statusCode).toBe(200);
    expect(await seedDictionary(t.runtime.database)).toBe(0);
    const dictionary = (await t.request({ method: 'GET', url: '/v1/catalog/dictionary' })).json();
    expect(dictionary.categories.find((c: { code: string }) => c.code === 'tools')).toEqual({
      code: 'tools',
      names: names('化妆工具', 'Beauty tools'),
      position: 4,
    });
  });
});

describe('GET /v1/catalog/dictionary', () => {
  it('is read by every signed-in role, the customer and store staff included', async () => {
    for (const as of [CUSTOMER, guideOf('SH01'), channelOf('tmall'), OPS, 'admin' as const]) {
      const res = await t.request({ method: 'GET', url: '/v1/catalog/dictionary', as });
      expect(res.statusCode, String(typeof as === 'string' ? as : as.role)).toBe(200);
    }
    expect((await t.request({ method: 'GET', url: '/v1/catalog/dictionary', as: null })).statusCode).toBe(
      401,
    );
  });

  it('answers categories and attributes in their order, with their values', async () => {
    const { categories, attributes } = (
      await t.request({ method: 'GET', url: '/v1/catalog/dictionary', as: CUSTOMER })
    ).json();
    expect(categories.slice(0, 2)).toEqual([
      { code: 'lipstick', names: names('口红', 'Lipstick'), position: 0 },
      { code: 'foundation', names: names('粉底', 'Foundation'), position: 1 },
    ]);
    const finish = attributes.find((a: { code: string }) => a.code === 'finish');
    expect(finish.names).toEqual(names('妆效', 'Finish'));
    expect(finish.values).toContainEqual({ code: 'natural', names: names('自然', 'Natural') });
    expect(attributes[0]).toMatchObject({ code: 'shade', names: names('色号', 'Shade'), values: [] });
  });

  it('lists a category products use that has no name yet, with names null', async () => {
    await t.runtime.database.transaction((trx) =>
      createProduct(trx, { code: 'NAIL-RED', name: '甲油 红', category: 'nail', skus: [] }),
    );
    const { categories } = (await t.request({ method: 'GET', url: '/v1/catalog/dictionary' })).json();
    expect(categories.at(-1)).toEqual({ code: 'nail', names: null, position: 0 });
  });
});

describe('PUT /v1/catalog/categories/:code and /v1/catalog/attributes/:code', () => {
  it('names a new category last, trims the names and records an event', async () => {
    const res = await t.request({
      method: 'PUT',
      url: '/v1/catalog/categories/nail',
      body: { names: names(' 美甲 ', 'Nails') },
      as: OPS,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      code: 'nail',
      names: names('美甲', 'Nails'),
      position: DEMO_DICTIONARY.categories.length,
    });
    const events = await t.runtime.database.db
      .selectFrom('outbox_events')
      .select(['type', 'payload'])
      .where('type', '=', 'catalog.category_named')
      .execute();
    expect(events.map((e) => JSON.parse(e.payload).code)).toContain('nail');
    const { categories } = (await t.request({ method: 'GET', url: '/v1/catalog/dictionary' })).json();
    expect(categories.filter((c: { code: string }) => c.code === 'nail')).toHaveLength(1);
  });

  it('replaces an attribute’s values whole and keeps its place', async () => {
    const res = await t.request({
      method: 'PUT',
      url: '/v1/catalog/attributes/finish',
      body: {
        names: names('妆效', 'Finish'),
        values: [{ code: 'natural', names: names('自然', 'Natural') }],
      },
      as: OPS,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      code: 'finish',
      names: names('妆效', 'Finish'),
      position: 2,
      values: [{ code: 'natural', names: names('自然', 'Natural') }],
    });
    const added = await t.request({
      method: 'PUT',
      url: '/v1/catalog/attributes/texture',
      body: { names: names('质地', 'Texture'), position: 0 },
      as: OPS,
    });
    expect(added.json()).toEqual({
      code: 'texture',
      names: names('质地', 'Texture'),
      position: 0,
      values: [],
    });
  });

  it('is for HQ only', async () => {
    for (const as of [CUSTOMER, guideOf('SH01'), channelOf('tmall')]) {
      const res = await t.request({
        method: 'PUT',
        url: '/v1/catalog/categories/lipstick',
        body: { names: names('唇膏', 'Lips') },
        as,
      });
      expect(res.statusCode).toBe(403);
    }
  });

  it('refuses a blank, missing, long or extra name, naming the field', async () => {
    const blank = await t.request({
      method: 'PUT',
      url: '/v1/catalog/attributes/finish',
      body: { names: names('妆效', 'Finish'), values: [{ code: 'matte', names: names('哑光', '  ') }] },
      as: OPS,
    });
    expect(blank.statusCode).toBe(400);
    expect(blank.json()).toMatchObject({
      code: 'CATALOG.NAME_BLANK',
      params: { field: 'values[0].names.en-US' },
      errors: [{ path: 'values[0].names.en-US', message: 'is blank' }],
    });
    for (const body of [
      { names: { 'zh-CN': '口红' } },
      { names: names('', 'Lipstick') },
      { names: names('口红', 'x'.repeat(61)) },
      { names: { ...names('口红', 'Lipstick'), 'fr-FR': 'Rouge' } },
    ]) {
      const res = await t.request({ method: 'PUT', url: '/v1/catalog/categories/lipstick', body, as: OPS });
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().code).toBe('REQUEST.INVALID');
    }
    const { categories } = (await t.request({ method: 'GET', url: '/v1/catalog/dictionary' })).json();
    expect(categories[0].names).toEqual(names('口红', 'Lipstick'));
  });

  it('refuses a value named twice', async () => {
    const res = await t.request({
      method: 'PUT',
      url: '/v1/catalog/attributes/color',
      body: {
        names: names('颜色', 'Colour'),
        values: [
          { code: 'pink', names: names('粉色', 'Pink') },
          { code: 'pink', names: names('粉红', 'Rose') },
        ],
      },
      as: OPS,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      code: 'CATALOG.VALUE_REPEATED',
      params: { value: 'pink' },
      errors: [{ path: 'values[1].code', message: 'repeats values[0].code' }],
    });
  });
});
