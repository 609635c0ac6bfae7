import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type ConsoleFixture, HAS_CHROMIUM, login, screenshot, seed, startConsole } from './harness.js';

/**
 * HQ's segment builder: a condition on the purchase profile, the live count and sample as it changes, an exclusion
 * added, the segment saved, listed with its count, and its members shown.
 */
describe.skipIf(!HAS_CHROMIUM)('the segment builder in Chromium', () => {
  let fixture: ConsoleFixture;
  const HEADER = 'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country';

  beforeAll(async () => {
    fixture = await startConsole();
    await seed(fixture.app, 'POST', '/v1/users', { username: 'ops', password: 'omniloop-demo', role: 'ops' });
    // Customer k (1…6) bought k times.
    const rows: string[] = [];
    let invoice = 930_000;
    for (let k = 1; k <= 6; k++)
      for (let i = 0; i < k; i++)
        rows.push(`${invoice++},S${k},ITEM,1,2011-0${1 + i}-10 10:00,5.00,${60_000 + k}.0,United Kingdom`);
    const res = await fixture.app.request({
      method: 'POST',
      url: '/v1/imports/orders?format=online_retail&timezone=UTC',
      headers: { 'content-type': 'text/csv' },
      body: `${HEADER}\n${rows.join('\n')}\n`,
    });
    await vi.waitFor(
      async () => {
        const traits = await fixture.app.runtime.database.db
          .selectFrom('member_traits')
          .select('member_id')
          .execute();
        if (res.statusCode !== 202 || traits.length < 6) throw new Error('not yet');
      },
      { timeout: 30_000, interval: 100 },
    );
  }, 180_000);
  afterAll(() => fixture?.close());

  it('counts as the rule changes, saves the segment and lists its members', async () => {
    const page = await fixture.newPage({ width: 1366, height: 900 });
    await login(page, fixture.base, 'ops');
    await page.goto(`${fixture.base}/hq/segments`);
    // Orders ≥ 3: customers 3, 4, 5 and 6.
    await page.getByTestId('segment-value').fill('3');
    await expect.poll(async () => page.getByTestId('segment-count').getAttribute('data-count')).toBe('4');
    expect(await page.getByTestId('segment-count').textContent()).toContain('当前匹配 4 位会员');
    await page.getByTestId('segment-sample').waitFor();
    // And not orders ≥ 6: customer 6 leaves.
    await page.getByText('添加条件').click();
    const second = page.getByTestId('segment-condition-1');
    await second.getByText('排除').click();
    await second.getByTestId('segment-value').fill('6');
    await expect.poll(async () => page.getByTestId('segment-count').getAttribute('data-count')).toBe('3');
    await screenshot(page, 'segment-builder');

    await page.getByTestId('segment-name').fill('回头客');
    await page.getByTestId('segment-save').click();
    await expect.poll(async () => page.getByTestId('segment-list').textContent()).toContain('回头客');
    await expect.poll(async () => page.getByTestId('segment-members').locator('tbody tr').count()).toBe(3);
    // Whom they are, as the server masks it (these customers gave a card only: no name or phone to show).
    expect(await page.getByTestId('segment-members').locator('thead').textContent()).toContain(
      '姓名 / 手机（脱敏）',
    );
    const saved = (await fixture.app.request({ method: 'GET', url: '/v1/segments' })).json().items[0];
    expect(saved).toMatchObject({ name: '回头客', count: 3 });
    expect(saved.rule).toEqual({
      all: [
        { trait: 'orderCount', op: '>=', value: 3 },
        { not: { trait: 'orderCount', op: '>=', value: 6 } },
      ],
    });
  });
});
