import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ConsoleFixture,
  HAS_CHROMIUM,
  loginCustomer,
  memberByPhone,
  pointsFromAPurchase,
  screenshot,
  seed,
  startConsole,
} from './harness.js';

/**
 * The customer's checkout on her phone: the coupons she holds, the best one chosen for her, the others with the
 * reason they do not apply, her points at their worth, the price made by the server before she pays — and the
 * order placed at exactly that price.
 */
describe.skipIf(!HAS_CHROMIUM)('the customer’s checkout in Chromium', () => {
  let fixture: ConsoleFixture;
  let memberId: string;
  const phone = '13900005678';
  const codes: Record<string, string> = {};

  beforeAll(async () => {
    fixture = await startConsole();
    const { app } = fixture;
    await seed(app, 'POST', '/v1/locations', {
      code: 'SH01',
      name: '上海静安店',
      kind: 'store',
      city: '上海',
      lat: 31.2235,
      lng: 121.4452,
      capabilities: { pickup: true, shipFromStore: true },
    });
    await seed(app, 'POST', '/v1/products', {
      code: 'CRM',
      name: '修护面霜',
      category: 'skincare',
      skus: [{ code: 'CRM-50', name: '修护面霜 50ml', price: 32000 }],
    });
    await seed(app, 'PUT', '/v1/inventory/levels/CRM-50/SH01', { onHand: 50 });
    memberId = await memberByPhone(app, phone);
    const template = async (code: string, name: string, body: object) => {
      await seed(app, 'POST', '/v1/coupon-templates', {
        code,
        name,
        kind: 'amount_off',
        validFrom: '2020-01-01T00:00:00Z',
        validTo: '2099-01-01T00:00:00Z',
        ...body,
      });
      codes[code] = (await seed(app, 'POST', '/v1/coupons', { template: code, memberId })).code;
    };
    await template('C-50', '满300减50', { value: 5000, minSpend: 30_000 });
    await template('C-20', '无门槛20元', { value: 2000 });
    await template('C-BIG', '满1000减200', { value: 20_000, minSpend: 100_000 });
    // Points from an earlier purchase (they mature at once here): ¥99 earns 99 points.
    await pointsFromAPurchase(app, memberId, { store: 'SH01', sku: 'CRM-50', expected: 320 });
  });
  afterAll(() => fixture?.close());

  const payable = async (page: Page) => (await page.getByTestId('m-payable').textContent())?.trim();

  it('offers her coupons best first and her points, and places the order at the price it showed', async () => {
    const page = await fixture.newPage({ width: 420, height: 860 });
    await page.goto(`${fixture.base}/m/sku/CRM-50?store=SH01`);
    await loginCustomer(page, fixture.app, phone);
    // She saves it first (收藏), scanned in this store; the same tap takes it off again.
    const favourite = page.getByTestId('m-favourite');
    await expect.poll(async () => favourite.textContent()).toContain('收藏');
    await favourite.click();
    await expect.poll(async () => favourite.getAttribute('aria-pressed')).toBe('true');
    expect(await favourite.textContent()).toContain('已收藏');
    const saved = await fixture.app.request({ method: 'GET', url: `/v1/members/${memberId}/favourites` });
    expect(saved.json().items).toEqual([expect.objectContaining({ sku: 'CRM-50', store: 'SH01' })]);
    await page.getByTestId('m-order').click();
    await page.getByTestId('m-way-pickup').click();
    const benefits = page.getByTestId('m-benefits');
    await benefits.waitFor();
    // The coupon that takes off most is chosen for her; the one she cannot use yet says why.
    const best = page.getByTestId('m-coupon-C-50');
    await expect.poll(async () => best.locator('input').isChecked()).toBe(true);
    expect(await payable(page)).toBe('¥270.00');
    const big = page.getByTestId('m-coupon-C-BIG');
    expect(await big.locator('input').isDisabled()).toBe(true);
    expect(await big.textContent()).toContain('满 ¥1,000.00 可用');
    // The two coupons do not combine: the server says so in her language, and her choice goes back.
    await page.getByTestId('m-coupon-C-20').getByText('无门槛20元').click();
    await page.getByTestId('m-refusal').waitFor();
    expect(await page.getByTestId('m-refusal').textContent()).toContain('此优惠券不能与其他优惠券同时使用');
    await expect.poll(async () => best.locator('input').isChecked()).toBe(true);
    expect(await page.getByTestId('m-coupon-C-20').locator('input').isChecked()).toBe(false);
    // Her 320 points (100 = ¥1) take ¥3.20 off what the coupon leaves.
    expect(await benefits.textContent()).toContain('用 320 积分抵 ¥3.20');
    await page.getByTestId('m-use-points').click();
    await expect.poll(() => payable(page)).toBe('¥266.80');
    expect(await page.getByTestId('m-use-points').getAttribute('aria-checked')).toBe('true');
    await screenshot(page, 'checkout-benefits');

    await page.getByTestId('m-place-order').click();
    await page.waitForURL((url) => url.pathname.startsWith('/m/orders/'));
    const orderId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
    const order = (await fixture.app.request({ method: 'GET', url: `/v1/orders/${orderId}` })).json();
    expect(order).toMatchObject({
      totalAmount: 32_000,
      discountAmount: 5000,
      pointsAmount: 320,
      payableAmount: 26_680,
      couponCodes: [codes['C-50']],
    });
  });
});
