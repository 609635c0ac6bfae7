import { randomInt } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { CatalogErrors, getSkus } from '../catalog/index.js';
import { MemberErrors, resolveMemberId } from '../members/index.js';
import {
  appendEvent,
  type DB,
  decodeCursor,
  encodeCursor,
  newId,
  nowIso,
  type Trx,
} from '../platform/index.js';
import { CouponErrors, LoyaltyErrors } from './loyalty.errors.js';
import {
  type AppliedCoupon,
  type CouponContext,
  type CouponLineInput,
  type CouponRule,
  type CouponUnderTest,
  decideCoupons,
} from './loyalty.rules.js';
import type { CouponKind, CouponStatus, CouponsTable, CouponTemplatesTable } from './loyalty.schema.js';
import { tierOf } from './loyalty.service.js';
import { spendPointsForExchange } from './points.service.js';

// ---------------------------------------------------------------------------------------------------------------
// Templates

export interface CouponTemplate {
  code: string;
  name: string;
  kind: CouponKind;
  value: number;
  maxDiscount: number | null;
  minSpend: number;
  channels: string[] | null;
  stores: string[] | null;
  skus: string[] | null;
  categories: string[] | null;
  tiers: string[] | null;
  validFrom: string;
  validTo: string;
  validDays: number | null;
  perMemberLimit: number | null;
  totalLimit: number | null;
  issuedCount: number;
  stackable: boolean;
  issuableInStore: boolean;
  pointsCost: number | null;
  description: string | null;
  createdAt: string;
}

export interface NewCouponTemplate {
  code: string;
  name: string;
  kind: CouponKind;
  value: number;
  maxDiscount?: number | undefined;
  minSpend?: number | undefined;
  channels?: string[] | undefined;
  stores?: string[] | undefined;
  skus?: string[] | undefined;
  categories?: string[] | undefined;
  tiers?: string[] | undefined;
  validFrom: string;
  validTo: string;
  validDays?: number | undefined;
  perMemberLimit?: number | undefined;
  totalLimit?: number | undefined;
  stackable?: boolean | undefined;
  issuableInStore?: boolean | undefined;
  pointsCost?: number | undefined;
  description?: string | undefined;
}

const list = (value: string | null): string[] | null =>
  value === null ? null : (JSON.parse(value) as string[]);
const listColumn = (value: string[] | undefined): string | null =>
  value === undefined || value.length === 0 ? null : JSON.stringify([...new Set(value)]);

export function toTemplate(row: Selectable<CouponTemplatesTable>): CouponTemplate {
  return {
    code: row.code,
    name: row.name,
    kind: row.kind,
    value: Number(row.value),
    maxDiscount: row.max_discount === null ? null : Number(row.max_discount),
    minSpend: Number(row.min_spend),
    channels: list(row.channels),
    stores: list(row.stores),
    skus: list(row.skus),
    categories: list(row.categories),
    tiers: list(row.tiers),
    validFrom: row.valid_from,
    validTo: row.valid_to,
    validDays: row.valid_days === null ? null : Number(row.valid_days),
    perMemberLimit: row.per_member_limit === null ? null : Number(row.per_member_limit),
    totalLimit: row.total_limit === null ? null : Number(row.total_limit),
    issuedCount: Number(row.issued_count),
    stackable: Number(row.stackable) === 1,
    issuableInStore: Number(row.issuable_in_store) === 1,
    pointsCost: row.points_cost === null ? null : Number(row.points_cost),
    description: row.description,
    createdAt: row.created_at,
  };
}

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

const iso = (value: string) => new Date(value).toISOString();

export async function createTemplate(trx: Trx, input: NewCouponTemplate): Promise<CouponTemplate> {
  const problems: { path: string; message: string }[] = [];
  if (input.kind === 'percent_off' && (input.value < 1 || input.value > 99)) {
    problems.push({ path: 'value', message: 'a percent_off value is the percent taken off, 1–99' });
  }
  if (Number.isNaN(Date.parse(input.validFrom)))
    problems.push({ path: 'validFrom', message: 'is not a time' });
  if (Number.isNaN(Date.parse(input.validTo))) problems.push({ path: 'validTo', message: 'is not a time' });
  else if (!(Date.parse(input.validFrom) < Date.parse(input.validTo))) {
    problems.push({ path: 'validTo', message: 'must be after validFrom' });
  }
  if (problems.length > 0) {
    throw CouponErrors.invalidTemplate(problems.map((p) => `${p.path} ${p.message}`).join('; '), {
      errors: problems,
    });
  }
  const inserted = await trx
    .insertInto('coupon_templates')
    .values({
      code: input.code,
      name: input.name,
      kind: input.kind,
      value: input.value,
      max_discount: input.maxDiscount ?? null,
      min_spend: input.minSpend ?? 0,
      channels: listColumn(input.channels),
      stores: listColumn(input.stores),
      skus: listColumn(input.skus),
      categories: listColumn(input.categories),
      tiers: listColumn(input.tiers),
      valid_from: iso(input.validFrom),
      valid_to: iso(input.validTo),
      valid_days: input.validDays ?? null,
      per_member_limit: input.perMemberLimit ?? null,
      total_limit: input.totalLimit ?? null,
      issued_count: 0,
      stackable: input.stackable ? 1 : 0,
      issuable_in_store: input.issuableInStore ? 1 : 0,
      points_cost: input.pointsCost ?? null,
      description: input.description ?? null,
      created_at: nowIso(),
    })
    .onConflict((oc) => oc.column('code').doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) !== 1) {
    throw CouponErrors.templateCodeTaken(`A coupon template ${input.code} exists`);
  }
  const template = await requireTemplate(trx, input.code);
  await appendEvent(trx, {
    type: 'coupon.template_created',
    stream: `coupon-template:${template.code}`,
    payload: { template },
  });
  return template;
}

export async function getTemplate(db: Kysely<DB>, code: string): Promise<CouponTemplate | undefined> {
  const row = await db.selectFrom('coupon_templates').selectAll().where('code', '=', code).executeTakeFirst();
  return row && toTemplate(row);
}

export async function requireTemplate(db: Kysely<DB>, code: string): Promise<CouponTemplate> {
  const template = await getTemplate(db, code);
  if (!template) throw CouponErrors.templateNotFound(`No coupon template ${code}`);
  return template;
}

export async function listTemplates(
  db: Kysely<DB>,
  page: { limit: number; cursor?: string | undefined; issuableInStore?: boolean | undefined },
): Promise<{ items: CouponTemplate[]; nextCursor: string | null }> {
  let query = db
    .selectFrom('coupon_templates')
    .selectAll()
    .orderBy('code')
    .limit(page.limit + 1);
  const after = decodeCursor(page.cursor, ['string']);
  if (after) query = query.where('code', '>', after[0]);
  if (page.issuableInStore !== undefined)
    query = query.where('issuable_in_store', '=', page.issuableInStore ? 1 : 0);
  const rows = await query.execute();
  const items = rows.slice(0, page.limit).map(toTemplate);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > page.limit && last ? encodeCursor([last.code]) : null };
}

// ---------------------------------------------------------------------------------------------------------------
// Coupons

export interface Coupon {
  code: string;
  template: string;
  name: string;
  kind: CouponKind;
  value: number;
  minSpend: number;
  channels: string[] | null;
  stores: string[] | null;
  memberId: string;
  /** `expired` when an issued coupon's validity has passed. */
  status: CouponStatus;
  validFrom: string;
  validTo: string;
  issuedAt: string;
  issuedBy: string;
  issuedStore: string | null;
  orderId: string | null;
  redeemedAt: string | null;
  redeemedChannel: string | null;
  redeemedStore: string | null;
  amount: number | null;
}

function toCoupon(row: Selectable<CouponsTable>, template: CouponTemplate, now = nowIso()): Coupon {
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
  await appendEvent(trx, {
    type: 'coupon.issued',
    stream: `coupon:${row.code}`,
    location: input.store,
    payload: {
      code: row.code,
      template: template.code,
      memberId,
      issuedBy: input.issuedBy,
      store: input.store,
    },
  });
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

async function couponsWithTemplates(
  db: Kysely<DB>,
  codes: readonly string[],
): Promise<Map<string, { row: Selectable<CouponsTable>; template: CouponTemplate }>> {
  if (codes.length === 0) return new Map();
  const rows = await db
    .selectFrom('coupons')
    .selectAll()
    .where('code', 'in', [...codes])
    .execute();
  const templateCodes = [...new Set(rows.map((r) => r.template))];
  const templates =
    templateCodes.length === 0
      ? []
      : await db.selectFrom('coupon_templates').selectAll().where('code', 'in', templateCodes).execute();
  const byCode = new Map(templates.map((t) => [t.code, toTemplate(t)]));
  return new Map(rows.map((row) => [row.code, { row, template: byCode.get(row.template)! }]));
}

function underTest(row: Selectable<CouponsTable>, template: CouponTemplate): CouponUnderTest {
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

export interface OrderCouponsInput {
  orderId: string;
  memberId: string | null;
  channel: string;
  storeCode: string | null;
  lines: CouponLineInput[];
  couponCodes: string[];
}

/**
 * Validates and redeems an order's coupons inside the order's transaction. Each coupon's amount is returned with
 * the line keys it covers; the order service apportions it to those lines.
 */
export async function redeemCouponsForOrder(trx: Trx, input: OrderCouponsInput): Promise<AppliedCoupon[]> {
  if (input.couponCodes.length === 0) return [];
  const twice = input.couponCodes.find((c, i) => input.couponCodes.indexOf(c) !== i);
  if (twice !== undefined) {
    throw CouponErrors.notApplicable(`Coupon ${twice} is listed twice`, {
      extra: { coupon: twice, rule: 'stacking' },
    });
  }
  const found = await couponsWithTemplates(trx, input.couponCodes);
  const missing = input.couponCodes.find((c) => !found.has(c));
  if (missing !== undefined)
    throw CouponErrors.notFound(`No coupon ${missing}`, { extra: { coupon: missing } });
  const memberId =
    input.memberId === null ? null : ((await resolveMemberId(trx, input.memberId)) ?? input.memberId);
  const now = nowIso();
  const ctx: CouponContext = {
    now,
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
  // One fixed order (by code) for the row locks, so two orders sharing coupons cannot deadlock on PostgreSQL.
  const byCode = [...decision.applied].sort((a, b) => (a.code < b.code ? -1 : 1));
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
    await appendEvent(trx, {
      type: 'coupon.redeemed',
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
    });
  }
  return decision.applied;
}

export interface CounterLine {
  sku: string;
  quantity: number;
  /** Fen; the catalog price when absent. */
  unitPrice?: number | undefined;
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
  await appendEvent(trx, {
    type: 'coupon.redeemed',
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
  });
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
    await appendEvent(trx, {
      type: 'coupon.restored',
      stream: `coupon:${row.code}`,
      payload: {
        code: row.code,
        memberId: row.member_id,
        orderId,
        status: stillValid ? 'issued' : 'expired',
      },
    });
  }
  return restored;
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
  const templateCodes = [...new Set(rows.map((r) => r.template))];
  const templates =
    templateCodes.length === 0
      ? new Map<string, CouponTemplate>()
      : new Map(
          (
            await db.selectFrom('coupon_templates').selectAll().where('code', 'in', templateCodes).execute()
          ).map((t) => [t.code, toTemplate(t)]),
        );
  const items = rows.slice(0, page.limit).map((r) => toCoupon(r, templates.get(r.template)!, now));
  const last = items[items.length - 1];
  return {
    items,
    nextCursor: rows.length > page.limit && last ? encodeCursor([last.issuedAt, last.code]) : null,
  };
}
