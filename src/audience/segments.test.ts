import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { createNetwork } from '../../test/helpers/inventory.js';

// Segments over HTTP: each kind of rule alone and combined, preview and definition, members and a consent-limited
// export; membership kept current as a trial arrives (segment.entered); store staff reading them, masked; and refused
// rules.

let t: TestApp;
const HEADER = 'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country';
const member: Record<string, string> = {};

async function waitFor(check: () => Promise<void>) {
  await vi.waitFor(check, { timeout: 20_000, interval: 100 });
}

beforeAll(async () => {
  t = await startTestApp();
  // Three customers: 50001 bought three times, 50002 once, 50003 never (she only identified herself).
  const rows = [
    `810001,A,ITEM,1,2011-05-01 10:00,10.00,50001.0,United Kingdom`,
    `810002,A,ITEM,1,2011-06-01 10:00,10.00,50001.0,United Kingdom`,
    `810003,B,ITEM,2,2011-07-01 10:00,30.00,50001.0,United Kingdom`,
    `810004,A,ITEM,1,2011-07-02 10:00,10.00,50002.0,United Kingdom`,
  ];
  const res = await t.request({
    method: 'POST',
    url: '/v1/imports/orders?format=online_retail&timezone=UTC',
    headers: { 'content-type': 'text/csv' },
    body: `${HEADER}\n${rows.join('\n')}\n`,
  });
  await waitFor(async () => {
    if (
      (await t.request({ method: 'GET', url: `/v1/imports/${res.json().id}` })).json().status !== 'completed'
    )
      throw new Error('importing');
  });
  for (const card of ['50001', '50002', '50003']) await identify(card);
  await waitFor(async () => {
    const rows = await t.runtime.database.db.selectFrom('member_traits').select('member_id').execute();
    if (rows.length < 2) throw new Error('traits');
  });
  // 50002 and 50003 said yes to marketing; 50002 changed her mind.
  for (const [card, granted] of [
    ['50002', true],
    ['50003', true],
    ['50002', false],
  ] as const) {
    const consent = await t.request({
      method: 'PUT',
      url: `/v1/members/${member[card]}/consents/marketing`,
      body: { granted, channel: 'pos' },
    });
    expect(consent.statusCode, consent.body).toBe(200);
  }
  await tagVip(member['50003']!);
}, 60_000);
afterAll(() => t.close());

async function identify(card: string) {
  member[card] = (
    await t.request({
      method: 'POST',
      url: '/v1/identify',
      body: { identifiers: [{ type: 'card', value: card }], channel: 'pos' },
    })
  ).json().memberId;
}

/** The tag `vip`, not defined in the catalogue: rules may name any tag code. */
async function tagVip(memberId: string) {
  await t.runtime.database.db
    .insertInto('member_tags')
    .values({
      member_id: memberId,
      tag_code: 'vip',
      source: 'manual',
      set_by: 'ops',
      set_at: new Date().toISOString(),
    })
    .execute();
}

const previewed = async (rule: object) => {
  const res = await t.request({ method: 'POST', url: '/v1/segments/preview', body: { rule } });
  expect(res.statusCode, res.body).toBe(200);
  return {
    count: res.json().count as number,
    sample: res.json().sample.map((m: { memberId: string }) => m.memberId) as string[],
  };
};
const preview = async (rule: object) => new Set((await previewed(rule)).sample);
const is = (...cards: string[]) => new Set(cards.map((c) => member[c]));

describe('segments', () => {
  it('match each kind of rule, alone and combined', async () => {
    expect(await preview({ trait: 'orderCount', op: '>=', value: 2 })).toEqual(is('50001'));
    expect(await preview({ trait: 'orderCount', op: '=', value: 0 })).toEqual(is('50003'));
    expect(await preview({ trait: 'spend', op: 'between', value: [1000, 1000] })).toEqual(is('50002'));
    expect(await preview({ trait: 'lastOrderAt', op: '<', value: '2011-07-02T00:00:00Z' })).toEqual(
      is('50001'),
    );
    expect(await preview({ trait: 'lastOrderAt', op: '<', value: 'P365D' })).toEqual(is('50001', '50002'));
    expect(await preview({ tag: 'vip' })).toEqual(is('50003'));
    expect(await preview({ consent: 'marketing' })).toEqual(is('50003'));
    expect(await preview({ rfm: { scheme: 'quintile', segment: 'champions' } })).toEqual(new Set());
    expect(
      await preview({
        all: [
          { trait: 'orderCount', op: '>', value: 0 },
          { not: { trait: 'orderCount', op: '>=', value: 2 } },
        ],
      }),
    ).toEqual(is('50002'));
    expect(await preview({ any: [{ tag: 'vip' }, { trait: 'spend', op: '>', value: 5000 }] })).toEqual(
      is('50001', '50003'),
    );
    expect(await preview({ event: 'order.imported', within: 'P3650D' })).toEqual(new Set());
  });

  it('is defined with its members, exported with consent, and followed as trials arrive', async () => {
    const made = await t.request({
      method: 'POST',
      url: '/v1/segments',
      body: { name: '近期试用', rule: { event: 'experience.recorded', within: 'P30D' } },
    });
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json()).toMatchObject({ name: '近期试用', count: 0 });
    const segment = made.json().id as string;

    // She tries a lipstick in store: the trial becomes her activity, and she enters the segment.
    await t.request({
      method: 'POST',
      url: '/v1/locations',
      body: { code: 'SG01', name: 'S', kind: 'store', city: '上海', lat: 31.2, lng: 121.4 },
    });
    await t.request({
      method: 'POST',
      url: '/v1/products',
      body: {
        code: 'LIP',
        name: '唇膏',
        category: 'lipstick',
        skus: [{ code: 'LIP-1', name: '唇膏', price: 100 }],
      },
    });
    const trial = await t.request({
      method: 'POST',
      url: '/v1/experiences',
      body: { memberId: member['50003'], store: 'SG01', sku: 'LIP-1', kind: 'trial' },
    });
    expect(trial.statusCode, trial.body).toBe(201);
    await waitFor(async () => {
      const s = (await t.request({ method: 'GET', url: `/v1/segments/${segment}` })).json();
      if (s.count !== 1) throw new Error(`count ${s.count}`);
    });
    const entered = await t.runtime.database.db
      .selectFrom('outbox_events')
      .select('payload')
      .where('type', '=', 'segment.entered')
      .execute();
    expect(entered.map((e) => JSON.parse(String(e.payload)))).toEqual([
      { segmentId: segment, memberId: member['50003'] },
    ]);
    const members = (await t.request({ method: 'GET', url: `/v1/segments/${segment}/members` })).json();
    expect(members.items.map((m: { memberId: string }) => m.memberId)).toEqual([member['50003']]);

    // A segment of buyers, exported whole and limited to those who agreed to marketing (50002 withdrew).
    const buyers = (
      await t.request({
        method: 'POST',
        url: '/v1/segments',
        body: { name: '有购买', rule: { trait: 'orderCount', op: '>', value: 0 } },
      })
    ).json();
    expect(buyers.count).toBe(2);
    const all = await t.request({ method: 'GET', url: `/v1/segments/${buyers.id}/export` });
    expect(all.headers['content-type']).toContain('text/csv');
    expect(all.body.trim().split('\n')).toHaveLength(3);
    const consented = await t.request({
      method: 'GET',
      url: `/v1/segments/${buyers.id}/export?consent=marketing`,
    });
    expect(consented.body.trim().split('\n')).toHaveLength(1);
    // 50002 says yes again: she is in the export now.
    await t.request({
      method: 'PUT',
      url: `/v1/members/${member['50002']}/consents/marketing`,
      body: { granted: true, channel: 'pos' },
    });
    const again = await t.request({
      method: 'GET',
      url: `/v1/segments/${buyers.id}/export?consent=marketing`,
    });
    expect(again.body).toContain('"50002"');
    expect((await t.request({ method: 'GET', url: '/v1/segments' })).json().items).toHaveLength(2);
    // Redefined: its members found again; then deleted.
    const renamed = await t.request({
      method: 'PUT',
      url: `/v1/segments/${buyers.id}`,
      body: { name: '常购', rule: { trait: 'orderCount', op: '>=', value: 2 } },
    });
    expect(renamed.json()).toMatchObject({ name: '常购', count: 1 });
    expect((await t.request({ method: 'DELETE', url: `/v1/segments/${buyers.id}` })).json()).toMatchObject({
      name: '常购',
    });
    expect((await t.request({ method: 'GET', url: `/v1/segments/${buyers.id}` })).statusCode).toBe(404);
  });

  it('filter the member list, as tags, RFM scores and tiers do', async () => {
    const ids = async (query: string) => {
      const res = await t.request({ method: 'GET', url: `/v1/members?${query}` });
      expect(res.statusCode, res.body).toBe(200);
      return new Set(res.json().items.map((m: { id: string }) => m.id));
    };
    const frequent = (
      await t.request({
        method: 'POST',
        url: '/v1/segments',
        body: { name: '多次购买', rule: { trait: 'orderCount', op: '>=', value: 2 } },
      })
    ).json();
    expect(await ids(`segment=${frequent.id}`)).toEqual(is('50001'));
    expect(await ids('tag=vip')).toEqual(is('50003'));
    expect(await ids(`tag=vip&segment=${frequent.id}`)).toEqual(new Set());
    const run = await t.request({
      method: 'POST',
      url: '/v1/rfm/runs',
      body: { scheme: 'quintile', asOf: '2011-12-10T00:00:00Z' },
    });
    expect(run.statusCode, run.body).toBe(201);
    const scores = await t.request({ method: 'GET', url: `/v1/members/${member['50001']}/rfm` });
    const segment = scores.json().find((s: { scheme: string }) => s.scheme === 'quintile').segment as string;
    expect(await ids(`rfm=quintile:${segment}`)).toContain(member['50001']);
    expect(await ids('rfm=eight_class:champions')).toEqual(new Set());
    const base = (await t.request({ method: 'GET', url: '/v1/loyalty/tiers' })).json().items[0].code;
    const inBase = await ids(`tier=${base}`);
    expect([...is('50001', '50002', '50003')].every((m) => inBase.has(m))).toBe(true);
    expect(await ids('tier=no_such_tier')).toEqual(new Set());
    const bad = await t.request({ method: 'GET', url: '/v1/members?rfm=champions' });
    expect([bad.statusCode, bad.json().code]).toEqual([400, 'REQUEST.INVALID']);
  });

  it('are read by store staff with their members masked, and defined and exported by HQ only', async () => {
    const guide = { role: 'guide', subject: 'guide-segments', storeCode: 'SG01' } as const;
    // 50001 (three orders) gives her phone at the counter: the same member, One ID.
    const phone = '+8613800138123';
    const joined = await t.request({
      method: 'POST',
      url: '/v1/identify',
      body: {
        identifiers: [
          { type: 'card', value: '50001' },
          { type: 'phone', value: phone },
        ],
        channel: 'pos',
      },
    });
    expect(joined.json().memberId).toBe(member['50001']);
    const rule = { trait: 'orderCount', op: '>=', value: 3 };
    const loyal = await t.request({ method: 'POST', url: '/v1/segments', body: { name: '常客', rule } });
    expect(loyal.statusCode, loyal.body).toBe(201);
    const id = loyal.json().id as string;
    const refused = [
      ['POST', '/v1/segments/preview', { rule }],
      ['POST', '/v1/segments', { name: '导购自建', rule }],
      ['PUT', `/v1/segments/${id}`, { name: '改名', rule }],
      ['DELETE', `/v1/segments/${id}`, undefined],
      ['GET', `/v1/segments/${id}/export`, undefined],
    ] as const;
    for (const [method, url, body] of refused) {
      const res = await t.request({ method, url, as: guide, ...(body ? { body } : {}) });
      expect([method, url, res.statusCode]).toEqual([method, url, 403]);
    }
    const listed = await t.request({ method: 'GET', url: '/v1/segments', as: guide });
    expect(listed.json().items.map((s: { id: string }) => s.id)).toContain(id);
    const one = await t.request({ method: 'GET', url: `/v1/segments/${id}`, as: guide });
    expect(one.json()).toMatchObject({ id, name: '常客', count: 1 });
    for (const url of [`/v1/segments/${id}/members`, `/v1/members?segment=${id}`]) {
      const res = await t.request({ method: 'GET', url, as: guide });
      expect(res.statusCode, res.body).toBe(200);
      const items = res.json().items as { memberId?: string; id?: string; phone: string }[];
      expect(items.map((m) => [m.memberId ?? m.id, m.phone])).toEqual([[member['50001'], '138****8123']]);
      expect(res.body).not.toContain('13800138123');
      expect(res.body).not.toContain('50001');
    }
  });

  it('over everyone, start from the sets a rule names, each member once, and leave out those no longer active', async () => {
    const card = '50004';
    await identify(card);
    await tagVip(member[card]!);
    await createNetwork(
      t,
      [{ code: 'SG04', kind: 'store', city: '上海', lat: 31.2, lng: 121.4 }],
      [{ code: 'EYE-1', price: 100 }],
      'EYE',
    );
    // Two trials: two rows of her activity, one member of the set.
    for (let i = 0; i < 2; i++) {
      const trial = await t.request({
        method: 'POST',
        url: '/v1/experiences',
        body: { memberId: member[card], store: 'SG04', sku: 'EYE-1', kind: 'trial' },
      });
      expect(trial.statusCode, trial.body).toBe(201);
    }
    const recent = { event: 'experience.recorded', within: 'P30D' };
    const rule = { all: [{ tag: 'vip' }, recent, { trait: 'orderCount', op: '=', value: 0 }] };
    const counted = async (r: object) => {
      const { count, sample } = await previewed(r);
      expect(count).toBe(new Set(sample).size);
      expect(sample).toHaveLength(new Set(sample).size);
      return new Set(sample);
    };
    await waitFor(async () => {
      const rows = await t.runtime.database.db
        .selectFrom('member_activity')
        .select('seq')
        .where('member_id', '=', member[card]!)
        .where('type', '=', 'experience.recorded')
        .execute();
      expect(rows).toHaveLength(2);
    });
    expect(await counted(recent)).toContain(member[card]);
    expect(await counted(rule)).toContain(member[card]);
    expect(await counted({ tag: 'vip' })).toEqual(is('50003', card));

    // Erased, she keeps an anonymised shell and her tag row; no segment counts her any more.
    const erased = await t.request({ method: 'POST', url: `/v1/members/${member[card]}/erase` });
    expect(erased.statusCode, erased.body).toBe(200);
    expect(await counted({ tag: 'vip' })).toEqual(is('50003'));
    expect(await counted(rule)).not.toContain(member[card]);
  });

  it('refuses rules it cannot read, naming where', async () => {
    const bad = await t.request({
      method: 'POST',
      url: '/v1/segments/preview',
      body: { rule: { all: [{ trait: 'city', op: '<', value: '上海' }] } },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'SEGMENT.RULE_INVALID', errors: [{ path: 'rule.all[0].op' }] });
    const schema = await t.request({
      method: 'POST',
      url: '/v1/segments/preview',
      body: { rule: { trait: 'shoeSize', op: '=', value: 1 } },
    });
    expect(schema.statusCode).toBe(400);
    expect((await t.request({ method: 'GET', url: '/v1/segments/seg_nope' })).json()).toMatchObject({
      code: 'SEGMENT.NOT_FOUND',
    });
  });
});
