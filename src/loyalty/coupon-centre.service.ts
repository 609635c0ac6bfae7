import type { Kysely } from 'kysely';
import { type DB, nowIso, type Trx } from '../platform/index.js';
import { issueCoupon } from './coupon-issuing.service.js';
import { type CouponTemplate, requireTemplate, toTemplate } from './coupon-templates.service.js';
import { type ClaimBlock, claimBlock } from './coupons.rules.js';
import type { Coupon } from './loyalty.contract.js';
import { CouponErrors } from './loyalty.errors.js';
import { tierOf } from './loyalty.service.js';

export interface CentreOffer {
  template: CouponTemplate;
  /** How many of it she holds (any state). */
  held: number;
  /** How many are left for anyone; null without a total limit. */
  left: number | null;
  blocked: ClaimBlock;
}

/**
 * The coupon centre (领券中心) as she sees it: the claimable templates running now and open to her tier, newest
 * window first, each with what she holds and whether she may claim one more.
 */
export async function couponCentre(db: Kysely<DB>, memberId: string): Promise<CentreOffer[]> {
  const now = nowIso();
  const [rows, { tier }] = await Promise.all([
    db
      .selectFrom('coupon_templates')
      .selectAll()
      .where('claimable', '=', 1)
      .where('valid_from', '<=', now)
      .where('valid_to', '>', now)
      .orderBy('valid_from', 'desc')
      .orderBy('code')
      .limit(200)
      .execute(),
    tierOf(db, memberId),
  ]);
  const templates = rows.map(toTemplate).filter((t) => t.tiers === null || t.tiers.includes(tier.code));
  if (templates.length === 0) return [];
  const counts = await db
    .selectFrom('coupons')
    .select(['template', (eb) => eb.fn.countAll<number>().as('n')])
    .where('member_id', '=', memberId)
    .where(
      'template',
      'in',
      templates.map((t) => t.code),
    )
    .groupBy('template')
    .execute();
  const heldOf = new Map(counts.map((c) => [c.template, Number(c.n)]));
  return templates.map((template) => {
    const held = heldOf.get(template.code) ?? 0;
    return {
      template,
      held,
      left: template.totalLimit === null ? null : Math.max(0, template.totalLimit - template.issuedCount),
      blocked: claimBlock(template, held),
    };
  });
}

/**
 * She claims one coupon of a template in the coupon centre: only a claimable template in its window; the tier,
 * per-member and total limits are the issuing's own (exact under concurrent claims: issues of one template run one
 * after another).
 */
export async function claimCoupon(trx: Trx, memberId: string, templateCode: string): Promise<Coupon> {
  const template = await requireTemplate(trx, templateCode);
  const now = nowIso();
  if (!template.claimable || now < template.validFrom || now >= template.validTo) {
    throw CouponErrors.notClaimable(`Template ${template.code} is not in the coupon centre now`, {
      extra: { template: template.code },
    });
  }
  return issueCoupon(trx, {
    template: template.code,
    memberId,
    issuedBy: `customer:${memberId}`,
    store: null,
    byStoreStaff: false,
  });
}
