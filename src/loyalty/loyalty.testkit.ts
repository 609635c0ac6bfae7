// Shared setup of the loyalty context's tests: one app per test file, started by setupPointsApp() or
// setupCouponsApp(), and the helpers its tests call. `t`, `phone`, `member` and `other` are live bindings: a test
// reads them after the hooks (and newMember) have set them.

import { afterAll, beforeAll, expect } from 'vitest';
import { OPS, startTestApp, type TestApp } from '../../test/helpers/app.js';
import { createNetwork } from '../../test/helpers/inventory.js';
import { appendEvent, isDomainError, newId } from '../platform/index.js';
import { type CouponLineInput, redeemCouponsForOrder } from './index.js';

export let t: TestApp;

// ---------------------------------------------------------------------------------------------------------------
// Points

/** The app with four tiers (regular, silver, gold, black_diamond) and a return window of 1 s. */
export function setupPointsApp(): void {
  beforeAll(async () => {
    t = await startTestApp();
    const tiers = await t.request({
      method: 'PUT',
      url: '/v1/loyalty/tiers',
      body: {
        tiers: [
          { code: 'regular', name: '普通', threshold: 0, multiplier: 1 },
          { code: 'silver', name: '银卡', threshold: 200_000, multiplier: 1.2 },
          { code: 'gold', name: '金卡', threshold: 800_000, multiplier: 1.5 },
          { code: 'black_diamond', name: '黑钻', threshold: 2_000_000, multiplier: 2 },
        ],
      },
    });
    expect(tiers.statusCode, tiers.body).toBe(200);
    await putRules({ returnWindowSeconds: 1 });
  });
  afterAll(() => t.close());
}

export async function putRules(rules: object): Promise<void> {
  const res = await t.request({ method: 'PUT', url: '/v1/loyalty/rules', body: rules });
  expect(res.statusCode, res.body).toBe(200);
}

export let phone = 13_900_000_000;
export async function newMember(): Promise<string> {
  phone++;
  const res = await t.request({
    method: 'POST',
    url: '/v1/identify',
    body: { identifiers: [{ type: 'phone', value: String(phone), verified: true }], channel: 'pos' },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().memberId;
}

export interface Line {
  lineNo: number;
  sku: string;
  category: string;
  quantity: number;
  unitPrice: number;
  pointsAmount?: number;
}

function completedEvent(orderId: string, memberId: string, lines: Line[], channel = 'pos') {
  const full = lines.map((l) => ({
    discountAmount: 0,
    pointsAmount: 0,
    paidAmount: l.unitPrice * l.quantity,
    ...l,
  }));
  return {
    type: 'order.completed',
    stream: `order:${orderId}`,
    location: channel === 'pos' ? 'SH01' : null,
    payload: {
      orderId,
      channel,
      storeCode: channel === 'pos' ? 'SH01' : null,
      memberId,
      completedAt: new Date().toISOString(),
      lines: full,
      paidAmount: full.reduce((s, l) => s + l.paidAmount, 0),
    },
  };
}

export async function complete(orderId: string, memberId: string, lines: Line[], channel = 'pos') {
  const event = completedEvent(orderId, memberId, lines, channel);
  await t.runtime.database.transaction((trx) => appendEvent(trx, event));
  return event;
}

export async function points(memberId: string) {
  const res = await t.request({ method: 'GET', url: `/v1/members/${memberId}/points?limit=200` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

export async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, ms = 8000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Balance = sum of the ledger, and the lots hold exactly that. */
export async function expectLedgerConsistent(memberId: string): Promise<void> {
  const db = t.runtime.database.db;
  const ledger = await db
    .selectFrom('loyalty_points_ledger')
    .selectAll()
    .where('member_id', '=', memberId)
    .execute();
  const lots = await db
    .selectFrom('loyalty_points_lots')
    .selectAll()
    .where('member_id', '=', memberId)
    .execute();
  const view = await points(memberId);
  expect(view.available).toBe(ledger.reduce((s, e) => s + Number(e.points), 0));
  expect(view.pending).toBe(ledger.reduce((s, e) => s + Number(e.pending_points), 0));
  expect(view.available).toBe(
    lots.filter((l) => l.status === 'available').reduce((s, l) => s + Number(l.remaining), 0),
  );
  expect(view.pending).toBe(
    lots
      .filter((l) => l.status === 'pending')
      .reduce((s, l) => s + Number(l.points) - Number(l.reversed_points), 0),
  );
  expect(new Set(ledger.map((e) => e.source_key)).size).toBe(ledger.length);
}

// ---------------------------------------------------------------------------------------------------------------
// Coupons

export let member: string;
export let other: string;

export const DAY = 86_400_000;
export const window = () => ({
  validFrom: new Date(Date.now() - DAY).toISOString(),
  validTo: new Date(Date.now() + 30 * DAY).toISOString(),
});

/** The app with stores SH01 and SH02, SKUs LIP-1, LIP-2 and CRM-1 (skincare), and two members. */
export function setupCouponsApp(): void {
  beforeAll(async () => {
    t = await startTestApp();
    await createNetwork(
      t,
      [
        { code: 'SH01', kind: 'store', city: '上海', lat: 31.22, lng: 121.45 },
        { code: 'SH02', kind: 'store', city: '上海', lat: 31.19, lng: 121.43 },
      ],
      [
        { code: 'LIP-1', price: 20_000 },
        { code: 'LIP-2', price: 30_000 },
      ],
    );
    const cream = await t.request({
      method: 'POST',
      url: '/v1/products',
      body: {
        code: 'P-CRM',
        name: 'Cream',
        category: 'skincare',
        skus: [{ code: 'CRM-1', name: 'Cream', price: 50_000 }],
      },
    });
    expect(cream.statusCode, cream.body).toBe(201);
    member = await identify('13911110001');
    other = await identify('13911110002');
  });
  afterAll(() => t.close());
}

export async function identify(phone: string): Promise<string> {
  const res = await t.request({
    method: 'POST',
    url: '/v1/identify',
    body: { identifiers: [{ type: 'phone', value: phone, verified: true }], channel: 'pos' },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().memberId;
}

export async function template(body: Record<string, unknown>): Promise<string> {
  const res = await t.request({
    method: 'POST',
    url: '/v1/coupon-templates',
    body: { ...window(), ...body },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().code;
}

export async function issue(
  templateCode: string,
  memberId = member,
  as: Parameters<TestApp['request']>[0]['as'] = OPS,
) {
  return t.request({ method: 'POST', url: '/v1/coupons', body: { template: templateCode, memberId }, as });
}

export async function issued(templateCode: string, memberId = member): Promise<string> {
  const res = await issue(templateCode, memberId);
  expect(res.statusCode, res.body).toBe(201);
  return res.json().code;
}

export const lines: CouponLineInput[] = [
  { key: '1', sku: 'LIP-1', category: 'lipstick', amount: 20_000 },
  { key: '2', sku: 'CRM-1', category: 'skincare', amount: 50_000 },
];

export function redeem(codes: string[], over: Partial<Parameters<typeof redeemCouponsForOrder>[1]> = {}) {
  return t.runtime.database.transaction((trx) =>
    redeemCouponsForOrder(trx, {
      orderId: newId('ord'),
      memberId: member,
      channel: 'online',
      storeCode: null,
      lines,
      couponCodes: codes,
      ...over,
    }),
  );
}

export async function refusal(promise: Promise<unknown>): Promise<{ code: string; rule?: unknown }> {
  try {
    await promise;
  } catch (error) {
    if (isDomainError(error)) return { code: error.code, rule: error.extra?.rule };
    throw error;
  }
  throw new Error('expected a refusal');
}
