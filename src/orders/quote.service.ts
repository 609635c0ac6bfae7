import type { Kysely } from 'kysely';
import { getSkus } from '../catalog/index.js';
import { checkoutCoupons, checkoutPoints, checkoutPointsWorth } from '../loyalty/index.js';
import { MemberErrors, resolveMemberId } from '../members/index.js';
import type { DB } from '../platform/index.js';
import type { OrderQuote, QuoteRequest } from './orders.contract.js';
import { couponLinesOf, mergeLines, pricePlacement, sellableLines } from './place.rules.js';

/**
 * Prices a basket as placing it would, before she pays: the catalog's prices, the chosen coupons decided as the
 * order will redeem them, the points asked for checked against her balance and what is left to pay — each refused
 * with the problem the order would get. Also lists every valid coupon she holds, ranked on this basket, and the
 * most points it can take. Reads only: nothing is reserved, redeemed or spent, so the order may still differ if
 * prices, stock or her balance change before she places it.
 */
export async function quoteOrder(db: Kysely<DB>, input: QuoteRequest): Promise<OrderQuote> {
  let memberId: string | null = null;
  if (input.memberId !== undefined) {
    memberId = await resolveMemberId(db, input.memberId);
    if (memberId === null) throw MemberErrors.notFound(`No member ${input.memberId}`);
  }
  const lines = sellableLines(
    mergeLines(input.lines),
    await getSkus(
      db,
      input.lines.map((l) => l.sku),
    ),
  );
  const coupons = await checkoutCoupons(db, {
    memberId,
    channel: input.channel,
    storeCode: input.storeCode ?? null,
    lines: couponLinesOf(lines),
    couponCodes: input.couponCodes ?? [],
  });
  const beforePoints = pricePlacement(lines, coupons.applied, undefined, null);
  const offer = memberId === null ? null : await checkoutPoints(db, memberId, beforePoints.payableAmount);
  const asked = input.pointsToRedeem ?? 0;
  if (asked > 0 && offer === null) {
    throw MemberErrors.notFound('Points belong to a member: give memberId', {
      errors: [{ path: 'pointsToRedeem', message: 'needs a member' }],
    });
  }
  const points = asked > 0 && offer !== null ? checkoutPointsWorth(offer, asked) : null;
  const pricing = points === null ? beforePoints : pricePlacement(lines, coupons.applied, undefined, points);
  const priced = new Map(pricing.lines.map((l) => [l.key, l]));
  return {
    lines: lines.map((l) => {
      const p = priced.get(String(l.lineNo))!;
      return {
        lineNo: l.lineNo,
        sku: l.sku.code,
        name: l.sku.name,
        quantity: l.quantity,
        unitPrice: p.unitPrice,
        lineAmount: p.lineAmount,
        discountAmount: p.discountAmount,
        pointsAmount: p.pointsAmount,
        paidAmount: p.paidAmount,
      };
    }),
    totalAmount: pricing.totalAmount,
    discountAmount: pricing.discountAmount,
    pointsAmount: pricing.pointsAmount,
    payableAmount: pricing.payableAmount,
    couponCodes: coupons.applied.map((c) => c.code),
    coupons: coupons.offers.map((o) => ({
      coupon: o.coupon,
      applicable: o.applicable,
      amount: o.amount,
      rule: o.rule,
    })),
    points: offer === null ? null : { ...offer, redeemed: points?.points ?? 0 },
  };
}
