import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ConsoleFixture,
  HAS_CHROMIUM,
  login,
  loginCustomer,
  screenshot,
  seed,
  startConsole,
} from './harness.js';

/**
 * What a new user met on the screens and should not any more: the store header, the counter return, the order
 * list's items and refunds, the inventory board's search box, form checks in Chinese, and the
 * customer's orders naming what she bought.
 */
describe.skipIf(!HAS_CHROMIUM)('rough edges, found by a new user, in Chromium', () => {
  let fixture: ConsoleFixture;
  const phone = '13900007777';
  let memberId: string;

  /** A paid order: a till sale at SH01 (handed over at once) or a delivery from the warehouse. */
  async function paidOrder(body: object): Promise<string> {
    const order = await seed(fixture.app, 'POST', '/v1/orders', body);
    await seed(fixture.app, 'POST', `/v1/orders/${order.id}/payments`, {
      provider: 'simulated',
      amount: order.payableAmount,
    });
    for (let i = 0; i < 100; i++) {
      const read = await fixture.app.request({ method: 'GET', url: `/v1/orders/${order.id}` });
      if (read.json().status !== 'pending_payment') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    return order.id;
  }

  beforeAll(async () => {
    fixture = await startConsole();
    const { app } = fixture;
    for (const [username, role, displayName, storeCode] of [
      ['ops', 'ops', '王敏', undefined],
      ['sh01.manager', 'store_manager', '上海静安店 店长 陈静 和一个很长很长的名字', 'SH01'],
    ] as const) {
      await seed(app, 'POST', '/v1/users', {
        username,
        password: 'omniloop-demo',
        role,
        displayName,
        ...(storeCode ? { storeCode } : {}),
      });
    }
    await seed(app, 'POST', '/v1/locations', {
      code: 'WH-SH',
      name: '上海云仓',
      kind: 'warehouse',
      city: '上海',
      lat: 31.2,
      lng: 121.6,
    });
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
      code: 'SRM',
      name: '精华液',
      category: 'skincare',
      skus: [{ code: 'SRM-30', name: '精华液 30ml', price: 42_000 }],
    });
    await seed(app, 'PUT', '/v1/inventory/levels/SRM-30/SH01', { onHand: 20 });
    await seed(app, 'PUT', '/v1/inventory/levels/SRM-30/WH-SH', { onHand: 50 });
    memberId = (
      await seed(app, 'POST', '/v1/identify', {
        identifiers: [{ type: 'phone', value: phone, verified: true }],
        channel: 'online',
      })
    ).memberId;
  });
  afterAll(() => fixture?.close());

  it('the store header names the store and the role once, inside its edges; the counter return starts right', async () => {
    const sale = await paidOrder({
      channel: 'pos',
      storeCode: 'SH01',
      memberId,
      lines: [{ sku: 'SRM-30', quantity: 2 }],
      fulfillment: { type: 'carry_out' },
    });
    const page = await fixture.newPage({ width: 820, height: 1000 });
    await login(page, fixture.base, 'sh01.manager');
    const header = page.getByTestId('store-header');
    await expect.poll(async () => (await header.textContent()) ?? '').toContain('上海静安店');
    expect(await page.getByTestId('current-role').count()).toBe(1);
    expect((await header.textContent())?.match(/店长/g)?.length).toBe(2); // her own words, and the role once
    const box = await header.boundingBox();
    const user = await page.getByTestId('current-user').boundingBox();
    expect(box && user).toBeTruthy();
    expect(user!.y + user!.height).toBeLessThanOrEqual(box!.y + box!.height);
    expect(user!.x + user!.width).toBeLessThanOrEqual(box!.x + box!.width);

    await page.goto(`${fixture.base}/store/returns`);
    // A mistyped number is no order at all: said so, and nothing to type from a receipt.
    await page.getByTestId('return-order-id').fill('ord_mistyped');
    await page.getByTestId('return-order-id').press('Enter');
    await page.getByText('找不到该订单').waitFor();
    expect(await page.getByTestId('return-order-unreadable').count()).toBe(0);
    expect(await page.getByTestId('return-line-qty-0').count()).toBe(0);
    // The real one: the product by name, and everything bought as the quantity to return.
    await page.getByTestId('return-order-id').fill(sale);
    await page.getByTestId('return-order-id').press('Enter');
    await page.getByTestId('return-line-name-0').waitFor();
    expect(await page.getByTestId('return-line-name-0').textContent()).toContain('精华液 30ml');
    expect(await page.getByTestId('return-line-qty-0').inputValue()).toBe('2');
    await screenshot(page, 'rough-edges-store');
  });

  it('HQ: the order list says what was bought and what was refunded; the board’s search box shows its SKU; forms check in Chinese', async () => {
    const refunded = await paidOrder({
      channel: 'online',
      memberId,
      lines: [{ sku: 'SRM-30', quantity: 1 }],
      fulfillment: { type: 'delivery', address: { city: '上海', lat: 31.23, lng: 121.47 } },
    });
    await seed(fixture.app, 'POST', `/v1/orders/${refunded}/cancel`, { reason: '不想要了' });
    const page = await fixture.newPage();
    await login(page, fixture.base, 'ops');
    await page.goto(`${fixture.base}/hq/orders`);
    const row = page.getByTestId('orders-table').locator('tr', { hasText: refunded });
    await row.waitFor();
    await expect.poll(async () => (await row.textContent()) ?? '').toContain('已全额退款');
    expect(await row.getByTestId('order-items').textContent()).toBe('精华液 30ml × 1');

    await page.goto(`${fixture.base}/hq/inventory/SRM-30`);
    const search = page.getByTestId('sku-search');
    await expect.poll(async () => (await search.textContent()) ?? '').toContain('SRM-30 · 精华液 30ml');

    await page.goto(`${fixture.base}/hq/locations`);
    // On a busy machine a click may land while the page or its dialog is still coming in: each is clicked until
    // it has answered (the dialog is open; the empty form says what is missing — it never submits).
    const dialog = page.getByRole('dialog');
    await expect
      .poll(
        async () => {
          // Once the dialog opens, its mask covers the button: a click then fails fast and is left at that.
          if (!(await dialog.isVisible())) {
            await page
              .getByRole('button', { name: /新建|新增/ })
              .first()
              .click({ timeout: 2_000 })
              .catch(() => undefined);
          }
          return dialog.isVisible();
        },
        { timeout: 30_000 },
      )
      .toBe(true);
    const explain = dialog.locator('.ant-form-item-explain-error').first();
    await expect
      .poll(
        async () => {
          await dialog.getByRole('button', { name: /保\s*存/ }).click();
          return explain.isVisible();
        },
        { timeout: 30_000 },
      )
      .toBe(true);
    const said = await page.locator('.ant-form-item-explain-error').allTextContents();
    // Ant Design's own checks speak Chinese too (its locale was lost to a CommonJS default import once).
    expect(said).toContain('请输入名称');
    expect(said.filter((text) => /[A-Za-z]{3,}/.test(text))).toEqual([]);
    await screenshot(page, 'rough-edges-hq');
  });

  it('the customer’s orders name what she bought, whatever the way it reaches her', async () => {
    await paidOrder({
      channel: 'online',
      memberId,
      lines: [{ sku: 'SRM-30', quantity: 3 }],
      fulfillment: { type: 'delivery', address: { city: '上海', lat: 31.23, lng: 121.47 } },
    });
    const page = await fixture.newPage({ width: 420, height: 860 });
    await page.goto(`${fixture.base}/m/orders`);
    await loginCustomer(page, fixture.app, phone);
    if (new URL(page.url()).pathname !== '/m/orders') await page.goto(`${fixture.base}/m/orders`);
    await page.getByTestId('m-orders').waitFor();
    const items = await page.getByTestId('order-items').allTextContents();
    expect(items).toContain('精华液 30ml × 3');
    expect(items).toContain('精华液 30ml × 2');
  });
});
