import { randomInt } from 'node:crypto';
import type { Selectable } from 'kysely';
import { MemberErrors, resolveMemberId } from '../members/index.js';
import { appendEvent, newEvent, nowIso, type Trx } from '../platform/index.js';
import { requireTemplate } from './coupon-templates.service.js';
import { type Coupon, toCoupon } from './coupons.service.js';
import { CouponErrors, LoyaltyErrors } from './loyalty.errors.js';
import { CouponIssued } from './loyalty.events.js';
import type { CouponsTable } from './loyalty.schema.js';
import { tierOf } from './loyalty.service.js';
import { spendPointsForExchange } from './points-spending.service.js';

// Counter staff type codes in: Crockford base32 has no I, L, O or U to misread.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
function newCouponCode(): string {
  let code = 'C';
  for (let i = 0; i < 11; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}

export interface IssueInput {
  template: string;
  memberId: string;
  /** Who issued it (`ops:wang`, `guide:sh01.guide`, `customer:…` for an exchange). */
  issuedBy: string;
  /** The store a guide or store manager issued it at; store staff may only issue templates that allow it. */
  store: string | null;
  byStoreStaff: boolean;
}

/**
 * Issues a coupon to a member. The template's issue counter is a conditional update, so the total limit holds
 * under concurrency; it also serialises issues of one template, which makes the per-member count that follows
 * exact.
 */
export async function issueCoupon(trx: Trx, input: IssueInput): Promise<Coupon> {
  const memberId = await resolveMemberId(trx, input.memberId);
  if (memberId === null) throw MemberErrors.notFound(`No member ${input.memberId}`);
  const member = await trx
    .selectFrom('members')
    .select('status')
    .where('id', '=', memberId)
    .executeTakeFirst();
  if (member?.status !== 'active') throw MemberErrors.notActive(`Member ${memberId} is ${member?.status}`);
  const template = await requireTemplate(trx, input.template);
  if (input.byStoreStaff && !template.issuableInStore) {
    throw CouponErrors.notIssuableInStore(`Template ${template.code} is not issued by store staff`);
  }
  const now = nowIso();
  if (now > template.validTo) {
    throw CouponErrors.notIssuable(`Template ${template.code} ended at ${template.validTo}`);
  }
  if (template.tiers !== null) {
    const { tier } = await tierOf(trx, memberId);
    if (!template.tiers.includes(tier.code)) {
      throw CouponErrors.notIssuable(
        `Template ${template.code} is for tiers ${template.tiers.join(', ')}; member ${memberId} is ${tier.code}`,
      );
    }
  }
  // This update holds the template's row until commit, so issues of one template run one after another (on
  // PostgreSQL too): the per-member count below sees the coupons of any issue that went before.
  const counted = await trx
    .updateTable('coupon_templates')
    .set((eb) => ({ issued_count: eb('issued_count', '+', 1) }))
    .where('code', '=', template.code)
    .where((eb) => eb.or([eb('total_limit', 'is', null), eb('issued_count', '<', eb.ref('total_limit'))]))
    .executeTakeFirst();
  if (Number(counted.numUpdatedRows) !== 1) {
    throw CouponErrors.limitReached(`All ${template.totalLimit} coupons of ${template.code} are issued`);
  }
  if (template.perMemberLimit !== null) {
    const held = await trx
      .selectFrom('coupons')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('template', '=', template.code)
      .where('member_id', '=', memberId)
      .executeTakeFirst();
    if (Number(held?.n ?? 0) >= template.perMemberLimit) {
      throw CouponErrors.limitReached(
        `Member ${memberId} already holds ${template.perMemberLimit} coupon(s) of ${template.code}`,
      );
    }
  }
  const validTo =
    template.validDays === null
      ? template.validTo
      : new Date(
          Math.min(Date.parse(template.validTo), Date.now() + template.validDays * 86_400_000),
        ).toISOString();
  const row: Selectable<CouponsTable> = {
    code: newCouponCode(),
    template: template.code,
    member_id: memberId,
    status: 'issued',
    valid_from: template.validFrom,
    valid_to: validTo,
    issued_at: now,
    issued_by: input.issuedBy,
    issued_store: input.store,
    order_id: null,
    redeemed_at: null,
    redeemed_channel: null,
    redeemed_store: null,
    amount: null,
  };
  await trx.insertInto('coupons').values(row).execute();
  await appendEvent(
    trx,
    newEvent(CouponIssued, {
      stream: `coupon:${row.code}`,
      location: input.store,
      payload: {
        code: row.code,
        template: template.code,
        memberId,
        issuedBy: input.issuedBy,
        store: input.store,
      },
    }),
  );
  return toCoupon(row, template, now);
}

/** Exchanges points for a coupon of a template that has a points price. */
export async function exchangePointsForCoupon(
  trx: Trx,
  input: { memberId: string; template: string; issuedBy: string },
): Promise<{ coupon: Coupon; points: number }> {
  const template = await requireTemplate(trx, input.template);
  if (template.pointsCost === null) {
    throw LoyaltyErrors.notExchangeable(`Template ${template.code} has no points price`);
  }
  const coupon = await issueCoupon(trx, {
    template: template.code,
    memberId: input.memberId,
    issuedBy: input.issuedBy,
    store: null,
    byStoreStaff: false,
  });
  await spendPointsForExchange(trx, coupon.memberId, template.pointsCost, coupon.code);
  return { coupon, points: template.pointsCost };
}
