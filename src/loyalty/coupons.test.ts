import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelOf, guideOf, OPS, startTestApp, type TestApp } from '../../test/helpers/app.js';
import { createNetwork } from '../../test/helpers/inventory.js';
import { isDomainError, newId } from '../platform/index.js';
import {
  type CouponLineInput,
  redeemCouponsForOrder,
  restoreOrderBenefits,
  reverseForReturn,
} from './index.js';
import { grantOpeningBalance } from './points.service.js';

let t: TestApp;
let member: string;
let other: string;

const DAY = 86_400_000;
const window = () => ({
  validFrom: new Date(Date.now() - DAY).toISOString(),
  validTo: new Date(Date.now() + 30 * DAY).toISOString(),
});

beforeAll(async () => {
  t = await startTestApp();
  await createNetwork(
    t,
    [
      { code: 'SH01', kind: 'store', city: '上海', lat: 31.22, lng: 121.45 },
      { code: 'SH02', kind: 'store', city: '上海', lat: 31.19, lng: 121.43 },
    ],
    [
      { code: 'LIP-1', price: 20_000 },
      { code: 'LIP-2', price: 30_000 },
    ],
  );
  const cream = await t.request({
    method: 'POST',
    url: '/v1/products',
    body: {
      code: 'P-CRM',
      name: 'Cream',
      category: 'skincare',
      skus: [{ code: 'CRM-1', name: 'Cream', price: 50_000 }],
    },
  });
  expect(cream.statusCode, cream.body).toBe(201);
  member = await identify('13911110001');
  other = await identify('13911110002');
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

async function template(body: Record<string, unknown>): Promise<string> {
  const res = await t.request({
    method: 'POST',
    url: '/v1/coupon-templates',
    body: { ...window(), ...body },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().code;
}

async function issue(
  templateCode: string,
  memberId = member,
  as: Parameters<TestApp['request']>[0]['as'] = OPS,
) {
  return t.request({ method: 'POST', url: '/v1/coupons', body: { template: templateCode, memberId }, as });
}

async function issued(templateCode: string, memberId = member): Promise<string> {
  const res = await issue(templateCode, memberId);
  expect(res.statusCode, res.body).toBe(201);
  return res.json().code;
}

const lines: CouponLineInput[] = [
  { key: '1', sku: 'LIP-1', category: 'lipstick', amount: 20_000 },
  { key: '2', sku: 'CRM-1', category: 'skincare', amount: 50_000 },
];

function redeem(codes: string[], over: Partial<Parameters<typeof redeemCouponsForOrder>[1]> = {}) {
  return t.runtime.database.transaction((trx) =>
    redeemCouponsForOrder(trx, {
      orderId: newId('ord'),
      memberId: member,
      channel: 'online',
      storeCode: null,
      lines,
      couponCodes: codes,
      ...over,
    }),
  );
}

async function refusal(promise: Promise<unknown>): Promise<{ code: string; rule?: unknown }> {
  try {
    await promise;
  } catch (error) {
    if (isDomainError(error)) return { code: error.code, rule: error.extra?.rule };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('coupon templates and issuing', () => {
  it('creates, lists and refuses a taken code', async () => {
    const code = await template({
      code: 'T-BASIC',
      name: '满100减20',
      kind: 'amount_off',
      value: 2000,
      minSpend: 10_000,
    });
    const again = await t.request({
      method: 'POST',
      url: '/v1/coupon-templates',
      body: { ...window(), code, name: 'x', kind: 'amount_off', value: 1 },
    });
    expect(again.json().code).toBe('COUPON.TEMPLATE_CODE_TAKEN');
    const listed = await t.request({ method: 'GET', url: '/v1/coupon-templates' });
    expect(listed.json().items.map((x: { code: string }) => x.code)).toContain(code);
    expect((await t.request({ method: 'GET', url: '/v1/coupon-templates/NOPE' })).json().code).toBe(
      'COUPON.TEMPLATE_NOT_FOUND',
    );
  });

  it('lets guides issue only store-issuable templates, only at their store', async () => {
    const hq = await template({ code: 'T-HQ', name: 'HQ only', kind: 'amount_off', value: 1000 });
    const store = await template({
      code: 'T-STORE',
      name: 'Store',
      kind: 'amount_off',
      value: 1000,
      issuableInStore: true,
    });
    expect((await issue(hq, member, guideOf('SH01'))).json().code).toBe('COUPON.NOT_ISSUABLE_IN_STORE');
    const denied = await t.request({
      method: 'POST',
      url: '/v1/coupons',
      body: { template: store, memberId: member, store: 'SH02' },
      as: guideOf('SH01'),
    });
    expect(denied.statusCode).toBe(403);
    const ok = await issue(store, member, guideOf('SH01'));
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({
      template: store,
      memberId: member,
      status: 'issued',
      issuedStore: 'SH01',
    });
    expect((await issue(store, member, channelOf('online'))).statusCode).toBe(403);
  });

  it('holds per-member and total limits', async () => {
    const perMember = await template({
      code: 'T-ONE',
      name: 'One each',
      kind: 'amount_off',
      value: 100,
      perMemberLimit: 1,
    });
    expect((await issue(perMember)).statusCode).toBe(201);
    expect((await issue(perMember)).json().code).toBe('COUPON.LIMIT_REACHED');
    const total = await template({
      code: 'T-FIVE',
      name: 'Five',
      kind: 'amount_off',
      value: 100,
      totalLimit: 5,
    });
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => issue(total, i % 2 === 0 ? member : other)),
    );
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(5);
    expect(
      results.filter((r) => r.statusCode === 409).every((r) => r.json().code === 'COUPON.LIMIT_REACHED'),
    ).toBe(true);
  });

  it("lists a member's coupons and lets a customer read only their own", async () => {
    const code = await issued(
      await template({ code: 'T-LIST', name: 'List', kind: 'amount_off', value: 100 }),
    );
    const mine = { role: 'customer' as const, subject: member, memberId: member, storeCode: null };
    const res = await t.request({
      method: 'GET',
      url: `/v1/members/${member}/coupons?status=issued`,
      as: mine,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().items.map((c: { code: string }) => c.code)).toContain(code);
    expect(
      (await t.request({ method: 'GET', url: `/v1/members/${other}/coupons`, as: mine })).statusCode,
    ).toBe(403);
    const view = (await t.request({ method: 'GET', url: `/v1/members/${member}` })).json();
    expect(view.coupons.map((c: { code: string }) => c.code)).toContain(code);
  });
});

describe('coupon rules', () => {
  it('refuses each rule with COUPON.NOT_APPLICABLE', async () => {
    const posOnly = await issued(
      await template({ code: 'R-POS', name: 'POS', kind: 'amount_off', value: 1000, channels: ['pos'] }),
    );
    expect(await refusal(redeem([posOnly]))).toEqual({ code: 'COUPON.NOT_APPLICABLE', rule: 'channel' });

    const sh01 = await issued(
      await template({ code: 'R-SH01', name: 'SH01', kind: 'amount_off', value: 1000, stores: ['SH01'] }),
    );
    expect(await refusal(redeem([sh01], { channel: 'pos', storeCode: 'SH02' }))).toEqual({
      code: 'COUPON.NOT_APPLICABLE',
      rule: 'store',
    });

    const sku = await issued(
      await template({ code: 'R-SKU', name: 'SKU', kind: 'amount_off', value: 1000, skus: ['LIP-2'] }),
    );
    expect(await refusal(redeem([sku]))).toEqual({ code: 'COUPON.NOT_APPLICABLE', rule: 'items' });

    const min = await issued(
      await template({
        code: 'R-MIN',
        name: 'Min',
        kind: 'amount_off',
        value: 1000,
        categories: ['lipstick'],
        minSpend: 30_000,
      }),
    );
    expect(await refusal(redeem([min]))).toEqual({ code: 'COUPON.NOT_APPLICABLE', rule: 'min_spend' });

    const later = await issued(
      await template({
        code: 'R-LATER',
        name: 'Later',
        kind: 'amount_off',
        value: 1000,
        validFrom: new Date(Date.now() + DAY).toISOString(),
        validTo: new Date(Date.now() + 10 * DAY).toISOString(),
      }),
    );
    expect(await refusal(redeem([later]))).toEqual({ code: 'COUPON.NOT_APPLICABLE', rule: 'validity' });

    const others = await issued(
      await template({ code: 'R-OTHER', name: 'Other', kind: 'amount_off', value: 1000 }),
      other,
    );
    expect(await refusal(redeem([others]))).toEqual({ code: 'COUPON.NOT_APPLICABLE', rule: 'member' });
    expect(await refusal(redeem(['CNOSUCHCODE']))).toEqual({ code: 'COUPON.NOT_FOUND', rule: undefined });

    // Each refusal rolled back: the coupons are still there to use where they apply.
    const applied = await redeem([sh01], { channel: 'pos', storeCode: 'SH01' });
    expect(applied).toEqual([{ code: sh01, template: 'R-SH01', amount: 1000, lineKeys: ['1', '2'] }]);
  });

  it('stacks stackable coupons on the lines they cover and refuses a non-stackable one in company', async () => {
    const percent = await template({
      code: 'S-LIP15',
      name: '唇妆85折',
      kind: 'percent_off',
      value: 15,
      categories: ['lipstick'],
      stackable: true,
    });
    const amount = await template({
      code: 'S-50',
      name: '减50',
      kind: 'amount_off',
      value: 5000,
      stackable: true,
    });
    const single = await template({ code: 'S-SINGLE', name: 'single', kind: 'amount_off', value: 100 });
    const [a, b, c] = [await issued(percent), await issued(amount), await issued(single)];
    expect(await refusal(redeem([a, c]))).toEqual({ code: 'COUPON.NOT_APPLICABLE', rule: 'stacking' });
    const applied = await redeem([a, b]);
    expect(applied).toEqual([
      { code: a, template: percent, amount: 3000, lineKeys: ['1'] },
      { code: b, template: amount, amount: 5000, lineKeys: ['1', '2'] },
    ]);
    expect(await refusal(redeem([a]))).toEqual({ code: 'COUPON.ALREADY_REDEEMED', rule: undefined });
  });

  it('redeems the trial-exclusive coupon online but not at the POS', async () => {
    const trial = await template({
      code: 'TRIAL50',
      name: '体验专享券',
      kind: 'amount_off',
      value: 5000,
      minSpend: 30_000,
      channels: ['online', 'mini_program'],
      issuableInStore: true,
      validDays: 30,
    });
    const atCounter = await issue(trial, member, guideOf('SH01'));
    expect(atCounter.json().issuedStore).toBe('SH01');
    const code = atCounter.json().code;
    expect(await refusal(redeem([code], { channel: 'pos', storeCode: 'SH01' }))).toEqual({
      code: 'COUPON.NOT_APPLICABLE',
      rule: 'channel',
    });
    const counter = await t.request({
      method: 'POST',
      url: `/v1/coupons/${code}/redeem`,
      body: { store: 'SH01', lines: [{ sku: 'LIP-2', quantity: 2 }] },
      as: guideOf('SH01'),
    });
    expect(counter.statusCode).toBe(409);
    expect(counter.json()).toMatchObject({ code: 'COUPON.NOT_APPLICABLE', rule: 'channel' });
    const online = await redeem([code], { channel: 'mini_program' });
    expect(online).toEqual([{ code, template: trial, amount: 5000, lineKeys: ['1', '2'] }]);
    const used = (await t.request({ method: 'GET', url: `/v1/coupons/${code}` })).json();
    expect(used).toMatchObject({ status: 'redeemed', redeemedChannel: 'mini_program', amount: 5000 });
  });

  it('redeems at the counter at the staff member’s own store only, with the basket for item coupons', async () => {
    const voucher = await issued(
      await template({ code: 'C-VOUCHER', name: 'Voucher', kind: 'amount_off', value: 3000 }),
    );
    const elsewhere = await t.request({
      method: 'POST',
      url: `/v1/coupons/${voucher}/redeem`,
      body: { store: 'SH02' },
      as: guideOf('SH01'),
    });
    expect(elsewhere.statusCode).toBe(403);
    const ok = await t.request({
      method: 'POST',
      url: `/v1/coupons/${voucher}/redeem`,
      body: { store: 'SH01' },
      as: guideOf('SH01'),
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({
      status: 'redeemed',
      redeemedStore: 'SH01',
      redeemedChannel: 'pos',
      amount: 3000,
    });
    const twice = await t.request({
      method: 'POST',
      url: `/v1/coupons/${voucher}/redeem`,
      body: { store: 'SH01' },
      as: guideOf('SH01'),
    });
    expect(twice.json().code).toBe('COUPON.ALREADY_REDEEMED');

    const lip = await issued(
      await template({
        code: 'C-LIP',
        name: 'Lip',
        kind: 'percent_off',
        value: 10,
        categories: ['lipstick'],
      }),
    );
    const noBasket = await t.request({
      method: 'POST',
      url: `/v1/coupons/${lip}/redeem`,
      body: { store: 'SH01' },
    });
    expect(noBasket.json()).toMatchObject({ code: 'COUPON.NOT_APPLICABLE', rule: 'items' });
    const withBasket = await t.request({
      method: 'POST',
      url: `/v1/coupons/${lip}/redeem`,
      body: {
        store: 'SH01',
        lines: [
          { sku: 'LIP-1', quantity: 1 },
          { sku: 'CRM-1', quantity: 1 },
        ],
      },
    });
    expect(withBasket.json()).toMatchObject({ status: 'redeemed', amount: 2000 });
  });

  it('lets exactly one of 20 concurrent redemptions of one coupon win (10 orders, 10 counters)', async () => {
    const code = await issued(
      await template({ code: 'RACE', name: 'Race', kind: 'amount_off', value: 1000 }),
    );
    const attempts = [
      ...Array.from({ length: 10 }, () =>
        redeem([code], { channel: 'pos', storeCode: 'SH01' }).then(() => 'won'),
      ),
      ...Array.from({ length: 10 }, (_, i) =>
        t
          .request({
            method: 'POST',
            url: `/v1/coupons/${code}/redeem`,
            body: { store: i % 2 === 0 ? 'SH01' : 'SH02' },
            as: 'admin',
          })
          .then((res) => {
            if (res.statusCode === 200) return 'won';
            throw Object.assign(new Error(res.body), { code: res.json().code });
          }),
      ),
    ];
    const results = await Promise.allSettled(attempts);
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const r of results) {
      if (r.status === 'rejected')
        expect((r.reason as { code: string }).code).toBe('COUPON.ALREADY_REDEEMED');
    }
    const redemptions = await t.runtime.database.db
      .selectFrom('coupon_redemptions')
      .select('id')
      .where('code', '=', code)
      .execute();
    expect(redemptions).toHaveLength(1);
  });

  it('gives coupons back when the order is cancelled or wholly returned', async () => {
    const tpl = await template({ code: 'B-BACK', name: 'Back', kind: 'amount_off', value: 1000 });
    const code = await issued(tpl);
    const orderId = newId('ord');
    await redeem([code], { orderId });
    await t.runtime.database.transaction((trx) => restoreOrderBenefits(trx, { orderId }));
    await t.runtime.database.transaction((trx) => restoreOrderBenefits(trx, { orderId }));
    expect((await t.request({ method: 'GET', url: `/v1/coupons/${code}` })).json().status).toBe('issued');

    const returned = newId('ord');
    await redeem([code], { orderId: returned });
    const partial = await t.runtime.database.transaction((trx) =>
      reverseForReturn(trx, {
        returnId: newId('ret'),
        orderId: returned,
        lines: [{ lineNo: 1, quantity: 1, pointsAmount: 0 }],
        wholeOrderReturned: false,
      }),
    );
    expect(partial.couponsRestored).toEqual([]);
    const whole = await t.runtime.database.transaction((trx) =>
      reverseForReturn(trx, {
        returnId: newId('ret'),
        orderId: returned,
        lines: [{ lineNo: 2, quantity: 1, pointsAmount: 0 }],
        wholeOrderReturned: true,
      }),
    );
    expect(whole.couponsRestored).toEqual([code]);
    expect((await t.request({ method: 'GET', url: `/v1/coupons/${code}` })).json().status).toBe('issued');
  });

  it('exchanges points for a coupon', async () => {
    const tpl = await template({
      code: 'X-SERVICE',
      name: '护理体验',
      kind: 'amount_off',
      value: 8800,
      pointsCost: 300,
    });
    const poor = await t.request({
      method: 'POST',
      url: `/v1/members/${other}/points/exchange`,
      body: { template: tpl },
    });
    expect(poor.json().code).toBe('LOYALTY.INSUFFICIENT_POINTS');
    const notForPoints = await t.request({
      method: 'POST',
      url: `/v1/members/${other}/points/exchange`,
      body: { template: 'T-BASIC' },
    });
    expect(notForPoints.json().code).toBe('LOYALTY.NOT_EXCHANGEABLE');
    // Nothing was issued by the refused exchange.
    const coupons = (await t.request({ method: 'GET', url: `/v1/members/${other}/coupons` })).json().items;
    expect(coupons.some((c: { template: string }) => c.template === tpl)).toBe(false);

    await t.runtime.database.transaction((trx) =>
      grantOpeningBalance(trx, { memberId: member, points: 1000, qualifyingSpend: 0, reference: 'crm' }),
    );
    const customer = { role: 'customer' as const, subject: member, memberId: member, storeCode: null };
    const done = await t.request({
      method: 'POST',
      url: `/v1/members/${member}/points/exchange`,
      body: { template: tpl },
      as: customer,
      headers: { 'idempotency-key': 'exchange-1' },
    });
    expect(done.statusCode, done.body).toBe(201);
    expect(done.json()).toMatchObject({
      points: 300,
      coupon: { template: tpl, status: 'issued', memberId: member },
    });
    const replay = await t.request({
      method: 'POST',
      url: `/v1/members/${member}/points/exchange`,
      body: { template: tpl },
      as: customer,
      headers: { 'idempotency-key': 'exchange-1' },
    });
    expect(replay.json().coupon.code).toBe(done.json().coupon.code);
    const balance = (await t.request({ method: 'GET', url: `/v1/members/${member}/points` })).json();
    expect(balance.available).toBe(700);
    expect(balance.ledger[0]).toMatchObject({
      kind: 'exchange',
      points: -300,
      reference: done.json().coupon.code,
    });
  });
});
