import { describe, expect, it } from 'vitest';
import type { Principal } from '../platform/index.js';
import { DAY, identify, member, other, setupCouponsApp, t, template } from './loyalty.testkit.js';

// The coupon centre (领券中心): she sees the claimable coupons open to her now and claims them herself; the
// per-member and total limits hold under concurrent claims; a template not offered there is refused.

setupCouponsApp();

const customer = (memberId: string): Principal => ({
  role: 'customer',
  subject: memberId,
  memberId,
  storeCode: null,
});
const claim = (memberId: string, code: string) =>
  t.request({
    method: 'POST',
    url: `/v1/members/${memberId}/coupon-centre/${code}`,
    as: customer(memberId),
  });
const centre = async (memberId: string) =>
  (
    await t.request({ method: 'GET', url: `/v1/members/${memberId}/coupon-centre`, as: customer(memberId) })
  ).json().items as {
    template: { code: string };
    held: number;
    left: number | null;
    blocked: string | null;
  }[];

describe('the coupon centre', () => {
  it('offers claimable coupons open to her, and refuses a claim past her limit', async () => {
    const offered = await template({
      code: 'CLAIM-2',
      name: '新人券',
      kind: 'amount_off',
      value: 1000,
      claimable: true,
      perMemberLimit: 2,
    });
    await template({ code: 'NOT-OFFERED', name: 'x', kind: 'amount_off', value: 1000 });
    await template({
      code: 'GOLD-ONLY',
      name: 'x',
      kind: 'amount_off',
      value: 1000,
      claimable: true,
      tiers: ['gold'],
    });
    await template({
      code: 'LATER',
      name: 'x',
      kind: 'amount_off',
      value: 1000,
      claimable: true,
      validFrom: new Date(Date.now() + DAY).toISOString(),
      validTo: new Date(Date.now() + 5 * DAY).toISOString(),
    });
    const before = await centre(member);
    expect(before.map((o) => o.template.code)).toEqual(['CLAIM-2']);
    expect(before[0]).toMatchObject({ held: 0, left: null, blocked: null });

    // Five claims at once: exactly two coupons, three refusals.
    const answers = await Promise.all(Array.from({ length: 5 }, () => claim(member, offered)));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 201, 409, 409, 409]);
    expect(answers.filter((a) => a.statusCode === 409).map((a) => a.json().code)).toEqual([
      'COUPON.LIMIT_REACHED',
      'COUPON.LIMIT_REACHED',
      'COUPON.LIMIT_REACHED',
    ]);
    expect((await centre(member))[0]).toMatchObject({ held: 2, blocked: 'member_limit' });
    const coupons = (await t.request({ method: 'GET', url: `/v1/members/${member}/coupons` })).json().items;
    expect(coupons.filter((c: { template: string }) => c.template === offered)).toHaveLength(2);

    for (const code of ['NOT-OFFERED', 'LATER']) {
      const refused = await claim(member, code);
      expect([refused.statusCode, refused.json().code]).toEqual([409, 'COUPON.NOT_CLAIMABLE']);
    }
    const gold = await claim(member, 'GOLD-ONLY');
    expect([gold.statusCode, gold.json().code]).toEqual([409, 'COUPON.NOT_ISSUABLE']);
    // She claims for herself only.
    const forOther = await t.request({
      method: 'POST',
      url: `/v1/members/${other}/coupon-centre/${offered}`,
      as: customer(member),
    });
    expect(forOther.statusCode).toBe(403);
  });

  it('stops at the total limit across members, even when they claim at once', async () => {
    const code = await template({
      code: 'CLAIM-TOTAL-3',
      name: '限量券',
      kind: 'amount_off',
      value: 500,
      claimable: true,
      totalLimit: 3,
    });
    const members = await Promise.all(
      Array.from({ length: 6 }, (_, i) => identify(`139222200${String(i).padStart(2, '0')}`)),
    );
    const answers = await Promise.all(members.map((m) => claim(m, code)));
    expect(answers.filter((a) => a.statusCode === 201)).toHaveLength(3);
    expect(answers.filter((a) => a.statusCode === 409).map((a) => a.json().code)).toEqual(
      Array(3).fill('COUPON.LIMIT_REACHED'),
    );
    const last = await centre(members[0]!);
    expect(last.find((o) => o.template.code === code)).toMatchObject({ left: 0 });
    const template_ = (await t.request({ method: 'GET', url: `/v1/coupon-templates/${code}` })).json();
    expect(template_.issuedCount).toBe(3);
  });
});
