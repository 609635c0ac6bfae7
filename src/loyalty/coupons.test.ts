import { describe, expect, it } from 'vitest';
import { issued, member, other, setupCouponsApp, t, template } from './loyalty.testkit.js';

setupCouponsApp();

describe("a member's coupons", () => {
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
