import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleFixture, HAS_CHROMIUM, login, screenshot, seed, startConsole } from './harness.js';

/** Picks an option of the open Ant Design select (closed dropdowns stay in the page, hidden). */
async function pick(page: Page, testId: string, option: string): Promise<void> {
  await page.getByTestId(testId).click();
  await page
    .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', {
      hasText: option,
    })
    .click();
}

/**
 * HQ's tags end to end: a tag group and a manual tag made on the tags page, the tag set on a member in her 360
 * view (with its source in words and the change folded away), and the member list narrowed to her by the tag.
 */
describe.skipIf(!HAS_CHROMIUM)('tags in Chromium', () => {
  let fixture: ConsoleFixture;
  let tagged: string;
  let other: string;

  beforeAll(async () => {
    fixture = await startConsole();
    await seed(fixture.app, 'POST', '/v1/users', { username: 'ops', password: 'omniloop-demo', role: 'ops' });
    const identify = async (phone: string) =>
      (
        await seed(fixture.app, 'POST', '/v1/identify', {
          identifiers: [{ type: 'phone', value: phone }],
          channel: 'mini_program',
        })
      ).memberId as string;
    tagged = await identify('13911113333');
    other = await identify('13911114444');
  }, 180_000);
  afterAll(() => fixture?.close());

  it('makes a group and a tag, sets it on a member and finds her by it', async () => {
    const page = await fixture.newPage();
    await login(page, fixture.base, 'ops');
    await page.getByTestId('hq-menu').getByText('标签', { exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/hq/tags');

    await page.getByTestId('tag-group-new').click();
    await page.getByTestId('tag-group-code').fill('skin');
    await page.getByTestId('tag-group-name-zh').fill('肤质');
    await page.getByTestId('tag-group-name-en').fill('Skin');
    await page.getByTestId('tag-group-save').click();
    await page.getByTestId('tag-group-skin').getByText('肤质').waitFor();

    await page.getByTestId('tag-new').click();
    await page.getByTestId('tag-code').fill('dry_skin');
    await page.getByTestId('tag-name-zh').fill('干性肌肤');
    await page.getByTestId('tag-name-en').fill('Dry skin');
    await pick(page, 'tag-group-select', '肤质');
    await page.getByTestId('tag-save').click();
    const section = page.getByTestId('tag-section-skin');
    await section.getByTestId('tag-row-dry_skin').getByText('干性肌肤').waitFor();
    expect(await section.textContent()).toContain('手动');
    expect(await page.getByTestId('tag-members-dry_skin').textContent()).toBe('0');
    await screenshot(page, 'tags-page');

    await page.goto(`${fixture.base}/hq/members/${tagged}`);
    const card = page.getByTestId('member-tags');
    await card.getByText('还没有标签').waitFor();
    await pick(page, 'member-tag-choose', '干性肌肤');
    await card.getByTestId('member-tag-add').click();
    const chip = card.getByTestId('member-tag-dry_skin');
    await chip.waitFor();
    expect(await chip.textContent()).toContain('干性肌肤 · 手动');
    // The change is there, folded away until asked for.
    const history = card.getByTestId('member-tag-history');
    await history.getByText('变更记录（1）').click();
    await history.getByText('打上').waitFor();
    await screenshot(page, 'member-tags');

    await page.goto(`${fixture.base}/hq/members`);
    const list = page.getByTestId('member-list');
    await expect.poll(() => list.locator('tbody tr').count()).toBe(2);
    await pick(page, 'member-filter-tag', '干性肌肤');
    await page.waitForURL((url) => url.searchParams.get('tag') === 'dry_skin');
    await expect.poll(() => list.locator('tbody tr').count()).toBe(1);
    expect(await list.textContent()).toContain(tagged);
    expect(await list.textContent()).not.toContain(other);

    const tags = (await fixture.app.request({ method: 'GET', url: '/v1/tags' })).json().items;
    expect(tags).toEqual([
      expect.objectContaining({
        code: 'dry_skin',
        group: 'skin',
        names: { 'zh-CN': '干性肌肤', 'en-US': 'Dry skin' },
        members: 1,
      }),
    ]);
  });
});
