import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
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

/**
 * After-sales from her phone: an order picked up at one store is returned at ANOTHER store she chooses; that
 * store's workbench sees the request coming (her phone masked, her photo, the lines) and receives it; her phone
 * then shows it received and refunded.
 */
describe.skipIf(!HAS_CHROMIUM)('a return request from the phone received at another store', () => {
  let fixture: ConsoleFixture;
  let orderId: string;
  const phone = '13900007341';
  const photo = 'https://img.example.com/returns/cream.jpg';
  const PHONE_SIZE = { width: 390, height: 844 };

  beforeAll(async () => {
    fixture = await startConsole();
    const { app } = fixture;
    for (const [code, name, lat, lng] of [
      ['SH01', '上海静安店', 31.2235, 121.4452],
      ['SH02', '上海徐汇店', 31.1946, 121.4366],
    ] as const) {
      await seed(app, 'POST', '/v1/locations', {
        code,
        name,
        kind: 'store',
        city: '上海',
        lat,
        lng,
        capabilities: { pickup: true },
      });
    }
    await seed(app, 'POST', '/v1/products', {
      code: 'CRM',
      name: '修护面霜',
      category: 'skincare',
      skus: [{ code: 'CRM-50', name: '修护面霜 50ml', price: 32000 }],
    });
    await seed(app, 'PUT', '/v1/inventory/levels/CRM-50/SH01', { onHand: 20 });
    await createStaff(app, 'sh02.guide', 'guide', 'SH02');
    const { memberId } = await seed(app, 'POST', '/v1/identify', {
      identifiers: [{ type: 'phone', value: phone, verified: true }],
      channel: 'mini_program',
    });
    // Bought in the mini-program, picked up at SH01.
    const order = await seed(app, 'POST', '/v1/orders', {
      channel: 'mini_program',
      memberId,
      lines: [{ sku: 'CRM-50', quantity: 2 }],
      fulfillment: { type: 'pickup', store: 'SH01' },
    });
    orderId = order.id;
    await seed(app, 'POST', `/v1/orders/${orderId}/payments`, {
      provider: 'simulated',
      amount: order.payableAmount,
    });
    const group = await vi.waitFor(
      async () => {
        const o = (await app.request({ method: 'GET', url: `/v1/orders/${orderId}` })).json();
        // Paid: the pickup group waits for the store to accept it.
        expect(['paid', 'fulfilling']).toContain(o.status);
        expect(o.fulfillments).toHaveLength(1);
        return o.fulfillments[0];
      },
      { timeout: 15_000, interval: 100 },
    );
    if (group.status === 'pending') await seed(app, 'POST', `/v1/fulfillments/${group.id}/accept`, {});
    const ready = await seed(app, 'POST', `/v1/fulfillments/${group.id}/ready`, {});
    await seed(app, 'POST', '/v1/pickups/verify', { store: 'SH01', code: ready.pickupCode });
  });
  afterAll(() => fixture?.close());

  const session = (page: Page) =>
    page.evaluate("localStorage.getItem('omniloop.session')") as Promise<string>;
  // Evaluated in the page (a string, as the other browser tests do: the test itself has no DOM types).
  const restore = (page: Page, saved: string) =>
    page.evaluate(`localStorage.setItem('omniloop.session', ${JSON.stringify(saved)})`);

  it('she asks to bring it to SH02; SH02 sees it coming and receives it; her phone shows it refunded', async () => {
    // On her phone: the order she collected at SH01 → 申请售后.
    const phonePage = await fixture.newPage(PHONE_SIZE);
    await phonePage.goto(`${fixture.base}/m/orders/${orderId}`);
    await loginCustomer(phonePage, fixture.app, phone);
    const customerSession = await session(phonePage);
    await phonePage.getByTestId('m-return-entry').click();
    await phonePage.waitForURL((url) => url.pathname === `/m/orders/${orderId}/return`);
    const qty = phonePage.getByTestId('m-return-qty-CRM-50');
    await qty.waitFor();
    expect(await phonePage.getByTestId('m-return-request').textContent()).toContain('可退 2 件');
    await qty.fill('1');
    await phonePage.getByTestId('m-return-reason-skin').click();
    await phonePage.getByTestId('m-return-note').fill('用了两天脸发红');
    await phonePage.getByTestId('m-return-photo').fill('http://img.example.com/x.jpg');
    expect(await phonePage.getByTestId('m-return-photo-add').isDisabled()).toBe(true);
    await phonePage.getByTestId('m-return-photo').fill(photo);
    await phonePage.getByTestId('m-return-photo-add').click();
    // Another store than the one she collected at.
    await phonePage.getByTestId('m-return-store').click();
    await phonePage.locator('.ant-select-item-option').getByText('上海徐汇店').click();
    await screenshot(phonePage, 'returns-phone-request');
    await phonePage.getByTestId('m-return-submit').click();
    await phonePage.waitForURL((url) => url.pathname.startsWith('/m/returns/'));
    const returnId = decodeURIComponent(new URL(phonePage.url()).pathname.split('/').pop() ?? '');
    const status = phonePage.getByTestId('m-return-status');
    await expect.poll(() => status.textContent()).toContain('待寄回');
    expect(await phonePage.getByTestId('m-return-where').textContent()).toContain('上海徐汇店');
    expect(await phonePage.getByTestId('m-return-refund').getAttribute('data-status')).toBe('not_started');

    // At SH02: the store's returns page shows it coming, her phone masked, her photo, the line.
    const storePage = await fixture.newPage();
    await login(storePage, fixture.base, 'sh02.guide');
    await storePage.goto(`${fixture.base}/store/returns`);
    const incoming = storePage.getByTestId('incoming-returns');
    const row = incoming.locator('tr', { hasText: orderId });
    await row.waitFor();
    const text = (await row.textContent()) ?? '';
    expect(text).toContain('139****7341');
    expect(text).not.toContain(phone);
    expect(text).toContain('CRM-50 × 1');
    expect(text).toContain('使用后过敏或不适：用了两天脸发红');
    expect(await row.getByTestId('incoming-method').textContent()).toContain('顾客到店');
    expect(await row.locator(`img[src="${photo}"]`).count()).toBe(1);
    await screenshot(storePage, 'returns-phone-store-incoming');
    await row.getByTestId('incoming-receive').click();
    await expect.poll(() => incoming.locator('tr', { hasText: orderId }).count()).toBe(0);
    const received = (await fixture.app.request({ method: 'GET', url: `/v1/returns/${returnId}` })).json();
    expect(received).toMatchObject({ receivedLocation: 'SH02', receivedBy: 'guide:sh02.guide' });
    const level = (await fixture.app.request({ method: 'GET', url: '/v1/inventory/CRM-50' })).json();
    expect(level.levels.find((l: { location: string }) => l.location === 'SH02')?.onHand).toBe(1);

    // Back on her phone: received at SH02, and the refund confirmed.
    const again = await fixture.newPage(PHONE_SIZE);
    await restore(again, customerSession);
    await again.goto(`${fixture.base}/m/returns/${returnId}`);
    await expect
      .poll(() => again.getByTestId('m-return-page').getAttribute('data-status'), { timeout: 20_000 })
      .toBe('refunded');
    expect(await again.getByTestId('m-return-refund').getAttribute('data-status')).toBe('succeeded');
    expect(await again.getByTestId('m-return-page').textContent()).toContain('上海徐汇店 已于');
    // Her order page lists the return.
    await again.goto(`${fixture.base}/m/orders/${orderId}`);
    await again.locator(`[data-testid="m-return-item"][data-return="${returnId}"]`).waitFor();
    await screenshot(again, 'returns-phone-refunded');

    // The second unit: she asks, then changes her mind before bringing it, and withdraws the request.
    await again.getByTestId('m-return-entry').click();
    await again.getByTestId('m-return-qty-CRM-50').fill('1');
    await again.getByTestId('m-return-reason-skin').click();
    await again.getByTestId('m-return-store').click();
    await again.locator('.ant-select-item-option').getByText('上海徐汇店').click();
    await again.getByTestId('m-return-submit').click();
    await again.waitForURL(
      (url) => url.pathname.startsWith('/m/returns/') && !url.pathname.endsWith(returnId),
    );
    await again.getByTestId('m-return-withdraw').click();
    await again.locator('.ant-popconfirm .ant-btn-primary').click();
    await expect.poll(() => again.getByTestId('m-return-page').getAttribute('data-status')).toBe('cancelled');
    expect(await again.getByTestId('m-return-withdraw').count()).toBe(0);
  });
});
