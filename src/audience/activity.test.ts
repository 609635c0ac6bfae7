import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelOf, startTestApp, type TestApp } from '../../test/helpers/app.js';
import { newId } from '../platform/index.js';
import { PURGE_CHUNK, purgeChunk } from './activity.settings.js';

// POST /v1/track: each bad event refused alone with its code, the rest recorded in one go; anonymous devices
// joined to the member on identify; her rows following a merge; the retention and its purge — on both engines.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

let phones = 13_900_000_000 + Math.floor(Math.random() * 90_000_000);
async function identify(identifiers: object[]): Promise<{ memberId: string; mergedFrom: string[] }> {
  const res = await t.request({
    method: 'POST',
    url: '/v1/identify',
    body: { identifiers, channel: 'online' },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}
const newMember = async () => (await identify([{ type: 'phone', value: String(phones++) }])).memberId;

async function track(events: object[], as: Parameters<TestApp['request']>[0]['as'] = 'admin') {
  return t.request({ method: 'POST', url: '/v1/track', body: { events }, as });
}

async function rowsOf(where: { memberId?: string; anonymousId?: string }) {
  let q = t.runtime.database.db.selectFrom('member_activity').selectAll().orderBy('seq');
  if (where.memberId) q = q.where('member_id', '=', where.memberId);
  if (where.anonymousId) q = q.where('anonymous_id', '=', where.anonymousId);
  return q.execute();
}

describe('POST /v1/track', () => {
  it('records the good events and refuses each bad one with its code', async () => {
    const ann = await newMember();
    const hour = 3_600_000;
    const res = await track([
      {
        type: 'product_viewed',
        memberId: ann,
        channel: 'mini_program',
        sku: 'LIP-01',
        properties: { from: 'feed' },
      },
      { type: 'cart_added', channel: 'mini_program', sku: 'LIP-01' },
      { type: 'teleported', memberId: ann, channel: 'mini_program' },
      { type: 'order.completed', memberId: ann, channel: 'mini_program' },
      { type: 'searched', memberId: 'mem_nobody', channel: 'mini_program' },
      { type: 'searched', memberId: ann, channel: 'carrier_pigeon' },
      {
        type: 'page_viewed',
        memberId: ann,
        channel: 'online',
        occurredAt: new Date(Date.now() + hour).toISOString(),
      },
      { type: 'page_viewed', memberId: ann, channel: 'online', occurredAt: '2020-01-01T00:00:00Z' },
      { type: 'searched', memberId: ann, channel: 'online', properties: { q: 'x'.repeat(3000) } },
      {
        type: 'share_clicked',
        memberId: ann,
        anonymousId: 'Device-ABC-123',
        channel: 'online',
        occurredAt: new Date(Date.now() - hour).toISOString(),
      },
    ]);
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toEqual({
      accepted: 2,
      rejected: [
        { index: 1, code: 'ACTIVITY.NO_SUBJECT' },
        { index: 2, code: 'ACTIVITY.UNKNOWN_TYPE' },
        { index: 3, code: 'ACTIVITY.FACT_TYPE' },
        { index: 4, code: 'ACTIVITY.UNKNOWN_MEMBER' },
        { index: 5, code: 'ACTIVITY.UNKNOWN_CHANNEL' },
        { index: 6, code: 'ACTIVITY.IN_FUTURE' },
        { index: 7, code: 'ACTIVITY.TOO_OLD' },
        { index: 8, code: 'ACTIVITY.PROPERTIES_TOO_LARGE' },
      ],
    });
    const rows = await rowsOf({ memberId: ann });
    expect(rows.map((r) => [r.type, r.sku, r.anonymous_id])).toEqual([
      ['product_viewed', 'LIP-01', null],
      ['share_clicked', null, 'device-abc-123'],
    ]);
    expect(JSON.parse(rows[0]!.properties!)).toEqual({ from: 'feed' });
    // One event for the batch, not one per row.
    const tracked = await t.runtime.database.db
      .selectFrom('outbox_events')
      .select('payload')
      .where('type', '=', 'activity.tracked')
      .execute();
    expect(tracked).toHaveLength(1);
    expect(JSON.parse(String(tracked[0]!.payload))).toEqual({ accepted: 2, members: 1, anonymous: 0 });
  });

  it('refuses a body that is not a batch of events, naming the field', async () => {
    const notArray = await t.request({ method: 'POST', url: '/v1/track', body: { events: {} } });
    expect(notArray.statusCode).toBe(400);
    expect(notArray.json().code).toBe('REQUEST.INVALID');
    expect(JSON.stringify(notArray.json().errors)).toContain('events');
    const many = Array.from({ length: 501 }, () => ({
      type: 'page_viewed',
      anonymousId: 'dev-000001',
      channel: 'online',
    }));
    expect((await track(many)).statusCode).toBe(400);
    const wrong = await track([
      { type: 'page_viewed', anonymousId: 'dev-000001', channel: 'online', sku: 7 },
    ]);
    expect(wrong.statusCode).toBe(400);
    expect(JSON.stringify(wrong.json().errors)).toContain('sku');
  });

  it('lets a customer track as herself only, and a channel key its own channel only', async () => {
    const ann = await newMember();
    const bob = await newMember();
    const her = { role: 'customer' as const, subject: ann, memberId: ann, storeCode: null };
    const res = await track(
      [
        { type: 'product_viewed', channel: 'mini_program', sku: 'A' },
        { type: 'product_viewed', memberId: bob, channel: 'mini_program', sku: 'B' },
      ],
      her,
    );
    expect(res.json()).toEqual({ accepted: 1, rejected: [{ index: 1, code: 'ACTIVITY.MEMBER_MISMATCH' }] });
    expect((await rowsOf({ memberId: ann })).map((r) => r.sku)).toEqual(['A']);
    const app = await track(
      [
        { type: 'page_viewed', memberId: bob, channel: 'mini_program' },
        { type: 'page_viewed', memberId: bob, channel: 'pos' },
      ],
      channelOf('mini_program'),
    );
    expect(app.json()).toEqual({ accepted: 1, rejected: [{ index: 1, code: 'ACTIVITY.CHANNEL_MISMATCH' }] });
    const guide = await track([{ type: 'page_viewed', memberId: bob, channel: 'pos' }], {
      role: 'guide',
      subject: 'g1',
      storeCode: 'SH01',
    });
    expect(guide.statusCode).toBe(403);
  });

  it('writes concurrent requests in one group commit, each with its own answer', async () => {
    const members = await Promise.all(Array.from({ length: 5 }, () => newMember()));
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, r) =>
        track(
          Array.from({ length: 50 }, (_, i) => ({
            type: 'product_viewed',
            memberId: i === 7 && r % 2 === 0 ? 'mem_missing' : members[(r + i) % 5],
            channel: 'online',
            sku: `SKU-${r}-${i}`,
          })),
        ),
      ),
    );
    answers.forEach((res, r) => {
      expect(res.statusCode).toBe(202);
      expect(res.json()).toEqual(
        r % 2 === 0
          ? { accepted: 49, rejected: [{ index: 7, code: 'ACTIVITY.UNKNOWN_MEMBER' }] }
          : { accepted: 50, rejected: [] },
      );
    });
    const counts = await Promise.all(members.map((m) => rowsOf({ memberId: m })));
    expect(counts.reduce((n, rows) => n + rows.length, 0)).toBe(20 * 50 - 10);
  });

  it('replays an answer for the same Idempotency-Key', async () => {
    const ann = await newMember();
    const key = newId('idem');
    const body = {
      events: [{ type: 'searched', memberId: ann, channel: 'online', properties: { q: '口红' } }],
    };
    const send = () =>
      t.request({ method: 'POST', url: '/v1/track', body, headers: { 'idempotency-key': key } });
    expect((await send()).json()).toEqual({ accepted: 1, rejected: [] });
    expect((await send()).json()).toEqual({ accepted: 1, rejected: [] });
    expect(await rowsOf({ memberId: ann })).toHaveLength(1);
  });
});

describe('devices and merges', () => {
  it('joins what a device did before identify to the member it is added to', async () => {
    const device = `dev-${newId('x').slice(-10)}`.toLowerCase();
    const before = await track([
      { type: 'product_viewed', anonymousId: device.toUpperCase(), channel: 'mini_program', sku: 'A' },
      { type: 'cart_added', anonymousId: device, channel: 'mini_program', sku: 'A' },
    ]);
    expect(before.json().accepted).toBe(2);
    const { memberId } = await identify([
      { type: 'phone', value: String(phones++) },
      { type: 'device', value: device },
    ]);
    await expect
      .poll(
        async () => (await rowsOf({ anonymousId: device })).filter((r) => r.member_id === memberId).length,
      )
      .toBe(2);
    const rows = await rowsOf({ anonymousId: device });
    expect(rows.map((r) => [r.type, r.member_id])).toEqual([
      ['product_viewed', memberId],
      ['cart_added', memberId],
    ]);
    const list = await t.request({ method: 'GET', url: `/v1/members/${memberId}/activity` });
    expect(list.json().items.map((i: { type: string }) => i.type)).toEqual(['cart_added', 'product_viewed']);
    expect(list.json().items[0].anonymousId).toBe(device);
    // Paged newest first; store staff see neither the device nor the app's properties; the 360 view shows it.
    const first = await t.request({ method: 'GET', url: `/v1/members/${memberId}/activity?limit=1` });
    expect(first.json().items.map((i: { type: string }) => i.type)).toEqual(['cart_added']);
    const next = await t.request({
      method: 'GET',
      url: `/v1/members/${memberId}/activity?limit=1&cursor=${first.json().nextCursor}`,
    });
    expect(next.json()).toMatchObject({ items: [{ type: 'product_viewed' }], nextCursor: null });
    const guide = await t.request({
      method: 'GET',
      url: `/v1/members/${memberId}/activity`,
      as: { role: 'guide', subject: 'g1', storeCode: 'SH01' },
    });
    expect(guide.statusCode, guide.body).toBe(200);
    expect(guide.json().items.map((i: { anonymousId: string | null }) => i.anonymousId)).toEqual([
      null,
      null,
    ]);
    const view = await t.request({ method: 'GET', url: `/v1/members/${memberId}` });
    expect(view.json().activity.items.map((i: { type: string }) => i.type)).toEqual([
      'cart_added',
      'product_viewed',
    ]);
    const filtered = await t.request({
      method: 'GET',
      url: `/v1/members/${memberId}/activity?type=product_viewed`,
    });
    expect(filtered.json().items).toHaveLength(1);
  });

  it('moves her activity to the surviving member on a merge', async () => {
    const phone = String(phones++);
    const openid = newId('oMp');
    const a = (await identify([{ type: 'phone', value: phone }])).memberId;
    const b = (await identify([{ type: 'openid', value: openid, appId: 'wx_mp' }])).memberId;
    await track([{ type: 'page_viewed', memberId: b, channel: 'mini_program' }]);
    const merged = await identify([
      { type: 'phone', value: phone },
      { type: 'openid', value: openid, appId: 'wx_mp' },
    ]);
    expect(merged.mergedFrom).toEqual([b]);
    expect((await rowsOf({ memberId: a })).map((r) => r.type)).toEqual(['page_viewed']);
    expect(await rowsOf({ memberId: b })).toEqual([]);
    // Tracking the merged-away id lands on the survivor.
    await track([{ type: 'searched', memberId: b, channel: 'mini_program' }]);
    expect((await rowsOf({ memberId: a })).map((r) => r.type)).toEqual(['page_viewed', 'searched']);
  });
});

describe('erasure', () => {
  it('forgets what she did in the apps when she is erased', async () => {
    const ann = await newMember();
    await track([{ type: 'searched', memberId: ann, anonymousId: 'dev-erase-01', channel: 'online' }]);
    expect(await rowsOf({ memberId: ann })).toHaveLength(1);
    const erased = await t.request({ method: 'POST', url: `/v1/members/${ann}/erase` });
    expect(erased.statusCode, erased.body).toBe(200);
    await expect.poll(async () => (await rowsOf({ anonymousId: 'dev-erase-01' })).length).toBe(0);
  });
});

describe('retention', () => {
  it('is 180 days by default, changed by admin, and purges tracked events only', async () => {
    const get = await t.request({ method: 'GET', url: '/v1/activity/settings' });
    expect(get.json()).toEqual({ retentionDays: 180 });
    const bad = await t.request({ method: 'PUT', url: '/v1/activity/settings', body: { retentionDays: 1 } });
    expect(bad.statusCode).toBe(400);
    const put = await t.request({ method: 'PUT', url: '/v1/activity/settings', body: { retentionDays: 30 } });
    expect(put.json()).toEqual({ retentionDays: 30 });
    const ann = await newMember();
    const db = t.runtime.database.db;
    const old = new Date(Date.now() - 40 * 86_400_000).toISOString();
    const row = (type: string, ref: string | null) => ({
      member_id: ann,
      anonymous_id: null,
      type,
      channel: 'online',
      sku: 'A',
      category: null,
      store: null,
      ref,
      amount: null,
      occurred_at: old,
      received_at: old,
      properties: null,
    });
    await db
      .insertInto('member_activity')
      .values([row('page_viewed', null), row('order.completed', 'ord_1'), row('searched', null)])
      .execute();
    await track([{ type: 'page_viewed', memberId: ann, channel: 'online' }]);
    const deleted = await t.runtime.database.transaction((trx) => purgeChunk(trx));
    expect(deleted).toBeGreaterThanOrEqual(2);
    expect(deleted).toBeLessThanOrEqual(PURGE_CHUNK);
    expect((await rowsOf({ memberId: ann })).map((r) => r.type)).toEqual(['order.completed', 'page_viewed']);
    await t.request({ method: 'PUT', url: '/v1/activity/settings', body: { retentionDays: 180 } });
  });
});
