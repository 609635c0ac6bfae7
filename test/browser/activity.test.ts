import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleFixture, HAS_CHROMIUM, login, screenshot, seed, startConsole } from './harness.js';

/** HQ reads a member's activity timeline on her page: newest first, by type, a page at a time, in both languages. */
describe.skipIf(!HAS_CHROMIUM)('the activity timeline in Chromium', () => {
  let fixture: ConsoleFixture;
  let memberId: string;

  beforeAll(async () => {
    fixture = await startConsole();
    await seed(fixture.app, 'POST', '/v1/users', { username: 'ops', password: 'omniloop-demo', role: 'ops' });
    memberId = (
      await seed(fixture.app, 'POST', '/v1/identify', {
        identifiers: [{ type: 'phone', value: '13911112222' }],
        channel: 'mini_program',
      })
    ).memberId;
    const minute = 60_000;
    const events = Array.from({ length: 23 }, (_, i) => ({
      type: i === 22 ? 'cart_added' : 'product_viewed',
      memberId,
      channel: 'mini_program',
      sku: `LIP-${String(i).padStart(2, '0')}`,
      occurredAt: new Date(Date.now() - (30 - i) * minute).toISOString(),
    }));
    const answer = await seed(fixture.app, 'POST', '/v1/track', { events });
    expect(answer).toEqual({ accepted: 23, rejected: [] });
  });
  afterAll(() => fixture?.close());

  it('shows her newest activity first, filters by type and pages on', async () => {
    const page = await fixture.newPage();
    await login(page, fixture.base, 'ops');
    await page.goto(`${fixture.base}/hq/members/${memberId}`);
    const timeline = page.getByTestId('activity-timeline');
    await timeline.getByText('行为时间线').waitFor();
    const entries = timeline.getByTestId('activity-entry');
    await expect.poll(() => entries.count()).toBe(20);
    expect(await entries.first().textContent()).toContain('加入购物车');
    expect(await entries.first().textContent()).toContain('LIP-22');
    await timeline.getByTestId('activity-more').click();
    await expect.poll(() => entries.count()).toBe(23);
    expect(await entries.last().textContent()).toContain('LIP-00');

    await timeline.getByTestId('activity-type').click();
    await page.locator('.ant-select-item-option').getByText('加入购物车').click();
    await expect.poll(() => entries.count()).toBe(1);
    await screenshot(page, 'activity-timeline');

    await page.evaluate("localStorage.setItem('omniloop.locale', 'en-US')");
    await page.reload();
    await timeline.getByText('Activity timeline').waitFor();
    await expect.poll(() => entries.count()).toBe(20);
    expect(await entries.first().textContent()).toContain('Added to cart');
  });
});
