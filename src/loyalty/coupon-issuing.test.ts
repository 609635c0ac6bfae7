import { beforeAll, describe, expect, it } from 'vitest';
import { channelOf, guideOf } from '../../test/helpers/app.js';
import { issue, member, other, setupCouponsApp, t, template } from './loyalty.testkit.js';
import { grantOpeningBalance } from './points-earning.service.js';

setupCouponsApp();
// The exchange test asks for T-BASIC, a template without a points price.
beforeAll(async () => {
  await template({ code: 'T-BASIC', name: '满100减20', kind: 'amount_off', value: 2000, minSpend: 10_000 });
});

describe('issuing coupons', () => {
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

  it('shows store staff which coupons a member holds, not codes they could redeem for her', async () => {
    const full = (await t.request({ method: 'GET', url: `/v1/members/${member}/coupons` })).json().items as {
      code: string;
    }[];
    expect(full.length).toBeGreaterThan(0);
    expect(full[0]!.code).toMatch(/^C[0-9A-Z]{11}$/);
    const asGuide = (
      await t.request({ method: 'GET', url: `/v1/members/${member}/coupons`, as: guideOf('SH01') })
    ).json().items as { code: string }[];
    expect(asGuide.map((c) => c.code)).toEqual(
      full.map((c) => `${c.code.slice(0, 2)}•••••••${c.code.slice(-3)}`),
    );
    const view = (
      await t.request({ method: 'GET', url: `/v1/members/${member}`, as: guideOf('SH01') })
    ).json();
    for (const coupon of view.coupons as { code: string }[]) expect(coupon.code).toContain('•');
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
