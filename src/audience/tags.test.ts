import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { guideOf, startTestApp, type TestApp } from '../../test/helpers/app.js';

// Tags over HTTP: manual tags with history (an exclusive group replaces), rule tags that set and take off themselves
// as members' traits change, tags fed by a trial's result and by a purchased SKU's attributes, a merge moving tags,
// the 360 view listing them, and every refusal with its code.

let t: TestApp;
const HEADER = 'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country';
let seq = 0;

async function waitFor(check: () => Promise<void>) {
  await vi.waitFor(check, { timeout: 20_000, interval: 100 });
}

const newMember = async (value = `7${String(++seq).padStart(5, '0')}${Date.now() % 100_000}`) =>
  (
    await t.request({
      method: 'POST',
      url: '/v1/identify',
      body: { identifiers: [{ type: 'card', value }], channel: 'pos' },
    })
  ).json().memberId as string;

/** Imports one history order of `sku` for a card and waits until it is in. */
async function importOrder(invoice: string, sku: string, card: string, price = '10.00') {
  const res = await t.request({
    method: 'POST',
    url: '/v1/imports/orders?format=online_retail&timezone=UTC',
    headers: { 'content-type': 'text/csv' },
    body: `${HEADER}\n${invoice},${sku},ITEM ${sku},1,2011-05-01 10:00,${price},${card}.0,United Kingdom\n`,
  });
  expect(res.statusCode, res.body).toBe(202);
  await waitFor(async () => {
    const status = (await t.request({ method: 'GET', url: `/v1/imports/${res.json().id}` })).json().status;
    if (status !== 'completed') throw new Error(status);
  });
}

const tagsOf = async (memberId: string) =>
  (await t.request({ method: 'GET', url: `/v1/members/${memberId}/tags` })).json();
const codes = async (memberId: string) =>
  (await tagsOf(memberId)).items.map((i: { code: string }) => i.code).sort();

beforeAll(async () => {
  t = await startTestApp();
  for (const group of [
    { code: 'skin_type', names: { 'zh-CN': '肤质', 'en-US': 'Skin type' }, exclusive: true, position: 1 },
    { code: 'size', names: { 'zh-CN': '尺码', 'en-US': 'Size' }, exclusive: true, position: 2 },
    { code: 'interest', names: { 'zh-CN': '兴趣', 'en-US': 'Interests' }, exclusive: false, position: 3 },
  ]) {
    expect((await t.request({ method: 'POST', url: '/v1/tag-groups', body: group })).statusCode).toBe(201);
  }
  const tags = [
    { code: 'dry', name: '干性', group: 'skin_type', feed: { key: 'skinType', value: 'dry' } },
    { code: 'oily', name: '油性', group: 'skin_type', feed: { key: 'skinType', value: 'oily' } },
    { code: 'size_m', name: 'M', group: 'size', feed: { key: 'size', value: 'M' } },
    {
      code: 'fragrance_fan',
      names: { 'zh-CN': '香水爱好者', 'en-US': 'Fragrance fan' },
      name: 'x',
      group: 'interest',
    },
  ];
  for (const tag of tags) {
    const made = await t.request({ method: 'POST', url: '/v1/tags', body: tag });
    expect(made.statusCode, made.body).toBe(201);
  }
}, 60_000);
afterAll(() => t.close());

describe('tags', () => {
  it('are set and taken off by hand, with who did it; an exclusive group keeps one', async () => {
    const member = await newMember();
    const set = await t.request({ method: 'PUT', url: `/v1/members/${member}/tags/dry` });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json().items).toMatchObject([{ code: 'dry', source: 'manual', group: 'skin_type' }]);
    // A guide says her skin is oily after all: dry goes.
    const guide = guideOf('SH01');
    const oily = await t.request({ method: 'PUT', url: `/v1/members/${member}/tags/oily`, as: guide });
    expect(oily.statusCode, oily.body).toBe(200);
    expect(oily.json().items.map((i: { code: string }) => i.code)).toEqual(['oily']);
    expect(oily.json().items[0].setBy).toBe(`guide:${guide.subject}`);
    // Twice is once.
    expect((await t.request({ method: 'PUT', url: `/v1/members/${member}/tags/oily` })).statusCode).toBe(200);
    await t.request({ method: 'PUT', url: `/v1/members/${member}/tags/fragrance_fan` });
    const removed = await t.request({ method: 'DELETE', url: `/v1/members/${member}/tags/oily` });
    expect(removed.json().items.map((i: { code: string }) => i.code)).toEqual(['fragrance_fan']);
    expect(
      removed.json().history.map((h: { code: string; action: string }) => `${h.action} ${h.code}`),
    ).toEqual(['removed oily', 'set fragrance_fan', 'set oily', 'removed dry', 'set dry']);
    // The 360 view lists them.
    const view = (await t.request({ method: 'GET', url: `/v1/members/${member}` })).json();
    expect(view.tags.map((i: { code: string }) => i.code)).toEqual(['fragrance_fan']);
  });

  it('refuses unknown tags and members, rule tags by hand, and rules it cannot keep', async () => {
    const member = await newMember();
    const unknown = await t.request({ method: 'PUT', url: `/v1/members/${member}/tags/nope` });
    expect([unknown.statusCode, unknown.json().code]).toEqual([404, 'TAG.NOT_FOUND']);
    const nobody = await t.request({ method: 'PUT', url: '/v1/members/mem_nobody/tags/dry' });
    expect([nobody.statusCode, nobody.json().code]).toEqual([404, 'MEMBER.NOT_FOUND']);
    const taken = await t.request({ method: 'POST', url: '/v1/tags', body: { code: 'dry', name: 'again' } });
    expect([taken.statusCode, taken.json().code]).toEqual([409, 'TAG.CODE_TAKEN']);
    const cases: [object, string][] = [
      [{ code: 'x1', name: 'x', group: 'nope' }, 'TAG.GROUP_NOT_FOUND'],
      [{ code: 'x2', name: 'x', rule: { tag: 'dry' } }, 'TAG.RULE_READS_TAGS'],
      [
        {
          code: 'x3',
          name: 'x',
          rule: { trait: 'orderCount', op: '>', value: 0 },
          feed: { key: 'a', value: 'b' },
        },
        'TAG.RULE_OR_FEED',
      ],
      [
        { code: 'x4', name: 'x', group: 'size', rule: { trait: 'orderCount', op: '>', value: 0 } },
        'TAG.RULE_IN_EXCLUSIVE_GROUP',
      ],
      [{ code: 'x5', name: 'x', rule: { trait: 'orderCount', op: 'in', value: 1 } }, 'SEGMENT.RULE_INVALID'],
    ];
    for (const [body, code] of cases) {
      const res = await t.request({ method: 'POST', url: '/v1/tags', body });
      expect([res.statusCode, res.json().code], JSON.stringify(body)).toEqual([
        code.includes('NOT_FOUND') ? 404 : 400,
        code,
      ]);
    }
    const rule = await t.request({
      method: 'POST',
      url: '/v1/tags',
      body: { code: 'buyer', name: '有购买', rule: { trait: 'orderCount', op: '>', value: 0 } },
    });
    expect(rule.statusCode, rule.body).toBe(201);
    const byHand = await t.request({ method: 'PUT', url: `/v1/members/${member}/tags/buyer` });
    expect([byHand.statusCode, byHand.json().code]).toEqual([409, 'TAG.SET_BY_RULE']);
  });

  it('a rule tag follows her traits: set when she matches, taken off when she no longer does', async () => {
    const made = await t.request({
      method: 'POST',
      url: '/v1/tags',
      body: { code: 'big_spender', name: '高消费', rule: { trait: 'spend', op: '>=', value: 10_000 } },
    });
    expect(made.statusCode, made.body).toBe(201);
    await importOrder('820001', 'RT1', '61001', '150.00');
    const member = await newMember('61001');
    await waitFor(async () => expect(await codes(member)).toContain('big_spender'));
    const held = (await tagsOf(member)).items.find((i: { code: string }) => i.code === 'big_spender');
    expect(held).toMatchObject({ source: 'rule', setBy: 'rule:big_spender' });
    // The rule is raised above her spend: the tag comes off at once.
    const raised = await t.request({
      method: 'PUT',
      url: '/v1/tags/big_spender',
      body: { code: 'big_spender', name: '高消费', rule: { trait: 'spend', op: '>=', value: 100_000 } },
    });
    expect(raised.statusCode, raised.body).toBe(200);
    expect(raised.json().members).toBe(0);
    const one = await t.request({ method: 'GET', url: '/v1/tags/big_spender' });
    expect(one.json()).toMatchObject({
      code: 'big_spender',
      rule: { trait: 'spend', op: '>=', value: 100_000 },
    });
    expect(await codes(member)).not.toContain('big_spender');
  });

  it('is fed by a trial result and by a purchased SKU attribute; a later trial replaces in its group', async () => {
    await t.request({
      method: 'POST',
      url: '/v1/locations',
      body: { code: 'TG01', name: 'T', kind: 'store', city: '上海', lat: 31.2, lng: 121.4 },
    });
    await t.request({
      method: 'POST',
      url: '/v1/products',
      body: {
        code: 'CRM',
        name: '面霜',
        category: 'skincare',
        skus: [{ code: 'CRM-1', name: '面霜', price: 100 }],
      },
    });
    const member = await newMember('62001');
    const trial = async (skinType: string) => {
      const res = await t.request({
        method: 'POST',
        url: '/v1/experiences',
        body: { memberId: member, store: 'TG01', sku: 'CRM-1', kind: 'trial', result: { skinType } },
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().id as string;
    };
    const first = await trial('dry');
    await waitFor(async () => expect(await codes(member)).toEqual(['dry']));
    expect((await tagsOf(member)).items[0]).toMatchObject({ source: 'trial', setBy: `trial:${first}` });
    await trial('oily');
    await waitFor(async () => expect(await codes(member)).toEqual(['oily']));

    // A purchase of a SKU whose size is M.
    await importOrder('820002', 'SZ1', '62001');
    const patched = await t.request({
      method: 'PATCH',
      url: '/v1/skus/SZ1',
      body: { attributes: { size: 'M' } },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    await importOrder('820003', 'SZ1', '62001');
    // (She bought: the rule tag of buyers from the test before is hers too.)
    await waitFor(async () => expect(await codes(member)).toEqual(['buyer', 'oily', 'size_m']));
    const size = (await tagsOf(member)).items.find((i: { code: string }) => i.code === 'size_m');
    expect(size.source).toBe('import');
  });

  it('moves with a merge to the member who stays, and a deleted tag leaves everyone', async () => {
    const digits = String(Date.now()).slice(-8);
    const phone = `+86139${digits}`;
    const identifyWith = async (identifiers: object[]) =>
      (
        await t.request({ method: 'POST', url: '/v1/identify', body: { identifiers, channel: 'pos' } })
      ).json();
    const a = (await identifyWith([{ type: 'phone', value: phone, verified: true }])).memberId as string;
    const b = (await identifyWith([{ type: 'unionid', value: `oUnion${digits}` }])).memberId as string;
    await t.request({ method: 'PUT', url: `/v1/members/${b}/tags/fragrance_fan` });
    const merged = await identifyWith([
      { type: 'phone', value: phone, verified: true },
      { type: 'unionid', value: `oUnion${digits}` },
    ]);
    expect(merged.mergedFrom, JSON.stringify(merged)).toEqual([b]);
    await waitFor(async () => expect(await codes(a)).toEqual(['fragrance_fan']));

    const gone = await t.request({ method: 'DELETE', url: '/v1/tags/fragrance_fan' });
    expect(gone.statusCode, gone.body).toBe(200);
    expect(await codes(a)).toEqual([]);
    const list = (await t.request({ method: 'GET', url: '/v1/tags' })).json();
    expect(list.items.map((i: { code: string }) => i.code)).not.toContain('fragrance_fan');
  });
});
