import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guideOf } from '../helpers/app.js';
import {
  type ConsoleFixture,
  HAS_CHROMIUM,
  loginCustomer,
  screenshot,
  seed,
  startConsole,
} from './harness.js';

/**
 * Her member code on her phone: the QR code and the barcode of one 18-digit code, her tier, points and coupons
 * beside it; the code the till scans names her.
 */
describe.skipIf(!HAS_CHROMIUM)('the customer’s member code in Chromium', () => {
  let fixture: ConsoleFixture;
  let memberId: string;
  const phone = '13900007777';

  beforeAll(async () => {
    fixture = await startConsole();
    memberId = (
      await seed(fixture.app, 'POST', '/v1/identify', {
        identifiers: [{ type: 'phone', value: phone, verified: true }],
        channel: 'mini_program',
      })
    ).memberId;
  });
  afterAll(() => fixture?.close());

  it('shows a code the till scans to her, with her points and coupons', async () => {
    const page = await fixture.newPage({ width: 390, height: 844 });
    await page.goto(`${fixture.base}/m`);
    await loginCustomer(page, fixture.app, phone);
    await page.getByTestId('m-link-code').click();
    const shown = page.getByTestId('m-member-code');
    await shown.waitFor();
    const code = (await shown.getAttribute('data-code')) ?? '';
    expect(code).toMatch(/^8\d{17}$/);
    expect(await page.locator('img[alt="会员码"]').count()).toBe(1);
    // The barcode is drawn (bars as rectangles) for a scanner to read.
    await expect
      .poll(async () => page.getByTestId('m-member-barcode').locator('rect').count())
      .toBeGreaterThan(10);
    expect(await page.getByTestId('m-member-benefits').textContent()).toContain('可用优惠券');
    // Nothing hangs over the phone's edge.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await screenshot(page, 'member-code');

    const scanned = await fixture.app.request({
      method: 'GET',
      url: `/v1/member-codes/${code}`,
      as: guideOf('SH01'),
    });
    expect(scanned.statusCode, scanned.body).toBe(200);
    expect(scanned.json().id).toBe(memberId);
  });

  it('lets her claim a coupon in the coupon centre once, then says the limit is reached', async () => {
    const day = 86_400_000;
    await seed(fixture.app, 'POST', '/v1/coupon-templates', {
      code: 'CENTRE-1',
      name: '领券中心 满100减10',
      kind: 'amount_off',
      value: 1000,
      minSpend: 10_000,
      claimable: true,
      perMemberLimit: 1,
      validFrom: new Date(Date.now() - day).toISOString(),
      validTo: new Date(Date.now() + 30 * day).toISOString(),
    });
    // Another customer: a phone is sent one SMS code a minute.
    const claimer = '13900007778';
    const claimerId = (
      await seed(fixture.app, 'POST', '/v1/identify', {
        identifiers: [{ type: 'phone', value: claimer, verified: true }],
        channel: 'mini_program',
      })
    ).memberId;
    const page = await fixture.newPage({ width: 390, height: 844 });
    await page.goto(`${fixture.base}/m`);
    await loginCustomer(page, fixture.app, claimer);
    await page.getByTestId('m-link-coupons').click();
    const claim = page.getByTestId('m-claim-CENTRE-1');
    await claim.click();
    await page.getByText('已领取，可在「我的优惠券」查看').waitFor();
    await expect.poll(async () => claim.textContent()).toContain('已达领取上限');
    expect(await claim.isDisabled()).toBe(true);
    expect(await page.getByTestId('m-offer-CENTRE-1').textContent()).toContain('已领 1 张');
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await screenshot(page, 'coupon-centre');
    const coupons = await fixture.app.request({ method: 'GET', url: `/v1/members/${claimerId}/coupons` });
    expect(coupons.json().items.map((c: { template: string }) => c.template)).toContain('CENTRE-1');
  });

  it('lets her search the catalogue and open a product, and keeps her search when she comes back', async () => {
    await seed(fixture.app, 'POST', '/v1/products', {
      code: 'SHOP-LIP',
      name: '丝绒唇膏',
      category: 'lipstick',
      skus: [
        { code: 'SHOP-LIP-01', name: '丝绒唇膏 #01', price: 19_900, attributes: { shade: '01' } },
        { code: 'SHOP-LIP-02', name: '丝绒唇膏 #02', price: 19_900, attributes: { shade: '02' } },
      ],
    });
    const shopper = '13900007779';
    await seed(fixture.app, 'POST', '/v1/identify', {
      identifiers: [{ type: 'phone', value: shopper, verified: true }],
      channel: 'mini_program',
    });
    const page = await fixture.newPage({ width: 390, height: 844 });
    await page.goto(`${fixture.base}/m`);
    await loginCustomer(page, fixture.app, shopper);
    await page.getByTestId('m-link-shop').click();
    await page.getByTestId('m-search').fill('丝绒');
    await page.getByTestId('m-search').press('Enter');
    await page.getByTestId('m-result-SHOP-LIP-02').waitFor();
    expect(await page.getByTestId('m-results').locator('li').count()).toBe(2);
    await page.getByTestId('m-result-SHOP-LIP-02').click();
    await page.getByTestId('m-sku-name').waitFor();
    expect(await page.getByTestId('m-sku-name').textContent()).toBe('丝绒唇膏 #02');
    await page.goBack();
    await page.getByTestId('m-result-SHOP-LIP-01').waitFor();
    expect(new URL(page.url()).searchParams.get('q')).toBe('丝绒');
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await screenshot(page, 'customer-shop');
  });
});
