import { describe, expect, it } from 'vitest';
import {
  type CouponRule,
  type CouponUnderTest,
  claimBlock,
  decideCoupons,
  rankCouponOffers,
} from './coupons.rules.js';

describe('coupons', () => {
  const rule = (over: Partial<CouponRule> = {}): CouponRule => ({
    code: 'T',
    kind: 'amount_off',
    value: 1000,
    maxDiscount: null,
    minSpend: 0,
    channels: null,
    stores: null,
    skus: null,
    categories: null,
    stackable: true,
    ...over,
  });
  const coupon = (
    code: string,
    over: Partial<CouponRule> = {},
    extra: Partial<CouponUnderTest> = {},
  ): CouponUnderTest => ({
    code,
    memberId: 'm1',
    status: 'issued',
    orderId: null,
    validFrom: '2026-01-01T00:00:00.000Z',
    validTo: '2026-12-31T00:00:00.000Z',
    template: rule(over),
    ...extra,
  });
  const ctx = {
    now: '2026-06-01T00:00:00.000Z',
    channel: 'online',
    storeCode: null,
    memberId: 'm1',
    lines: [
      { key: '1', sku: 'LIP-1', category: 'lipstick', amount: 10_000 },
      { key: '2', sku: 'CRM-1', category: 'skincare', amount: 30_000 },
    ],
  };

  it('names the rule that refuses a coupon', () => {
    const cases: [CouponUnderTest, string][] = [
      [coupon('a', { channels: ['pos'] }), 'channel'],
      [coupon('b', { stores: ['SH01'] }), 'store'],
      [coupon('c', { skus: ['NOPE'] }), 'items'],
      [coupon('d', { minSpend: 50_000 }), 'min_spend'],
      [coupon('e', {}, { validFrom: '2026-07-01T00:00:00.000Z' }), 'validity'],
      [coupon('f', {}, { memberId: 'm2' }), 'member'],
    ];
    for (const [c, expected] of cases) {
      const decision = decideCoupons([c], ctx);
      expect(decision.ok ? 'ok' : decision.rule, c.code).toBe(expected);
    }
    const used = decideCoupons([coupon('g', {}, { status: 'redeemed', orderId: 'o1' })], ctx);
    expect(used.ok ? 'ok' : used.outcome).toBe('already_redeemed');
    expect(
      decideCoupons([coupon('g', {}, { status: 'redeemed', orderId: 'o1' })], { ...ctx, orderId: 'o1' }).ok,
    ).toBe(true);
  });

  it('measures minimum spend and percent on the lines covered', () => {
    const d = decideCoupons(
      [coupon('p', { kind: 'percent_off', value: 15, categories: ['lipstick'], minSpend: 10_000 })],
      ctx,
    );
    expect(d).toEqual({ ok: true, applied: [{ code: 'p', template: 'T', amount: 1500, lineKeys: ['1'] }] });
  });

  it('refuses a non-stackable coupon combined with another', () => {
    const d = decideCoupons([coupon('a'), coupon('b', { stackable: false })], ctx);
    expect(d.ok ? 'ok' : d.rule).toBe('stacking');
  });

  it('never takes stacked coupons beyond what the lines cost (property)', () => {
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    for (let run = 0; run < 500; run++) {
      const lines = Array.from({ length: 1 + rand(4) }, (_, i) => ({
        key: String(i),
        sku: `S${rand(3)}`,
        category: rand(2) === 0 ? 'lipstick' : 'skincare',
        amount: 1 + rand(20_000),
      }));
      const coupons = Array.from({ length: 1 + rand(3) }, (_, i) =>
        coupon(`c${i}`, {
          kind: rand(2) === 0 ? 'amount_off' : 'percent_off',
          value: 1 + rand(99),
          categories: rand(2) === 0 ? null : ['lipstick', 'skincare'],
        }),
      );
      const d = decideCoupons(coupons, { ...ctx, lines });
      if (!d.ok) {
        expect(d.rule).toBe('nothing_to_discount');
        continue;
      }
      const total = lines.reduce((s, l) => s + l.amount, 0);
      const discount = d.applied.reduce((s, a) => s + a.amount, 0);
      expect(discount).toBeLessThanOrEqual(total);
      for (const a of d.applied) expect(Number.isInteger(a.amount) && a.amount > 0).toBe(true);
    }
  });

  it('offers the coupon that takes off most first, then the ones that do not apply with their reason', () => {
    const offers = rankCouponOffers(
      [
        coupon('small', { value: 500 }),
        coupon('spend-more', { minSpend: 100_000 }),
        coupon('big-late', { value: 3000 }),
        coupon('big-soon', { value: 3000 }, { validTo: '2026-06-30T00:00:00.000Z' }),
        coupon('pct', { kind: 'percent_off', value: 20, categories: ['lipstick'] }),
        coupon('store-only', { stores: ['SH01'] }),
      ],
      ctx,
    );
    expect(offers.map((o) => [o.code, o.applicable, o.amount ?? o.rule])).toEqual([
      ['big-soon', true, 3000],
      ['big-late', true, 3000],
      ['pct', true, 2000],
      ['small', true, 500],
      ['spend-more', false, 'min_spend'],
      ['store-only', false, 'store'],
    ]);
  });
});

describe('the coupon centre', () => {
  const template = { totalLimit: 3, issuedCount: 0, perMemberLimit: 1 };
  it('blocks a claim when all are gone, then when she holds her share', () => {
    expect(claimBlock(template, 0)).toBeNull();
    expect(claimBlock(template, 1)).toBe('member_limit');
    expect(claimBlock({ ...template, issuedCount: 3 }, 0)).toBe('sold_out');
    expect(claimBlock({ totalLimit: null, issuedCount: 10_000, perMemberLimit: null }, 99)).toBeNull();
  });
});
