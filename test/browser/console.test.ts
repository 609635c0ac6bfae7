import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guideOf } from '../helpers/app.js';
import {
  type ConsoleFixture,
  createStaff,
  HAS_CHROMIUM,
  login,
  loginCustomer,
  screenshot,
  seed,
  startConsole,
} from './harness.js';

if (!HAS_CHROMIUM) {
  console.warn(
    'Browser tests skipped: no Chromium at /usr/bin/chromium (apt-get install -y chromium fonts-noto-cjk)',
  );
}

/**
 * The console in a real browser against a real node: log in, switch language, live stock, store scope, and an
 * order from the shelf-QR page through payment, the store's pickup counter and HQ's order detail.
 */
describe.skipIf(!HAS_CHROMIUM)('the console in Chromium', () => {
  let fixture: ConsoleFixture;
  const newPage = (viewport?: { width: number; height: number }): Promise<Page> => fixture.newPage(viewport);

  beforeAll(async () => {
    fixture = await startConsole();
    const { app } = fixture;
    await createStaff(app, 'ops', 'ops');
    await createStaff(app, 'sh01.guide', 'guide', 'SH01');
    await createStaff(app, 'sh01.manager', 'store_manager', 'SH01');
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
      code: 'LIP-VELVET',
      name: '丝绒雾面唇膏',
      category: 'lipstick',
      skus: [
        { code: 'LIP-VELVET-999', name: '丝绒雾面唇膏 999', price: 32000, attributes: { shade: '999' } },
      ],
    });
    await seed(app, 'PUT', '/v1/inventory/levels/LIP-VELVET-999/SH01', { onHand: 10, safetyStock: 1 });
    await seed(app, 'PUT', '/v1/inventory/levels/LIP-VELVET-999/WH-SH', { onHand: 200 });
  });

  afterAll(async () => {
    await fixture?.close();
  });

  it('logs ops in to HQ in Chinese, and the English switch changes the labels (and is remembered)', async () => {
    const page = await newPage();
    await page.goto(`${fixture.base}/`);
    await page.waitForURL((url) => url.pathname === '/login');
    // Ant Design spaces out two-character Chinese button labels (登 录).
    expect((await page.getByTestId('login-submit').textContent())?.replace(/\s/g, '')).toBe('登录');

    await login(page, fixture.base, 'ops');
    expect(new URL(page.url()).pathname).toBe('/hq');
    const menu = page.getByTestId('hq-menu');
    await menu.getByText('库存看板').waitFor();
    await page.getByTestId('page-title').getByText('运营看板').waitFor();

    await page.getByTestId('locale-switch').getByText('EN').click();
    await menu.getByText('Inventory board').waitFor();
    await page.getByTestId('page-title').getByText('Dashboard').waitFor();
    expect(await menu.textContent()).not.toContain('库存看板');

    await page.reload();
    await page.getByTestId('hq-menu').getByText('Inventory board').waitFor();
    await screenshot(page, 'console-english');
  });

  it('shows a stock change made through the API on the inventory board without a reload', async () => {
    const page = await newPage();
    await login(page, fixture.base, 'ops');
    await page.goto(`${fixture.base}/hq/inventory/LIP-VELVET-999`);
    const cell = page.getByTestId('cell-LIP-VELVET-999-SH01');
    await cell.waitFor();
    expect(await cell.getAttribute('data-on-hand')).toBe('10');
    expect(await cell.getAttribute('data-available')).toBe('9');
    await page.locator('[data-testid="stream-status"][data-status="open"]').waitFor();
    // Anything on window survives only if the page is never reloaded.
    await page.evaluate(() => {
      (globalThis as unknown as { marker: string }).marker = 'same page';
    });

    await seed(fixture.app, 'PUT', '/v1/inventory/levels/LIP-VELVET-999/SH01', {
      onHand: 4,
      reason: 'count',
    });

    await page.locator('[data-testid="cell-LIP-VELVET-999-SH01"][data-on-hand="4"]').waitFor();
    expect(await cell.getAttribute('data-available')).toBe('3');
    expect(await cell.getAttribute('data-flash')).toBe('true');
    expect(await page.evaluate(() => (globalThis as unknown as { marker?: string }).marker)).toBe(
      'same page',
    );
    await screenshot(page, 'console-inventory-live');
  });

  it('keeps a guide out of HQ and shows them phone numbers masked', async () => {
    const identified = await seed(fixture.app, 'POST', '/v1/identify', {
      identifiers: [{ type: 'phone', value: '13812345678', verified: true }],
      channel: 'pos',
    });
    expect(identified.memberId).toBeTruthy();

    const page = await newPage({ width: 1024, height: 768 });
    await login(page, fixture.base, 'sh01.guide');
    expect(new URL(page.url()).pathname).toBe('/store');

    await page.goto(`${fixture.base}/hq/inventory`);
    await page.getByTestId('forbidden').waitFor();
    expect(await page.getByTestId('hq-menu').count()).toBe(0);

    await page.goto(`${fixture.base}/store/members`);
    await page.getByTestId('member-lookup-value').fill('13812345678');
    await page.getByTestId('member-lookup-submit').click();
    const identifiers = page.getByTestId('member-identifiers');
    await identifiers.waitFor();
    const text = (await identifiers.textContent()) ?? '';
    expect(text).toContain('138****5678');
    expect(text).not.toContain('13812345678');

    // Another store's pickups: the API refuses the guide, and the workbench shows that refusal.
    const refused = await fixture.app.request({
      method: 'GET',
      url: '/v1/fulfillments?location=SH02&type=pickup',
      as: guideOf('SH01'),
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('AUTH.STORE_FORBIDDEN');
    await page.goto(`${fixture.base}/store/pickups?store=SH02`);
    const detail = page.getByTestId('error-detail');
    await detail.waitFor();
    // Said in the person's language from the problem's code; the code itself is not on screen.
    expect(await detail.getAttribute('data-code')).toBe('AUTH.STORE_FORBIDDEN');
    expect(await detail.textContent()).toBe('这属于其他门店，您无权查看或操作');
    expect(await page.getByTestId('pickup-verify-card').count()).toBe(0);
    await screenshot(page, 'console-guide-store-scope');
  });

  it('takes a shelf-QR order for pickup through payment, the store counter and HQ', async () => {
    const phone = '13900001234';
    // The customer scans the shelf code of a SKU at SH01 and is asked to log in with their phone.
    const page = await newPage({ width: 420, height: 860 });
    await page.goto(`${fixture.base}/m/sku/LIP-VELVET-999?store=SH01`);
    await loginCustomer(page, fixture.app, phone);
    await page.waitForURL((url) => url.pathname === '/m/sku/LIP-VELVET-999');

    // Order one for pickup here and pay with the simulated provider.
    await page.getByTestId('m-order').click();
    await page.getByTestId('m-way-pickup').click();
    await page.getByTestId('m-place-order').click();
    await page.waitForURL((url) => url.pathname.startsWith('/m/orders/'));
    const orderId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
    expect(orderId).toMatch(/^ord_/);
    await page.locator('[data-testid="order-status"][data-status="pending_payment"]').waitFor();
    const customerSession = String(await page.evaluate("localStorage.getItem('omniloop.session')"));
    expect(customerSession).toContain('customer');
    // Until it is paid the store sees it waiting for payment, apart, with nothing to press.
    const waiting = await newPage({ width: 1024, height: 768 });
    await login(waiting, fixture.base, 'sh01.manager');
    await waiting.goto(`${fixture.base}/store/pickups`);
    const unpaid = waiting.getByTestId('pickups-awaiting_payment').getByTestId(`pickup-${orderId}`);
    await unpaid.getByTestId('fulfillment-awaiting-payment').waitFor();
    expect(await unpaid.getByTestId('fulfillment-accept').count()).toBe(0);
    expect(await waiting.getByTestId('pickups-pending').getByTestId(`pickup-${orderId}`).count()).toBe(0);

    // Back on the phone, the customer pays.
    const paying = await newPage({ width: 420, height: 860 });
    await paying.evaluate(`localStorage.setItem('omniloop.session', ${JSON.stringify(customerSession)})`);
    await paying.goto(`${fixture.base}/m/orders/${encodeURIComponent(orderId)}`);
    await paying.getByTestId('m-pay').click();
    await paying.locator('[data-testid="order-status"][data-status="paid"]').waitFor();

    // The store manager accepts the pickup and marks it ready.
    const store = await newPage({ width: 1024, height: 768 });
    await login(store, fixture.base, 'sh01.manager');
    await store.goto(`${fixture.base}/store/pickups`);
    const task = store.getByTestId('pickups-pending').getByTestId(`pickup-${orderId}`);
    await task.getByTestId('fulfillment-accept').click();
    await store
      .getByTestId('pickups-accepted')
      .getByTestId(`pickup-${orderId}`)
      .getByTestId('fulfillment-ready')
      .click();
    await store.getByTestId('pickups-ready_for_pickup').getByTestId(`pickup-${orderId}`).waitFor();

    // The customer's My orders shows the pickup code in large type.
    const phonePage = await newPage({ width: 420, height: 860 });
    await phonePage.evaluate(`localStorage.setItem('omniloop.session', ${JSON.stringify(customerSession)})`);
    // "Me" greets her by her phone, not by a member id.
    await phonePage.goto(`${fixture.base}/m/me`);
    const me = phonePage.getByTestId('m-me-name');
    await expect.poll(async () => (await me.textContent()) ?? '').toBe(phone);
    await phonePage.goto(`${fixture.base}/m/orders`);
    const codeView = phonePage.locator(`[data-testid="m-pickup-code"][data-order="${orderId}"]`);
    await codeView.waitFor();
    const pickupCode = ((await codeView.textContent()) ?? '').trim();
    expect(pickupCode).toMatch(/^\d{6}$/);
    // Her order's steps name the store as she knows it, not by its code.
    await phonePage.goto(`${fixture.base}/m/orders/${encodeURIComponent(orderId)}`);
    const herSteps = phonePage.getByTestId('m-order-timeline');
    await herSteps.getByText('上海静安店', { exact: false }).first().waitFor();
    expect((await herSteps.textContent()) ?? '').not.toContain('SH01');
    await screenshot(phonePage, 'console-customer-pickup-code');

    // At the counter: a wrong code is refused with the problem's detail, the right one hands the goods over.
    const counter = await newPage({ width: 1024, height: 768 });
    await login(counter, fixture.base, 'sh01.manager');
    await counter.goto(`${fixture.base}/store/pickups`);
    const wrong = pickupCode === '000000' ? '111111' : '000000';
    await counter.getByTestId('pickup-code-input').fill(wrong);
    await counter.getByTestId('pickup-verify').click();
    const refusal = counter.getByTestId('pickup-verify-error');
    await refusal.waitFor();
    // Said in the store's language; the code is kept for support, off the screen.
    expect(await refusal.textContent()).toContain('本店没有待提货的订单使用这个提货码');
    expect(await refusal.textContent()).not.toContain('PICKUP.CODE_INVALID');
    expect(await refusal.getByTestId('error-detail').getAttribute('data-code')).toBe('PICKUP.CODE_INVALID');
    await counter.getByTestId('pickup-code-input').fill(pickupCode);
    await counter.getByTestId('pickup-verify').click();
    const verified = counter.getByTestId('pickup-verified');
    await verified.waitFor();
    expect(await verified.textContent()).toContain(orderId);

    // HQ's order detail shows it picked up and completed, with the plan's explanation and the timeline.
    const hq = await newPage();
    await login(hq, fixture.base, 'ops');
    await hq.goto(`${fixture.base}/hq/orders/${encodeURIComponent(orderId)}`);
    await hq.locator('[data-testid="order-status"][data-status="completed"]').waitFor();
    await hq
      .locator(
        '[data-testid="order-fulfillments"] [data-testid="fulfillment-status"][data-status="picked_up"]',
      )
      .waitFor();
    expect(await hq.getByTestId('plan-explanation').textContent()).toContain('SH01');
    const steps = await hq.getByTestId('order-timeline').textContent();
    expect(steps).toContain('已完成');
    // Each step in Chinese, whatever wrote it: the server keeps codes and params, the console says them.
    expect(steps).toContain('顾客已在 上海静安店 取货');
    expect(steps).toContain('在小程序下单，规划了 1 个履约组');
    expect(steps).not.toContain('Picked up at');
    await screenshot(hq, 'console-order-picked-up');
    // …and in English at the switch, with the brand's time for the pickup deadline.
    await hq.getByTestId('locale-switch').getByText('EN').click();
    await hq.getByTestId('order-timeline').getByText('Picked up at 上海静安店').waitFor();
    expect(await hq.getByTestId('order-timeline').textContent()).toContain(
      'Placed in Mini program; one fulfillment group planned',
    );
    // Six pages, each loading the console: on a loaded two-core machine that can take over a minute.
  }, 150_000);

  it('returns an online order at a store counter, and HQ sees the return and the refund on the order', async () => {
    const { app } = fixture;
    // An online order for delivery, paid with the simulated provider, shipped and delivered.
    const placed = await seed(app, 'POST', '/v1/orders', {
      channel: 'online',
      customer: { identifiers: [{ type: 'phone', value: '13900007777', verified: true }] },
      lines: [{ sku: 'LIP-VELVET-999', quantity: 2 }],
      fulfillment: {
        type: 'delivery',
        address: { city: '上海', lat: 31.23, lng: 121.47, line1: '南京西路 1 号' },
      },
    });
    const orderId = placed.id as string;
    await seed(app, 'POST', `/v1/orders/${orderId}/payments`, {
      provider: 'simulated',
      amount: placed.payableAmount,
    });
    const current = async () => (await app.request({ method: 'GET', url: `/v1/orders/${orderId}` })).json();
    let order = await current();
    for (let i = 0; i < 100 && order.status === 'pending_payment'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      order = await current();
    }
    expect(['paid', 'fulfilling']).toContain(order.status);
    for (const group of order.fulfillments as { id: string; status: string }[]) {
      if (group.status === 'pending') await seed(app, 'POST', `/v1/fulfillments/${group.id}/accept`, {});
      await seed(app, 'POST', `/v1/fulfillments/${group.id}/ship`, {
        carrier: 'SF',
        trackingNumber: 'SF100200300',
      });
      await seed(app, 'POST', `/v1/fulfillments/${group.id}/deliver`, {});
    }
    expect((await current()).status).toBe('completed');

    // The customer brings one lipstick back to SH01: the manager returns it at the counter as resellable.
    const store = await newPage({ width: 1024, height: 768 });
    await login(store, fixture.base, 'sh01.manager');
    await store.goto(`${fixture.base}/store/returns`);
    await store.getByTestId('return-order-id').fill(orderId);
    await store.getByTestId('return-order-id').press('Enter');
    await store.getByTestId('return-line-qty-0').waitFor();
    // Shipped from the warehouse, the order does not concern SH01: the line is typed from the receipt.
    if (await store.getByTestId('return-order-unreadable').isVisible()) {
      await store.getByTestId('return-line-sku-0').fill('LIP-VELVET-999');
    }
    await store.getByTestId('return-line-qty-0').fill('1');
    await store.getByTestId('return-condition').getByText('完好可再售').click();
    await store.getByTestId('return-reason').fill('色号不合适');
    await store.getByTestId('return-submit').click();
    const done = store.getByTestId('return-done');
    await done.waitFor();
    const returnId = (await done.getAttribute('data-return')) ?? '';
    expect(returnId).toMatch(/^ret_/);
    expect(await done.textContent()).toContain('¥320.00');
    expect(await done.textContent()).not.toContain('已退款 · 已退款');
    // The store's list follows the refund until the provider confirms it.
    await store
      .getByTestId('store-returns')
      .locator('[data-testid="store-return-refund"][data-status="succeeded"]')
      .waitFor();

    // HQ: the return with its refund on the order, and both on the timeline.
    const hq = await newPage();
    await login(hq, fixture.base, 'ops');
    await hq.goto(`${fixture.base}/hq/orders/${encodeURIComponent(orderId)}`);
    await hq
      .locator(`[data-testid="order-return"][data-return="${returnId}"][data-refund-status="succeeded"]`)
      .waitFor();
    await hq.getByTestId('order-refunds').getByText('已退款').waitFor();
    const timeline = hq.getByTestId('order-timeline');
    await timeline.locator('[data-kind="return"]').first().waitFor();
    const refundEntries = timeline.locator('[data-kind="refund"]');
    await refundEntries.nth(1).waitFor();
    const refundText = (await refundEntries.allTextContents()).join('\n');
    expect(refundText).toContain(returnId);
    expect(refundText).toContain('已由支付渠道确认');
    expect(await timeline.locator('[data-kind="return"]').first().textContent()).toContain(returnId);
    await screenshot(hq, 'console-counter-return-hq');
  });

  it("records a customer's trial in the store workbench, and HQ's member 360 view shows it", async () => {
    const identified = await seed(fixture.app, 'POST', '/v1/identify', {
      identifiers: [{ type: 'phone', value: '13900008888', verified: true }],
      channel: 'pos',
    });
    const memberId = identified.memberId as string;

    const page = await newPage({ width: 1024, height: 768 });
    await login(page, fixture.base, 'sh01.guide');
    await page.goto(`${fixture.base}/store/trials`);
    await page.getByTestId('trial-member-input').fill('13900008888');
    await page.getByTestId('trial-member-submit').click();
    const chosen = page.getByTestId('trial-member-chosen');
    await chosen.waitFor();
    expect(await chosen.getAttribute('data-member')).toBe(memberId);
    // A guide sees the phone masked.
    expect(await chosen.textContent()).toContain('139****8888');

    await page.getByTestId('trial-sku').click();
    await page.keyboard.type('VELVET');
    await page.locator('.ant-select-item-option[title*="LIP-VELVET-999"]').click();
    await page.getByTestId('trial-kind').getByText('试色/试戴').click();
    await page.getByTestId('trial-shade').fill('999');
    await page.getByTestId('trial-submit').click();
    await page.getByTestId('trial-recorded').waitFor();
    await page.getByTestId('trial-history').getByText('LIP-VELVET-999').waitFor();

    const hq = await newPage();
    await login(hq, fixture.base, 'ops');
    await hq.goto(`${fixture.base}/hq/members/${encodeURIComponent(memberId)}`);
    const trials = hq.getByTestId('member-experiences');
    await trials.getByText('LIP-VELVET-999').waitFor();
    const text = (await trials.textContent()) ?? '';
    expect(text).toContain('试色/试戴');
    expect(text).toContain('SH01');
    expect(text).toContain('sh01.guide');
    expect(text).toContain('色号：999');
    // The 360 view is titled by the person (her phone, in full for HQ), not by an id.
    const title = (await hq.getByTestId('member-title').textContent()) ?? '';
    expect(title).toContain('13900008888');
    expect(title).not.toContain(memberId);
    await screenshot(hq, 'console-trial-member-360');
  });
});
