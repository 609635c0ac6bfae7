import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDictionary } from '../../src/catalog/index.js';
import {
  type ConsoleFixture,
  createStaff,
  HAS_CHROMIUM,
  login,
  screenshot,
  seed,
  startConsole,
} from './harness.js';

/**
 * Words, not codes: the console and the customer's pages name categories, attributes and their values from the
 * brand's dictionary, tiers by their names, and identity reviews, member traits and trial results from the
 * console's own dictionaries; HQ renames a category and sees the new name at once.
 */
describe.skipIf(!HAS_CHROMIUM)('dictionaries in Chromium', () => {
  let fixture: ConsoleFixture;
  let memberId = '';
  const newPage = (viewport?: { width: number; height: number }): Promise<Page> => fixture.newPage(viewport);

  beforeAll(async () => {
    fixture = await startConsole();
    const { app } = fixture;
    await createStaff(app, 'ops', 'ops');
    await seedDictionary(app.runtime.database);
    await seed(app, 'POST', '/v1/locations', {
      code: 'SH01',
      name: '上海静安店',
      kind: 'store',
      city: '上海',
      lat: 31.2235,
      lng: 121.4452,
      capabilities: { pickup: true },
    });
    await seed(app, 'POST', '/v1/products', {
      code: 'FDN-WEAR',
      name: '持妆粉底液',
      category: 'foundation',
      skus: [
        {
          code: 'FDN-WEAR-N05',
          name: '持妆粉底液 N05',
          price: 48000,
          attributes: { shade: 'N05', finish: 'natural', size: '30ml' },
        },
      ],
    });
    // A category the dictionary does not know yet shows as its code.
    await seed(app, 'POST', '/v1/products', {
      code: 'NAIL-RED',
      name: '甲油 红',
      category: 'nail',
      skus: [],
    });
    await seed(app, 'PUT', '/v1/inventory/levels/FDN-WEAR-N05/SH01', { onHand: 5 });
    await seed(app, 'PUT', '/v1/loyalty/tiers', {
      tiers: [
        { code: 'regular', name: '普通会员', threshold: 0, multiplier: 1 },
        { code: 'gold', name: '金卡会员', threshold: 800_000, multiplier: 1.5 },
      ],
    });
    await seed(app, 'POST', '/v1/coupon-templates', {
      code: 'GOLD-FDN',
      name: '金卡粉底券',
      kind: 'amount_off',
      value: 5000,
      categories: ['foundation'],
      tiers: ['gold'],
      validFrom: '2026-01-01T00:00:00Z',
      validTo: '2030-01-01T00:00:00Z',
    });
    const member = await seed(app, 'POST', '/v1/identify', {
      identifiers: [
        { type: 'phone', value: '13900005555', verified: true },
        { type: 'unionid', value: 'oUnion_dict' },
      ],
      traits: { gender: 'female', skinType: 'oily', favouriteColour: 'teal' },
      channel: 'pos',
    });
    memberId = member.memberId as string;
    await seed(app, 'POST', '/v1/experiences', {
      memberId,
      store: 'SH01',
      sku: 'FDN-WEAR-N05',
      kind: 'trial',
      result: { shadeChosen: 'FDN-WEAR-N05', skinType: 'combination' },
    });
    // Two members with different verified phones, then one person claiming both: One ID asks HQ.
    await seed(app, 'POST', '/v1/identify', {
      identifiers: [{ type: 'phone', value: '13900006666', verified: true }],
      channel: 'pos',
    });
    const conflicting = await seed(app, 'POST', '/v1/identify', {
      identifiers: [
        { type: 'phone', value: '13900006666', verified: true },
        { type: 'unionid', value: 'oUnion_dict' },
      ],
      channel: 'wecom',
    });
    expect(conflicting.review?.reason).toBe('conflicting_phone');
  }, 60_000);

  afterAll(() => fixture?.close());

  it('shows the customer a SKU’s attributes by name: 色号 N05, 妆效 自然', async () => {
    const phone = '13900001234';
    const page = await newPage({ width: 420, height: 860 });
    await page.goto(`${fixture.base}/m/sku/FDN-WEAR-N05?store=SH01`);
    await page.waitForURL((url) => url.pathname === '/m/login');
    await page.getByTestId('m-phone').fill(phone);
    await page.getByTestId('m-send-code').click();
    let code = '';
    for (let i = 0; i < 50 && !code; i++) {
      const messages = await fixture.app.request({ method: 'GET', url: `/v1/sms/messages?phone=${phone}` });
      code = (messages.json().items?.[0]?.params?.code as string | undefined) ?? '';
      if (!code) await new Promise((r) => setTimeout(r, 100));
    }
    await page.getByTestId('m-sms-code').fill(code);
    await page.getByTestId('m-login').click();
    await page.waitForURL((url) => url.pathname === '/m/sku/FDN-WEAR-N05');
    await page.getByTestId('m-attr-finish').getByText('妆效: 自然').waitFor();
    expect(await page.getByTestId('m-attr-shade').textContent()).toBe('色号: N05');
    expect(await page.getByTestId('m-attr-size').textContent()).toBe('规格: 30ml');
    await screenshot(page, 'dictionary-customer-sku');
  });

  it('lets HQ pick a category multiplier of the points rules by its name', async () => {
    const page = await newPage();
    await login(page, fixture.base, 'ops');
    await page.goto(`${fixture.base}/hq/loyalty`);
    await page.getByTestId('rules-edit').click();
    await page.getByRole('button', { name: '添加品类' }).click();
    await page.getByTestId('rules-category-0').click();
    await page.locator('.ant-select-item-option', { hasText: '粉底' }).click();
    await page.getByTestId('rules-save').click();
    await page.getByTestId('rules').getByText('粉底 ×1').waitFor();
    const rules = (await fixture.app.request({ method: 'GET', url: '/v1/loyalty/rules' })).json();
    expect(rules.categories).toEqual({ foundation: 1 });
  });

  it('names categories in HQ’s catalog, and a name HQ edits shows at once', async () => {
    const page = await newPage();
    await login(page, fixture.base, 'ops');
    await page.goto(`${fixture.base}/hq/catalog`);
    await page.getByTestId('category-foundation').getByText('粉底').waitFor();
    expect(await page.getByTestId('category-nail').textContent()).toBe('nail');

    await page.getByTestId('tab-dictionary').click();
    const categories = page.getByTestId('dict-categories');
    await categories.getByText('粉底').waitFor();
    // The category products use without a name is listed, to be named.
    await categories.getByText('未命名').waitFor();
    await page.getByTestId('dict-edit-category-nail').click();
    await page.getByTestId('dict-zh').fill('美甲');
    await page.getByTestId('dict-en').fill('Nails');
    await page.getByTestId('dict-save').click();
    await categories.getByText('美甲').waitFor();

    await page.getByTestId('dict-edit-category-foundation').click();
    await page.getByTestId('dict-zh').fill('底妆');
    await page.getByTestId('dict-save').click();
    await categories.getByText('底妆').waitFor();
    await screenshot(page, 'dictionary-hq-editor');

    await page.getByRole('tab', { name: '商品' }).click();
    await page.getByTestId('category-foundation').getByText('底妆').waitFor();
    expect(await page.getByTestId('category-nail').textContent()).toBe('美甲');
    const saved = (await fixture.app.request({ method: 'GET', url: '/v1/catalog/dictionary' })).json();
    expect(saved.categories.find((c: { code: string }) => c.code === 'foundation').names).toEqual({
      'zh-CN': '底妆',
      'en-US': 'Foundation',
    });
    // Blank is no name: the form says so and nothing is sent.
    await page.getByTestId('tab-dictionary').click();
    await page.getByTestId('dict-edit-category-foundation').click();
    await page.getByTestId('dict-en').fill('   ');
    await page.getByTestId('dict-save').click();
    await page.locator('.ant-form-item-explain-error').first().waitFor();
  });

  it('shows a coupon template’s rules with the tier’s and the category’s names', async () => {
    const page = await newPage();
    await login(page, fixture.base, 'ops');
    await page.goto(`${fixture.base}/hq/coupons`);
    const row = page.locator('tr', { hasText: 'GOLD-FDN' });
    await row.getByText('金卡会员').waitFor();
    const text = (await row.textContent()) ?? '';
    expect(text).not.toContain('gold');
    expect(text).not.toContain('foundation');
    await screenshot(page, 'dictionary-coupon-rules');
  });

  it('says why an identity review waits, in Chinese', async () => {
    const page = await newPage();
    await login(page, fixture.base, 'ops');
    await page.goto(`${fixture.base}/hq/identity-reviews`);
    const reason = page.getByTestId('review-reason').first();
    await reason.waitFor();
    expect(await reason.textContent()).toBe('两个不同的已验证手机号');
    expect(await reason.getAttribute('title')).toBe('conflicting_phone');
    await page.getByText('待审核').first().waitFor();
    await screenshot(page, 'dictionary-identity-reviews');
  });

  it('names a member’s traits and trial results in the 360 view; a brand’s own trait shows as it is', async () => {
    const page = await newPage();
    await login(page, fixture.base, 'ops');
    await page.goto(`${fixture.base}/hq/members/${encodeURIComponent(memberId)}`);
    await page.getByTestId('member-trait-skinType').getByText('油性').waitFor();
    expect(await page.getByTestId('member-trait-gender').textContent()).toBe('女');
    expect(await page.getByTestId('member-trait-favouriteColour').textContent()).toBe('teal');
    const card = (await page.getByTestId('member-360').textContent()) ?? '';
    expect(card).toContain('性别');
    expect(card).toContain('肤质');
    const trials = (await page.getByTestId('member-experiences').textContent()) ?? '';
    expect(trials).toContain('选定色号：FDN-WEAR-N05；肤质：混合性');
    await screenshot(page, 'dictionary-member-360');

    // In English, the same words in English.
    await page.evaluate("localStorage.setItem('omniloop.locale', 'en-US')");
    await page.reload();
    await page.getByTestId('member-trait-skinType').getByText('Oily').waitFor();
    expect(await page.getByTestId('member-experiences').textContent()).toContain(
      'Shade chosen: FDN-WEAR-N05; Skin type: Combination',
    );
  });
});
