import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type ConsoleFixture, HAS_CHROMIUM, login, screenshot, seed, startConsole } from './harness.js';

/**
 * HQ's customer insight: run RFM over the imported history, see the segments' sizes and money and the R × F heat
 * map, run again after new history and read the movement between the two runs; the member's 360 view shows her
 * purchase profile and segment.
 */
describe.skipIf(!HAS_CHROMIUM)('customer insight in Chromium', () => {
  let fixture: ConsoleFixture;
  const HEADER = 'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country';

  const importRows = async (rows: string[]) => {
    const res = await fixture.app.request({
      method: 'POST',
      url: '/v1/imports/orders?format=online_retail&timezone=UTC',
      headers: { 'content-type': 'text/csv' },
      body: `${HEADER}\n${rows.join('\n')}\n`,
    });
    await vi.waitFor(
      async () => {
        const status = (
          await fixture.app.request({ method: 'GET', url: `/v1/imports/${res.json().id}` })
        ).json().status;
        if (status !== 'completed') throw new Error(status);
      },
      { timeout: 15_000, interval: 100 },
    );
  };
  const traitsOf = async (n: number) =>
    vi.waitFor(
      async () => {
        const { count } = await fixture.app.runtime.database.db
          .selectFrom('member_traits')
          .select((eb) => eb.fn.countAll<number>().as('count'))
          .where('order_count', '>', 0)
          .executeTakeFirstOrThrow();
        if (Number(count) < n) throw new Error(`${count} members with traits`);
      },
      { timeout: 20_000, interval: 100 },
    );

  beforeAll(async () => {
    fixture = await startConsole();
    await seed(fixture.app, 'POST', '/v1/users', { username: 'ops', password: 'omniloop-demo', role: 'ops' });
    const rows: string[] = [];
    let invoice = 900_000;
    for (let k = 1; k <= 12; k++) {
      for (let i = 0; i < (k % 4) + 1; i++) {
        const at = new Date(Date.now() - (k * 9 + i * 2) * 86_400_000)
          .toISOString()
          .slice(0, 16)
          .replace('T', ' ');
        rows.push(
          `${invoice++},SKU-${k},ITEM,${k},${at},${(k * 3).toFixed(2)},${90_000 + k}.0,United Kingdom`,
        );
      }
    }
    await importRows(rows);
    await traitsOf(12);
  }, 60_000);
  afterAll(() => fixture?.close());

  it('runs RFM, shows the segments and the heat map, and the movement since the last run', async () => {
    const page = await fixture.newPage({ width: 1366, height: 900 });
    await login(page, fixture.base, 'ops');
    await page.goto(`${fixture.base}/hq/insight`);
    await page.getByTestId('insight-run').click();
    await expect.poll(async () => page.getByTestId('insight-summary').textContent()).toContain('12 位会员');
    await page.getByTestId('insight-sizes').locator('canvas').first().waitFor();
    await page.getByTestId('insight-grid').locator('canvas').first().waitFor();
    await screenshot(page, 'insight-first-run');

    // New purchases by two customers, then a second run: the movement names segments in Chinese.
    const now = new Date().toISOString().slice(0, 16).replace('T', ' ');
    await importRows([
      `990001,SKU-1,ITEM,50,${now},9.00,90001.0,United Kingdom`,
      `990002,SKU-2,ITEM,50,${now},9.00,90002.0,United Kingdom`,
    ]);
    await vi.waitFor(
      async () => {
        const t = (
          await fixture.app.request({ method: 'GET', url: '/v1/members/lookup?type=card&value=90001' })
        ).json();
        if (t.computedTraits?.orderCount !== 3) throw new Error('not yet');
      },
      { timeout: 20_000, interval: 100 },
    );
    await page.getByTestId('insight-run').click();
    await page.getByTestId('insight-movements').waitFor();
    await expect
      .poll(async () => page.getByTestId('insight-movements').textContent())
      .toMatch(
        /冠军客户|忠诚客户|潜力客户|新客户|有望客户|需要关注|即将沉睡|流失风险|不能失去|沉睡客户|已流失/,
      );
    await screenshot(page, 'insight-movement');

    // Her 360 view: the purchase profile and the segment she is in.
    const member = (
      await fixture.app.request({ method: 'GET', url: '/v1/members/lookup?type=card&value=90001' })
    ).json();
    await page.goto(`${fixture.base}/hq/members/${member.id}`);
    await expect.poll(async () => page.getByTestId('member-traits').textContent()).toContain('订单数');
    await expect.poll(async () => page.getByTestId('member-rfm').textContent()).toMatch(/R \d · F \d · M \d/);
  });
});
