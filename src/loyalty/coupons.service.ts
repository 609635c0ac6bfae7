import type { Kysely, Selectable } from 'kysely';
import { type DB, decodeCursor, encodeCursor, nowIso } from '../platform/index.js';
import { type CouponTemplate, templatesOf } from './coupon-templates.service.js';
import type { Coupon } from './loyalty.contract.js';
import { CouponErrors } from './loyalty.errors.js';
import type { CouponStatus, CouponsTable } from './loyalty.schema.js';

export function toCoupon(row: Selectable<CouponsTable>, template: CouponTemplate, now = nowIso()): Coupon {
  return {
    code: row.code,
    template: row.template,
    name: template.name,
    kind: template.kind,
    value: template.value,
    minSpend: template.minSpend,
    channels: template.channels,
    stores: template.stores,
    memberId: row.member_id,
    status: row.status === 'issued' && row.valid_to < now ? 'expired' : row.status,
    validFrom: row.valid_from,
    validTo: row.valid_to,
    issuedAt: row.issued_at,
    issuedBy: row.issued_by,
    issuedStore: row.issued_store,
    orderId: row.order_id,
    redeemedAt: row.redeemed_at,
    redeemedChannel: row.redeemed_channel,
    redeemedStore: row.redeemed_store,
    amount: row.amount === null ? null : Number(row.amount),
  };
}

export async function couponsWithTemplates(
  db: Kysely<DB>,
  codes: readonly string[],
): Promise<Map<string, { row: Selectable<CouponsTable>; template: CouponTemplate }>> {
  if (codes.length === 0) return new Map();
  const rows = await db
    .selectFrom('coupons')
    .selectAll()
    .where('code', 'in', [...codes])
    .execute();
  const templates = await templatesOf(
    db,
    rows.map((r) => r.template),
  );
  return new Map(rows.map((row) => [row.code, { row, template: templates.get(row.template)! }]));
}

export async function getCoupon(db: Kysely<DB>, code: string): Promise<Coupon | undefined> {
  const found = (await couponsWithTemplates(db, [code])).get(code);
  return found && toCoupon(found.row, found.template);
}

export async function requireCoupon(db: Kysely<DB>, code: string): Promise<Coupon> {
  const coupon = await getCoupon(db, code);
  if (!coupon) throw CouponErrors.notFound(`No coupon ${code}`);
  return coupon;
}
/** A member's coupons, newest first; `status` filters (`expired` = issued but past its validity). */
export async function couponsOfMember(
  db: Kysely<DB>,
  memberId: string,
  page: {
    limit: number;
    cursor?: string | undefined;
    status?: CouponStatus | undefined;
  },
): Promise<{ items: Coupon[]; nextCursor: string | null }> {
  const now = nowIso();
  let query = db
    .selectFrom('coupons')
    .selectAll()
    .where('member_id', '=', memberId)
    .orderBy('issued_at', 'desc')
    .orderBy('code', 'desc')
    .limit(page.limit + 1);
  if (page.status === 'issued') query = query.where('status', '=', 'issued').where('valid_to', '>=', now);
  if (page.status === 'redeemed') query = query.where('status', '=', 'redeemed');
  if (page.status === 'expired') {
    query = query.where((eb) =>
      eb.or([eb('status', '=', 'expired'), eb.and([eb('status', '=', 'issued'), eb('valid_to', '<', now)])]),
    );
  }
  const after = decodeCursor(page.cursor, ['string', 'string']);
  if (after) {
    const [at, code] = after;
    query = query.where((eb) =>
      eb.or([eb('issued_at', '<', at), eb.and([eb('issued_at', '=', at), eb('code', '<', code)])]),
    );
  }
  const rows = await query.execute();
  const templates = await templatesOf(
    db,
    rows.map((r) => r.template),
  );
  const items = rows.slice(0, page.limit).map((r) => toCoupon(r, templates.get(r.template)!, now));
  const last = items[items.length - 1];
  return {
    items,
    nextCursor: rows.length > page.limit && last ? encodeCursor([last.issuedAt, last.code]) : null,
  };
}

export type { Coupon };
