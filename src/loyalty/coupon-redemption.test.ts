import { describe, expect, it } from 'vitest';
import { guideOf } from '../../test/helpers/app.js';
import { newId } from '../platform/index.js';
import { restoreOrderBenefits, reverseForReturn } from './index.js';
import {
  DAY,
  issue,
  issued,
  member,
  other,
  redeem,
  refusal,
  setupCouponsApp,
  t,
  template,
} from './loyalty.testkit.js';

setupCouponsApp();

describe('redeeming coupons', () => {
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
});
