import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelOf, guideOf, startTestApp, type TestApp } from '../../test/helpers/app.js';
import { createNetwork, setStock } from '../../test/helpers/inventory.js';
import { appendEvent, newId } from '../platform/index.js';

let t: TestApp;
let fan: string;
let shy: string;

beforeAll(async () => {
  t = await startTestApp();
  await createNetwork(
    t,
    [
      { code: 'SH01', kind: 'store', city: '上海', lat: 31.22, lng: 121.45 },
      { code: 'SH02', kind: 'store', city: '上海', lat: 31.19, lng: 121.43 },
      { code: 'WH1', kind: 'warehouse', city: '上海', lat: 31.1, lng: 121.3 },
    ],
    ['A', 'B', 'C', 'D', 'E', 'F'].map((x) => ({ code: `EXP-${x}`, price: 10_000 })),
  );
  for (const sku of ['A', 'B', 'C', 'D', 'F']) await setStock(t, `EXP-${sku}`, 'WH1', 10);
  await setStock(t, 'EXP-E', 'WH1', 0);
  fan = await identify('13922220001');
  shy = await identify('13922220002');
  const consent = await t.request({
    method: 'PUT',
    url: `/v1/members/${fan}/consents/personalization`,
    body: { granted: true, channel: 'mini_program' },
  });
  expect(consent.statusCode, consent.body).toBe(200);
});
afterAll(() => t.close());

async function identify(phone: string): Promise<string> {
  const res = await t.request({
    method: 'POST',
    url: '/v1/identify',
    body: { identifiers: [{ type: 'phone', value: phone, verified: true }], channel: 'pos' },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().memberId;
}

async function complete(memberId: string | null, skus: string[]): Promise<void> {
  const orderId = newId('ord');
  const lines = skus.map((sku, i) => ({
    lineNo: i + 1,
    sku,
    category: 'lipstick',
    quantity: 1,
    unitPrice: 10_000,
    discountAmount: 0,
    pointsAmount: 0,
    paidAmount: 10_000,
  }));
  await t.runtime.database.transaction((trx) =>
    appendEvent(trx, {
      type: 'order.completed',
      stream: `order:${orderId}`,
      payload: {
        orderId,
        channel: 'online',
        storeCode: null,
        memberId,
        completedAt: new Date().toISOString(),
        lines,
        paidAmount: lines.length * 10_000,
      },
    }),
  );
}

describe('experiences', () => {
  it('records trials from a guide at their store and from a device, refusing another store', async () => {
    const trial = await t.request({
      method: 'POST',
      url: '/v1/experiences',
      body: { memberId: fan, store: 'SH01', sku: 'EXP-A', kind: 'trial', result: { shadeChosen: '999' } },
      as: guideOf('SH01'),
    });
    expect(trial.statusCode, trial.body).toBe(201);
    expect(trial.json()).toMatchObject({
      memberId: fan,
      store: 'SH01',
      guide: 'sh01.guide',
      kind: 'trial',
      result: { shadeChosen: '999' },
    });
    const elsewhere = await t.request({
      method: 'POST',
      url: '/v1/experiences',
      body: { memberId: fan, store: 'SH01', sku: 'EXP-A', kind: 'trial' },
      as: guideOf('SH02'),
    });
    expect(elsewhere.statusCode).toBe(403);
    const mirror = await t.request({
      method: 'POST',
      url: '/v1/experiences',
      body: { memberId: fan, store: 'SH01', sku: 'EXP-B', kind: 'try_on' },
      as: channelOf('pos'),
    });
    expect(mirror.statusCode, mirror.body).toBe(201);
    const warehouse = await t.request({
      method: 'POST',
      url: '/v1/experiences',
      body: { memberId: fan, store: 'WH1', sku: 'EXP-B', kind: 'trial' },
    });
    expect(warehouse.json().code).toBe('EXPERIENCE.NOT_A_STORE');
    const unknown = await t.request({
      method: 'POST',
      url: '/v1/experiences',
      body: { memberId: fan, store: 'SH01', sku: 'NOPE', kind: 'trial' },
    });
    expect(unknown.statusCode).toBe(404);
    // The shy member tried A too; without consent it must not shape their list.
    await t.request({
      method: 'POST',
      url: '/v1/experiences',
      body: { memberId: shy, store: 'SH01', sku: 'EXP-A', kind: 'trial' },
      as: guideOf('SH01'),
    });
    const events = await t.runtime.database.db
      .selectFrom('outbox_events')
      .select(['type', 'location'])
      .where('type', '=', 'experience.recorded')
      .execute();
    expect(events).toHaveLength(3);
    expect(events.every((e) => e.location === 'SH01')).toBe(true);
  });

  it("shows a store's staff only their own store's trials in the 360 view", async () => {
    const here = (await t.request({ method: 'GET', url: `/v1/members/${fan}`, as: guideOf('SH01') })).json();
    expect(here.experiences.map((e: { store: string }) => e.store)).toEqual(['SH01', 'SH01']);
    const there = (await t.request({ method: 'GET', url: `/v1/members/${fan}`, as: guideOf('SH02') })).json();
    expect(there.experiences).toEqual([]);
    const hq = (await t.request({ method: 'GET', url: `/v1/members/${fan}` })).json();
    expect(hq.experiences).toHaveLength(2);
  });

  it('saves favourites by scanning, once per SKU', async () => {
    const customer = { role: 'customer' as const, subject: fan, memberId: fan, storeCode: null };
    const first = await t.request({
      method: 'POST',
      url: `/v1/members/${fan}/favourites`,
      body: { sku: 'EXP-C', store: 'SH01' },
      as: customer,
    });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ sku: 'EXP-C', store: 'SH01', created: true });
    const again = await t.request({
      method: 'POST',
      url: `/v1/members/${fan}/favourites`,
      body: { sku: 'EXP-C' },
      as: customer,
    });
    expect(again.json()).toMatchObject({ id: first.json().id, created: false });
    const notMine = await t.request({
      method: 'POST',
      url: `/v1/members/${shy}/favourites`,
      body: { sku: 'EXP-C' },
      as: customer,
    });
    expect(notMine.statusCode).toBe(403);
    const view = (await t.request({ method: 'GET', url: `/v1/members/${fan}` })).json();
    expect(view.experiences.map((e: { sku: string }) => e.sku).sort()).toEqual(['EXP-A', 'EXP-B']);
    expect(view.favourites.map((f: { sku: string }) => f.sku)).toEqual(['EXP-C']);
    const own = await t.request({ method: 'GET', url: `/v1/members/${fan}/favourites`, as: customer });
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json().items).toEqual([
      expect.objectContaining({ id: first.json().id, sku: 'EXP-C', store: 'SH01' }),
    ]);
    expect(
      (await t.request({ method: 'GET', url: `/v1/members/${shy}/favourites`, as: customer })).statusCode,
    ).toBe(403);
  });

  it('recommends tried, saved and bought-together SKUs in stock, with consent only', async () => {
    await complete(fan, ['EXP-B']);
    await complete(null, ['EXP-B', 'EXP-D']);
    await complete(await identify('13922220003'), ['EXP-B', 'EXP-D']);
    await complete(await identify('13922220004'), ['EXP-B', 'EXP-E', 'EXP-F']);
    const deadline = Date.now() + 8000;
    while (Date.now() < deadline) {
      const rows = await t.runtime.database.db.selectFrom('experience_purchases').select('id').execute();
      if (rows.length === 8) break;
      await new Promise((r) => setTimeout(r, 50));
    }

    const customer = { role: 'customer' as const, subject: fan, memberId: fan, storeCode: null };
    const res = await t.request({ method: 'GET', url: `/v1/members/${fan}/recommendations`, as: customer });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.personalized).toBe(true);
    // B was tried and then bought: not recommended. E is out of stock. A: tried, C: saved, D: bought with B twice.
    expect(body.items.map((i: { sku: string; reason: string }) => [i.sku, i.reason])).toEqual([
      ['EXP-A', 'tried_in_store'],
      ['EXP-C', 'favourited'],
      ['EXP-D', 'bought_together'],
      ['EXP-F', 'bought_together'],
    ]);
    expect(body.items[0]).toMatchObject({ store: 'SH01', available: 10 });

    const anonymous = (await t.request({ method: 'GET', url: `/v1/members/${shy}/recommendations` })).json();
    expect(anonymous.personalized).toBe(false);
    expect(anonymous.items.map((i: { sku: string; reason: string }) => [i.sku, i.reason])).toEqual([
      ['EXP-B', 'bestseller'],
      ['EXP-D', 'bestseller'],
      ['EXP-F', 'bestseller'],
    ]);

    // Withdrawal holds at once.
    await t.request({
      method: 'PUT',
      url: `/v1/members/${fan}/consents/personalization`,
      body: { granted: false, channel: 'mini_program' },
    });
    const withdrawn = (await t.request({ method: 'GET', url: `/v1/members/${fan}/recommendations` })).json();
    expect(withdrawn.personalized).toBe(false);
    expect(withdrawn.items.every((i: { reason: string }) => i.reason === 'bestseller')).toBe(true);

    // Stock decides per channel: once D is gone, it is not offered.
    await setStock(t, 'EXP-D', 'WH1', 0);
    const afterSellOut = (
      await t.request({ method: 'GET', url: `/v1/members/${shy}/recommendations` })
    ).json();
    expect(afterSellOut.items.map((i: { sku: string }) => i.sku)).toEqual(['EXP-B', 'EXP-F']);
  });

  it('takes a favourite off when she changes her mind, and says so', async () => {
    const customer = { role: 'customer' as const, subject: shy, memberId: shy, storeCode: null };
    const url = `/v1/members/${shy}/favourites`;
    await t.request({ method: 'POST', url, body: { sku: 'EXP-F' }, as: customer });
    await t.request({ method: 'POST', url, body: { sku: 'EXP-D', store: 'SH01' }, as: customer });
    const removed = await t.request({ method: 'DELETE', url: `${url}/EXP-F`, as: customer });
    expect(removed.statusCode, removed.body).toBe(200);
    expect(removed.json().items.map((f: { sku: string }) => f.sku)).toEqual(['EXP-D']);
    // Again, or one never saved: nothing changes.
    const again = await t.request({ method: 'DELETE', url: `${url}/EXP-F`, as: customer });
    expect(again.json().items.map((f: { sku: string }) => f.sku)).toEqual(['EXP-D']);
    const notHers = await t.request({
      method: 'DELETE',
      url: `/v1/members/${fan}/favourites/EXP-C`,
      as: customer,
    });
    expect(notHers.statusCode).toBe(403);
    const events = await t.runtime.database.db
      .selectFrom('outbox_events')
      .select('payload')
      .where('type', '=', 'experience.favourite_removed')
      .execute();
    expect(events.map((e) => JSON.parse(String(e.payload)))).toEqual([
      expect.objectContaining({ memberId: shy, sku: 'EXP-F' }),
    ]);
  });

  it('describes its routes and the loyalty routes in OpenAPI', async () => {
    const spec = (await t.request({ method: 'GET', url: '/openapi.json', as: null })).json();
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        '/v1/experiences',
        '/v1/members/{id}/recommendations',
        '/v1/members/{id}/favourites',
        '/v1/members/{id}/points',
        '/v1/coupons/{code}/redeem',
        '/v1/coupon-templates',
        '/v1/loyalty/tiers',
        '/v1/loyalty/rules',
      ]),
    );
  });
});
