import type { Kysely, Selectable } from 'kysely';
import { CatalogErrors, getSkus } from '../catalog/index.js';
import { resolveMemberId } from '../members/index.js';
import { appendEvent, type DB, newEvent, newId, nowIso, type Trx } from '../platform/index.js';
import type { CouponTemplate } from './coupon-templates.service.js';
import {
  type AppliedCoupon,
  type CouponContext,
  type CouponLineInput,
  type CouponRule,
  type CouponUnderTest,
  decideCoupons,
} from './coupons.rules.js';
import { type Coupon, couponsWithTemplates, requireCoupon } from './coupons.service.js';
import type { CounterLine } from './loyalty.contract.js';
import { CouponErrors } from './loyalty.errors.js';
import { CouponRedeemed, CouponRestored } from './loyalty.events.js';
import type { CouponsTable } from './loyalty.schema.js';

function ruleOf(t: CouponTemplate): CouponRule {
  return {
    code: t.code,
    kind: t.kind,
    value: t.value,
    maxDiscount: t.maxDiscount,
    minSpend: t.minSpend,
    channels: t.channels,
    stores: t.stores,
    skus: t.skus,
    categories: t.categories,
    stackable: t.stackable,
  };
}

export function underTest(row: Selectable<CouponsTable>, template: CouponTemplate): CouponUnderTest {
  return {
    code: row.code,
    memberId: row.member_id,
    status: row.status,
    orderId: row.order_id,
    validFrom: row.valid_from,
    validTo: row.valid_to,
    template: ruleOf(template),
  };
}

function throwRefusal(decision: Exclude<ReturnType<typeof decideCoupons>, { ok: true }>): never {
  if (decision.outcome === 'already_redeemed') {
    throw CouponErrors.alreadyRedeemed(decision.detail, { extra: { coupon: decision.code } });
  }
  throw CouponErrors.notApplicable(decision.detail, {
    extra: { coupon: decision.code, rule: decision.rule },
  });
}

/**
 * Marks a coupon redeemed, conditional on it still being `issued`: of two channels redeeming one coupon at the
 * same moment exactly one update matches; the other is told it was already used.
 */
async function claimCoupon(
  trx: Trx,
  code: string,
  use: {
    orderId: string | null;
    channel: string;
    store: string | null;
    amount: number;
    by: string;
    at: string;
  },
): Promise<void> {
  const claimed = await trx
    .updateTable('coupons')
    .set({
      status: 'redeemed',
      order_id: use.orderId,
      redeemed_at: use.at,
      redeemed_channel: use.channel,
      redeemed_store: use.store,
      amount: use.amount,
    })
    .where('code', '=', code)
    .where('status', '=', 'issued')
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) !== 1) {
    throw CouponErrors.alreadyRedeemed(`Coupon ${code} was already used`, { extra: { coupon: code } });
  }
  await trx
    .insertInto('coupon_redemptions')
    .values({
      id: newId('crd'),
      code,
      order_id: use.orderId,
      channel: use.channel,
      store: use.store,
      amount: use.amount,
      redeemed_by: use.by,
      redeemed_at: use.at,
      restored_at: null,
    })
    .execute();
}

/** An order's coupons to decide; a checkout has no order yet. */
export interface CouponsToDecide {
  orderId?: string | undefined;
  memberId: string | null;
  channel: string;
  storeCode: string | null;
  lines: CouponLineInput[];
  couponCodes: string[];
}

export interface OrderCouponsInput extends CouponsToDecide {
  orderId: string;
  memberId: string | null;
  channel: string;
  storeCode: string | null;
  lines: CouponLineInput[];
  couponCodes: string[];
}

/**
 * What an order's coupons take off, checked as the order would redeem them (listed twice, unknown, or refused by
 * a rule → the problem the order would get), without redeeming anything: the checkout's price and the order's
 * redemption use the same decision.
 */
export async function decideOrderCoupons(
  db: Kysely<DB>,
  input: CouponsToDecide,
): Promise<{ applied: AppliedCoupon[]; found: Awaited<ReturnType<typeof couponsWithTemplates>> }> {
  const twice = input.couponCodes.find((c, i) => input.couponCodes.indexOf(c) !== i);
  if (twice !== undefined) {
    throw CouponErrors.notApplicable(`Coupon ${twice} is listed twice`, {
      extra: { coupon: twice, rule: 'stacking' },
    });
  }
  const found = await couponsWithTemplates(db, input.couponCodes);
  const missing = input.couponCodes.find((c) => !found.has(c));
  if (missing !== undefined)
    throw CouponErrors.notFound(`No coupon ${missing}`, { extra: { coupon: missing } });
  const memberId =
    input.memberId === null ? null : ((await resolveMemberId(db, input.memberId)) ?? input.memberId);
  const ctx: CouponContext = {
    now: nowIso(),
    channel: input.channel,
    storeCode: input.storeCode,
    memberId,
    orderId: input.orderId,
    lines: input.lines,
  };
  const decision = decideCoupons(
    input.couponCodes.map((code) => {
      const c = found.get(code)!;
      return underTest(c.row, c.template);
    }),
    ctx,
  );
  if (!decision.ok) throwRefusal(decision);
  return { applied: decision.applied, found };
}

/**
 * Validates and redeems an order's coupons inside the order's transaction. Each coupon's amount is returned with
 * the line keys it covers; the order service apportions it to those lines.
 */
export async function redeemCouponsForOrder(trx: Trx, input: OrderCouponsInput): Promise<AppliedCoupon[]> {
  if (input.couponCodes.length === 0) return [];
  const { applied, found } = await decideOrderCoupons(trx, input);
  const now = nowIso();
  // One fixed order (by code) for the row locks, so two orders sharing coupons cannot deadlock on PostgreSQL.
  const byCode = [...applied].sort((a, b) => (a.code < b.code ? -1 : 1));
  for (const applied of byCode) {
    const { row } = found.get(applied.code)!;
    if (row.status === 'redeemed' && row.order_id === input.orderId) continue;
    await claimCoupon(trx, applied.code, {
      orderId: input.orderId,
      channel: input.channel,
      store: input.storeCode,
      amount: applied.amount,
      by: `order:${input.orderId}`,
      at: now,
    });
    await appendEvent(
      trx,
      newEvent(CouponRedeemed, {
        stream: `coupon:${applied.code}`,
        location: input.storeCode,
        payload: {
          code: applied.code,
          template: applied.template,
          memberId: row.member_id,
          orderId: input.orderId,
          channel: input.channel,
          store: input.storeCode,
          amount: applied.amount,
        },
      }),
    );
  }
  return applied;
}

/**
 * Counter redemption (核销): store staff or a POS confirm a coupon for a sale or service at the till, under the
 * same rules as an order. Item, minimum-spend and percent coupons need the basket (`lines`) to be checked.
 */
export async function redeemAtCounter(
  trx: Trx,
  input: { code: string; store: string; channel: string; lines?: CounterLine[] | undefined; by: string },
): Promise<Coupon> {
  const found = (await couponsWithTemplates(trx, [input.code])).get(input.code);
  if (!found) throw CouponErrors.notFound(`No coupon ${input.code}`);
  const { row, template } = found;
  let lines: CouponLineInput[];
  if (input.lines && input.lines.length > 0) {
    const skus = await getSkus(
      trx,
      input.lines.map((l) => l.sku),
    );
    lines = input.lines.map((l, i) => {
      const sku = skus.get(l.sku);
      if (!sku) throw CatalogErrors.skuNotFound(`No SKU ${l.sku}`);
      return {
        key: String(i + 1),
        sku: l.sku,
        category: sku.category,
        amount: (l.unitPrice ?? sku.price) * l.quantity,
      };
    });
  } else if (
    template.kind === 'amount_off' &&
    template.skus === null &&
    template.categories === null &&
    template.minSpend === 0
  ) {
    // A plain voucher or an in-store service: its face value, nothing to check against.
    lines = [{ key: 'counter', sku: '', category: '', amount: template.value }];
  } else {
    lines = [];
  }
  if (lines.length === 0) {
    throw CouponErrors.notApplicable(
      `Coupon ${input.code} depends on the items bought: send the basket as lines to redeem it`,
      { extra: { coupon: input.code, rule: 'items' } },
    );
  }
  const now = nowIso();
  const decision = decideCoupons([underTest(row, template)], {
    now,
    channel: input.channel,
    storeCode: input.store,
    lines,
  });
  if (!decision.ok) throwRefusal(decision);
  const applied = decision.applied[0]!;
  await claimCoupon(trx, input.code, {
    orderId: null,
    channel: input.channel,
    store: input.store,
    amount: applied.amount,
    by: input.by,
    at: now,
  });
  await appendEvent(
    trx,
    newEvent(CouponRedeemed, {
      stream: `coupon:${input.code}`,
      location: input.store,
      payload: {
        code: input.code,
        template: template.code,
        memberId: row.member_id,
        orderId: null,
        channel: input.channel,
        store: input.store,
        amount: applied.amount,
      },
    }),
  );
  return requireCoupon(trx, input.code);
}

/**
 * An order was cancelled or wholly returned: its coupons come back to their holder while still valid (expired
 * ones stay used up). Conditional on the coupon still being redeemed by this order, so it happens once.
 */
export async function restoreCouponsOfOrder(trx: Trx, orderId: string): Promise<string[]> {
  const rows = await trx
    .selectFrom('coupons')
    .selectAll()
    .where('order_id', '=', orderId)
    .where('status', '=', 'redeemed')
    .orderBy('code')
    .execute();
  const now = nowIso();
  const restored: string[] = [];
  for (const row of rows) {
    const stillValid = row.valid_to >= now;
    const result = await trx
      .updateTable('coupons')
      .set({
        status: stillValid ? 'issued' : 'expired',
        order_id: null,
        redeemed_at: null,
        redeemed_channel: null,
        redeemed_store: null,
        amount: null,
      })
      .where('code', '=', row.code)
      .where('status', '=', 'redeemed')
      .where('order_id', '=', orderId)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) continue;
    await trx
      .updateTable('coupon_redemptions')
      .set({ restored_at: now })
      .where('code', '=', row.code)
      .where('order_id', '=', orderId)
      .where('restored_at', 'is', null)
      .execute();
    if (stillValid) restored.push(row.code);
    await appendEvent(
      trx,
      newEvent(CouponRestored, {
        stream: `coupon:${row.code}`,
        payload: {
          code: row.code,
          memberId: row.member_id,
          orderId,
          status: stillValid ? 'issued' : 'expired',
        },
      }),
    );
  }
  return restored;
}

export type { CounterLine };
