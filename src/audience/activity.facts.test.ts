import { describe, expect, it } from 'vitest';
import { managerOf } from '../../test/helpers/app.js';
import {
  deliveredOnlineOrder,
  member,
  setUpReturnsNetwork,
  storeReturn,
  t,
} from '../aftersales/aftersales.testkit.js';
import { toPublishedEvent } from '../platform/events/outbox.js';
import { FACT_TYPES, recordFact } from './activity.facts.js';

// The platform's facts become member activity, one row per SKU touched: a purchase, a return received at a store,
// a trial, and the imported history with its return. Delivered again, they are not counted twice.

setUpReturnsNetwork();

async function rows(where: { memberId?: string; types?: string[] }) {
  let q = t.runtime.database.db
    .selectFrom('member_activity')
    .select(['member_id', 'type', 'channel', 'sku', 'category', 'store', 'ref', 'amount', 'occurred_at'])
    .orderBy('type')
    .orderBy('sku');
  if (where.memberId) q = q.where('member_id', '=', where.memberId);
  if (where.types) q = q.where('type', 'in', where.types);
  return (await q.execute()).map((r) => ({ ...r, amount: r.amount === null ? null : Number(r.amount) }));
}

async function importHistory(card: string) {
  const lines = [
    `700100,H-1,HISTORY ITEM,4,2011-03-01 10:00:00,1.50,${card}.0,United Kingdom`,
    `700100,H-2,HISTORY ITEM,1,2011-03-01 10:00:00,2.00,${card}.0,United Kingdom`,
    `C700101,H-1,HISTORY ITEM,-1,2011-03-02 10:00:00,1.50,${card}.0,United Kingdom`,
  ];
  const res = await t.request({
    method: 'POST',
    url: '/v1/imports/orders?format=online_retail&timezone=UTC',
    headers: { 'content-type': 'text/csv' },
    body: `InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n${lines.join('\n')}\n`,
  });
  expect(res.statusCode, res.body).toBe(202);
  await expect
    .poll(async () => (await t.request({ method: 'GET', url: `/v1/imports/${res.json().id}` })).json().status)
    .toBe('completed');
}

describe('facts as member activity', () => {
  it('records a purchase, a return, a trial and the imported history, once each', async () => {
    const ann = await member('13900000071');
    const o = await deliveredOnlineOrder(
      [
        { sku: 'R-B', quantity: 2 },
        { sku: 'R-C', quantity: 1 },
      ],
      ann,
    );
    const back = await storeReturn(o.id, 'R-S1', [{ sku: 'R-B', quantity: 1 }]);
    expect(back.statusCode, back.body).toBe(201);
    const trial = await t.request({
      method: 'POST',
      url: '/v1/experiences',
      body: { memberId: ann, store: 'R-S1', sku: 'R-A', kind: 'trial' },
    });
    expect(trial.statusCode, trial.body).toBe(201);
    await importHistory('80071');

    const expected = [
      {
        member_id: ann,
        type: 'experience.recorded',
        channel: 'pos',
        sku: 'R-A',
        category: null,
        store: 'R-S1',
        ref: trial.json().id,
        amount: null,
        occurred_at: trial.json().recordedAt,
      },
      ...o.lines.map((line: { sku: string; category: string; paidAmount: number }) => ({
        member_id: ann,
        type: 'order.completed',
        channel: 'online',
        sku: line.sku,
        category: line.category,
        store: null,
        ref: o.id,
        amount: line.paidAmount,
        occurred_at: o.completedAt,
      })),
      {
        member_id: ann,
        type: 'return.received',
        channel: 'pos',
        sku: 'R-B',
        category: o.lines[0].category,
        store: 'R-S1',
        ref: back.json().id,
        amount: 45_000,
        occurred_at: expect.any(String),
      },
    ];
    await expect.poll(() => rows({ memberId: ann }), { timeout: 15_000 }).toEqual(expected);

    await expect
      .poll(async () => (await rows({ types: ['order.imported', 'return.imported'] })).length)
      .toBe(3);
    const imported = await rows({ types: ['order.imported', 'return.imported'] });
    expect(imported.map((r) => [r.type, r.sku, r.amount, r.occurred_at, r.channel])).toEqual([
      ['order.imported', 'H-1', 600, '2011-03-01T10:00:00.000Z', 'online'],
      ['order.imported', 'H-2', 200, '2011-03-01T10:00:00.000Z', 'online'],
      ['return.imported', 'H-1', 150, '2011-03-02T10:00:00.000Z', 'online'],
    ]);
    expect(new Set(imported.map((r) => r.member_id)).size).toBe(1);

    // At least once: every fact delivered again (as after a crash before the checkpoint moved) changes nothing.
    const before = await rows({});
    const facts = await t.runtime.database.db
      .selectFrom('outbox_events')
      .selectAll()
      .where('type', 'in', FACT_TYPES)
      .orderBy('position')
      .execute();
    expect(facts.length).toBeGreaterThanOrEqual(5);
    await t.runtime.database.transaction(async (trx) => {
      for (const fact of facts) await recordFact(trx, toPublishedEvent(fact));
    });
    expect(await rows({})).toEqual(before);
  });

  it('records a coupon redeemed at a counter', async () => {
    const ann = await member('13900000073');
    const day = 86_400_000;
    const template = await t.request({
      method: 'POST',
      url: '/v1/coupon-templates',
      body: {
        code: 'ACT10',
        name: '行为测试券',
        kind: 'amount_off',
        value: 1000,
        minSpend: 0,
        channels: ['pos'],
        validFrom: new Date(Date.now() - day).toISOString(),
        validTo: new Date(Date.now() + 30 * day).toISOString(),
      },
    });
    expect(template.statusCode, template.body).toBe(201);
    const coupon = await t.request({
      method: 'POST',
      url: '/v1/coupons',
      body: { template: 'ACT10', memberId: ann },
    });
    expect(coupon.statusCode, coupon.body).toBe(201);
    const code = coupon.json().code;
    const redeemed = await t.request({
      method: 'POST',
      url: `/v1/coupons/${code}/redeem`,
      body: { store: 'R-S1', lines: [{ sku: 'R-A', quantity: 1 }] },
      as: managerOf('R-S1'),
    });
    expect(redeemed.statusCode, redeemed.body).toBe(200);
    await expect
      .poll(() => rows({ memberId: ann, types: ['coupon.redeemed'] }))
      .toEqual([
        {
          member_id: ann,
          type: 'coupon.redeemed',
          channel: 'pos',
          sku: null,
          category: null,
          store: 'R-S1',
          ref: code,
          amount: 1000,
          occurred_at: expect.any(String),
        },
      ]);
  });

  it('forgets a coupon given back with its cancelled order', async () => {
    const ann = await member('13900000074');
    const coupon = await t.request({
      method: 'POST',
      url: '/v1/coupons',
      body: { template: 'ACT10', memberId: ann },
    });
    expect(coupon.statusCode, coupon.body).toBe(201);
    const code = coupon.json().code;
    const placed = await t.request({
      method: 'POST',
      url: '/v1/orders',
      body: {
        channel: 'pos',
        storeCode: 'R-S1',
        memberId: ann,
        lines: [{ sku: 'R-A', quantity: 1 }],
        couponCodes: [code],
        fulfillment: { type: 'carry_out' },
      },
    });
    expect(placed.statusCode, placed.body).toBe(201);
    await expect.poll(async () => (await rows({ memberId: ann, types: ['coupon.redeemed'] })).length).toBe(1);
    const cancelled = await t.request({
      method: 'POST',
      url: `/v1/orders/${placed.json().id}/cancel`,
      body: {},
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    await expect.poll(async () => (await rows({ memberId: ann, types: ['coupon.redeemed'] })).length).toBe(0);
  });

  it('rebuilt from the facts’ log equal what the consumer kept, merges followed', async () => {
    const phone = '13900000072';
    const ann = await member(phone);
    const bob = (
      await t.request({
        method: 'POST',
        url: '/v1/identify',
        body: {
          identifiers: [{ type: 'openid', value: 'oMp-activity-72', appId: 'wx_mp' }],
          channel: 'online',
        },
      })
    ).json().memberId;
    const trial = await t.request({
      method: 'POST',
      url: '/v1/experiences',
      body: { memberId: bob, store: 'R-S1', sku: 'R-C', kind: 'trial' },
    });
    expect(trial.statusCode, trial.body).toBe(201);
    await expect.poll(async () => (await rows({ memberId: bob })).length).toBe(1);
    const merged = await t.request({
      method: 'POST',
      url: '/v1/identify',
      body: {
        identifiers: [
          { type: 'phone', value: phone, verified: true },
          { type: 'openid', value: 'oMp-activity-72', appId: 'wx_mp' },
        ],
        channel: 'online',
      },
    });
    expect(merged.json().mergedFrom).toEqual([bob]);
    expect((await rows({ memberId: ann })).map((r) => r.sku)).toEqual(['R-C']);

    const kept = await rows({ types: FACT_TYPES });
    // Something went wrong once: rows lost, one changed.
    const db = t.runtime.database.db;
    await db.deleteFrom('member_activity').where('type', '=', 'order.completed').execute();
    await db
      .updateTable('member_activity')
      .set({ amount: 1 })
      .where('type', '=', 'return.imported')
      .execute();
    const res = await t.request({ method: 'POST', url: '/v1/audience/activity/recompute' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ rows: kept.length });
    expect(await rows({ types: FACT_TYPES })).toEqual(kept);
  });
});
