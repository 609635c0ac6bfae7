import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ConsoleFixture,
  createStaff,
  HAS_CHROMIUM,
  login,
  screenshot,
  seed,
  startConsole,
} from './harness.js';

if (!HAS_CHROMIUM) {
  console.warn(
    'Browser tests skipped: no Chromium at /usr/bin/chromium (apt-get install -y chromium fonts-noto-cjk)',
  );
}

/** The console in a real browser against a real node: log in, switch language, live stock, store scope. */
describe.skipIf(!HAS_CHROMIUM)('the console in Chromium', () => {
  let fixture: ConsoleFixture;
  const newPage = (viewport?: { width: number; height: number }): Promise<Page> => fixture.newPage(viewport);

  beforeAll(async () => {
    fixture = await startConsole();
    const { app } = fixture;
    await createStaff(app, 'ops', 'ops');
    await createStaff(app, 'sh01.guide', 'guide', 'SH01');
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
    await screenshot(page, 'console-guide-member-masked');
  });
});
