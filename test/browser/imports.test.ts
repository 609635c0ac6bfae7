import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleFixture, HAS_CHROMIUM, login, screenshot, seed, startConsole } from './harness.js';

/** HQ imports the brand's order history from the console: the file, the live report, the rejected rows. */
describe.skipIf(!HAS_CHROMIUM)('importing history in Chromium', () => {
  let fixture: ConsoleFixture;

  beforeAll(async () => {
    fixture = await startConsole();
    await seed(fixture.app, 'POST', '/v1/users', { username: 'ops', password: 'omniloop-demo', role: 'ops' });
  });
  afterAll(() => fixture?.close());

  it('uploads a CSV, follows it to its report, and offers the rejected rows', async () => {
    const page = await fixture.newPage();
    await login(page, fixture.base, 'ops');
    await page.goto(`${fixture.base}/hq/imports`);
    await page.getByTestId('import-file').setInputFiles({
      name: 'history.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        [
          'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country',
          '536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom',
          '536366,22633,HAND WARMER UNION JACK,6,2010-12-01 08:28:00,1.85,,United Kingdom',
          '536367,22633,HAND WARMER UNION JACK,0,2010-12-01 08:30:00,1.85,13047.0,United Kingdom',
        ].join('\n'),
      ),
    });
    await page.getByTestId('import-start').click();
    await page.locator('[data-testid="import-status"][data-status="completed"]').waitFor();
    const report = (await page.getByTestId('import-report').textContent()) ?? '';
    expect(report).toContain('新建订单2');
    expect(report).toContain('被拒行数1');
    await page.getByTestId('import-rejects').waitFor();
    const download = page.waitForEvent('download');
    await page.getByTestId('import-rejects').click();
    expect((await download).suggestedFilename()).toMatch(/-rejects\.csv$/);
    await screenshot(page, 'imports-report');
  });
});
