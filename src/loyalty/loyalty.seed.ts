import { DEMO_PRODUCTS } from '../catalog/index.js';
import { recordExperience } from '../experience/index.js';
import { resolveMemberId } from '../members/index.js';
import type { Database, Trx } from '../platform/index.js';
import { issueCoupon } from './coupon-issuing.service.js';
import { createTemplate, type NewCouponTemplate } from './coupon-templates.service.js';
import { putRules, putTiers, type TierInput } from './loyalty.service.js';
import { grantOpeningBalance } from './points-earning.service.js';

export const DEMO_TIERS: TierInput[] = [
  { code: 'regular', name: '普通会员', threshold: 0, multiplier: 1, benefits: ['消费1元积1分'] },
  {
    code: 'silver',
    name: '银卡会员',
    threshold: 200_000,
    multiplier: 1.2,
    benefits: ['积分1.2倍', '生日礼'],
  },
  {
    code: 'gold',
    name: '金卡会员',
    threshold: 800_000,
    multiplier: 1.5,
    benefits: ['积分1.5倍', '生日礼', '金卡专享券', '免费肌肤检测'],
  },
  {
    code: 'black_diamond',
    name: '黑钻会员',
    threshold: 2_000_000,
    multiplier: 2,
    benefits: ['积分2倍', '专属导购', '新品优先试用', '金卡专享券'],
  },
];

const YEAR_MS = 365 * 86_400_000;

function demoTemplates(now: Date): NewCouponTemplate[] {
  const validFrom = new Date(now.getTime() - 86_400_000).toISOString();
  const validTo = new Date(now.getTime() + YEAR_MS).toISOString();
  return [
    {
      code: 'WELCOME20',
      name: '新会员礼 满100减20',
      kind: 'amount_off',
      value: 2000,
      minSpend: 10000,
      validFrom,
      validTo,
      validDays: 90,
      perMemberLimit: 1,
      description: '全渠道通用，不可与其他券叠加',
    },
    {
      code: 'TRIAL50',
      name: '体验专享券 满300减50',
      kind: 'amount_off',
      value: 5000,
      minSpend: 30000,
      channels: ['online', 'mini_program'],
      validFrom,
      validTo,
      validDays: 30,
      perMemberLimit: 1,
      issuableInStore: true,
      description: '门店试用后由导购发放，仅限官网与小程序使用',
    },
    {
      code: 'LIP15',
      name: '唇妆85折',
      kind: 'percent_off',
      value: 15,
      maxDiscount: 6000,
      categories: ['lipstick'],
      validFrom,
      validTo,
      stackable: true,
      claimable: true,
      perMemberLimit: 1,
      description: '唇膏类商品85折，最高减60元，可与满减券叠加；领券中心每人限领一张',
    },
    {
      code: 'GOLD100',
      name: '金卡专享 满800减100',
      kind: 'amount_off',
      value: 10000,
      minSpend: 80000,
      tiers: ['gold', 'black_diamond'],
      validFrom,
      validTo,
      perMemberLimit: 2,
      stackable: true,
    },
    {
      code: 'SH01-OPEN',
      name: '静安店周年庆 满200减30',
      kind: 'amount_off',
      value: 3000,
      minSpend: 20000,
      channels: ['pos'],
      stores: ['SH01'],
      validFrom,
      validTo,
      totalLimit: 500,
      issuableInStore: true,
    },
    {
      code: 'SKINCARE-SERVICE',
      name: '积分兑换 肌肤检测与护理体验',
      kind: 'amount_off',
      value: 8800,
      channels: ['pos'],
      validFrom,
      validTo,
      validDays: 60,
      pointsCost: 3000,
      description: '3000积分兑换一次门店护理服务（价值88元），到店核销',
    },
  ];
}

async function demoMemberIds(trx: Trx, count: number): Promise<string[]> {
  // Demo members are created in phone order; their ids follow creation time.
  const rows = await trx
    .selectFrom('members')
    .select('id')
    .where('status', '=', 'active')
    .orderBy('created_at')
    .orderBy('id')
    .limit(count)
    .execute();
  const ids: string[] = [];
  for (const row of rows) {
    const id = await resolveMemberId(trx, row.id);
    if (id !== null && !ids.includes(id)) ids.push(id);
  }
  return ids;
}

/**
 * The demo brand's loyalty: the four tiers, earning rules (mini-program double points on skincare this quarter),
 * coupon templates including the trial-exclusive coupon, opening balances carried over from the old CRM for the
 * first 40 members (some reach 银卡 / 金卡 / 黑钻), coupons, and in-store trials. Idempotent.
 */
export async function seedLoyalty(database: Database): Promise<Record<string, number>> {
  const created: Record<string, number> = {};
  const now = new Date();
  await database.transaction(async (trx) => {
    const tiers = await trx.selectFrom('loyalty_tiers').select('code').execute();
    if (tiers.length === 0) {
      await putTiers(trx, DEMO_TIERS);
      created.tiers = DEMO_TIERS.length;
    }
    const rules = await trx.selectFrom('loyalty_settings').select('key').execute();
    if (rules.length === 0) {
      await putRules(
        trx,
        {
          pointsPerYuan: 1,
          channels: { marketplace: 0.5 },
          categories: { tools: 0.5 },
          campaigns: [
            {
              name: '小程序护肤双倍积分',
              multiplier: 2,
              from: new Date(now.getTime() - 7 * 86_400_000).toISOString(),
              to: new Date(now.getTime() + 83 * 86_400_000).toISOString(),
              channels: ['mini_program'],
              categories: ['skincare'],
            },
          ],
        },
        'demo-seed',
      );
      created.rules = 1;
    }
    const existing = new Set(
      (await trx.selectFrom('coupon_templates').select('code').execute()).map((r) => r.code),
    );
    let templates = 0;
    for (const template of demoTemplates(now)) {
      if (existing.has(template.code)) continue;
      await createTemplate(trx, template);
      templates++;
    }
    if (templates > 0) created.couponTemplates = templates;
  });

  const skus = DEMO_PRODUCTS.flatMap((p) => p.skus.map((s) => s.code));
  await database.transaction(async (trx) => {
    const members = await demoMemberIds(trx, 40);
    let balances = 0;
    let coupons = 0;
    let trials = 0;
    for (const [i, memberId] of members.entries()) {
      const n = i + 1;
      // Spread over the tiers: every tenth member is 黑钻, every fifth 金卡, every third 银卡.
      const spend =
        n % 10 === 0 ? 2_300_000 : n % 5 === 0 ? 950_000 : n % 3 === 0 ? 260_000 : 30_000 + n * 1_000;
      const granted = await grantOpeningBalance(trx, {
        memberId,
        points: 500 + ((n * 337) % 4000),
        qualifyingSpend: spend,
        reference: 'crm-import-2026',
      });
      if (!granted) continue;
      balances++;
      if (n <= 20) {
        await issueCoupon(trx, {
          template: 'WELCOME20',
          memberId,
          issuedBy: 'ops:demo-seed',
          store: null,
          byStoreStaff: false,
        });
        coupons++;
      }
      if (n <= 12 && skus.length > 0) {
        const store = ['SH01', 'SH02', 'SZ01'][n % 3]!;
        const guide = { SH01: 'sh01.guide', SH02: 'sh02.guide', SZ01: 'sz01.guide' }[store]!;
        const sku = skus[(n * 13) % skus.length]!;
        await recordExperience(trx, {
          memberId,
          store,
          guide,
          sku,
          kind: n % 4 === 0 ? 'skin_test' : 'trial',
          result: n % 4 === 0 ? { skinType: 'combination', hydration: 42 } : { shadeChosen: sku },
          recordedBy: `guide:${guide}`,
        });
        trials++;
        await issueCoupon(trx, {
          template: 'TRIAL50',
          memberId,
          issuedBy: `guide:${guide}`,
          store,
          byStoreStaff: true,
        });
        coupons++;
      }
    }
    if (balances > 0) Object.assign(created, { pointsBalances: balances, coupons, trials });
  });
  return created;
}
