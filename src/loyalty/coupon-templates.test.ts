import { describe, expect, it } from 'vitest';
import { setupCouponsApp, t, template, window } from './loyalty.testkit.js';

setupCouponsApp();

describe('coupon templates', () => {
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
});
