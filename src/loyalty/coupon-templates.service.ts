import type { Kysely, Selectable } from 'kysely';
import {
  appendEvent,
  type DB,
  decodeCursor,
  encodeCursor,
  newEvent,
  nowIso,
  type Trx,
} from '../platform/index.js';
import type { CouponTemplate, NewCouponTemplate } from './loyalty.contract.js';
import { CouponErrors } from './loyalty.errors.js';
import { CouponTemplateCreated } from './loyalty.events.js';
import type { CouponTemplatesTable } from './loyalty.schema.js';

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
    claimable: Number(row.claimable) === 1,
    pointsCost: row.points_cost === null ? null : Number(row.points_cost),
    description: row.description,
    createdAt: row.created_at,
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
      claimable: input.claimable ? 1 : 0,
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
  await appendEvent(
    trx,
    newEvent(CouponTemplateCreated, {
      stream: `coupon-template:${template.code}`,
      payload: { template },
    }),
  );
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

/** The templates of these codes, by code (for coupons read with their template). */
export async function templatesOf(
  db: Kysely<DB>,
  codes: readonly string[],
): Promise<Map<string, CouponTemplate>> {
  const unique = [...new Set(codes)];
  if (unique.length === 0) return new Map();
  const rows = await db.selectFrom('coupon_templates').selectAll().where('code', 'in', unique).execute();
  return new Map(rows.map((t) => [t.code, toTemplate(t)]));
}

export type { CouponTemplate, NewCouponTemplate };
