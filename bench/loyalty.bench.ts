import { handleOrderEvent } from '../src/loyalty/benefits.service.js';
import { issueCoupon } from '../src/loyalty/coupon-issuing.service.js';
import { createTemplate } from '../src/loyalty/coupon-templates.service.js';
import { redeemCouponsForOrder } from '../src/loyalty/index.js';
import { DEMO_TIERS } from '../src/loyalty/loyalty.seed.js';
import { putRules, putTiers } from '../src/loyalty/loyalty.service.js';
import { identify, piiFor } from '../src/members/index.js';
import { migrateToLatest, openDatabase } from '../src/platform/db/index.js';
import { newId } from '../src/platform/ids.js';
import type { PublishedEvent } from '../src/platform/index.js';
import { createTestDatabase } from '../test/helpers/database.js';
import { BENCH_SECRET, type BenchContext, percentile } from './lib.js';

const pii = piiFor(BENCH_SECRET);
const CATEGORIES = ['lipstick', 'skincare', 'fragrance'];

/**
 * Loyalty on embedded SQLite, in process: `order.completed` events handled per second (points per line into
 * pending lots, the maturity and expiry jobs, qualifying spend, the tier check), and the p99 of validating and
 * redeeming a coupon for a 3-line order inside its transaction (a fresh coupon each time, committed).
 */
export async function loyaltySuite(ctx: BenchContext): Promise<void> {
  const testDb = await createTestDatabase('sqlite');
  const database = openDatabase(testDb.target);
  try {
    await migrateToLatest(database.db);
    await database.transaction(async (trx) => {
      await putTiers(trx, DEMO_TIERS);
      await putRules(trx, { categories: { skincare: 1.5 } }, 'bench');
    });
    const members: string[] = [];
    await database.transaction(async (trx) => {
      for (let n = 0; n < 500; n++) {
        const { memberId } = await identify(
          trx,
          pii,
          {
            identifiers: [{ type: 'phone', value: `137${String(n).padStart(8, '0')}`, verified: true }],
            channel: 'pos',
          },
          { role: 'admin', subject: 'bench' },
        );
        members.push(memberId);
      }
    });

    // Earning: one order.completed event (3 lines) per transaction, as the durable consumer would see it.
    const seconds = ctx.quick ? 3 : 8;
    let handled = 0;
    const started = performance.now();
    while (performance.now() - started < seconds * 1000) {
      const orderId = newId('ord');
      const event: PublishedEvent = {
        id: newId('evt'),
        position: handled + 1,
        type: 'order.completed',
        topic: 'order',
        stream: `order:${orderId}`,
        location: 'SH01',
        occurredAt: new Date().toISOString(),
        payload: {
          orderId,
          channel: 'pos',
          storeCode: 'SH01',
          memberId: members[handled % members.length],
          completedAt: new Date().toISOString(),
          paidAmount: 3 * 29_900,
          lines: [1, 2, 3].map((lineNo) => ({
            lineNo,
            sku: `SKU-${lineNo}`,
            category: CATEGORIES[lineNo - 1],
            quantity: 1,
            unitPrice: 29_900,
            discountAmount: 0,
            pointsAmount: 0,
            paidAmount: 29_900,
          })),
        },
      };
      await database.transaction((trx) => handleOrderEvent(trx, event));
      handled++;
    }
    ctx.record('sqlite.earn_per_s', handled / ((performance.now() - started) / 1000), 'orders/s');

    // Pricing with a coupon: fresh coupons, each redeemed by its own 3-line order.
    const iterations = ctx.quick ? 1200 : 5200;
    const codes: string[] = [];
    await database.transaction(async (trx) => {
      const now = Date.now();
      await createTemplate(trx, {
        code: 'BENCH20',
        name: '满300减20',
        kind: 'amount_off',
        value: 2000,
        minSpend: 30_000,
        channels: ['online', 'mini_program', 'pos'],
        validFrom: new Date(now - 86_400_000).toISOString(),
        validTo: new Date(now + 30 * 86_400_000).toISOString(),
      });
      for (let i = 0; i < iterations; i++) {
        const coupon = await issueCoupon(trx, {
          template: 'BENCH20',
          memberId: members[i % members.length]!,
          issuedBy: 'ops:bench',
          store: null,
          byStoreStaff: false,
        });
        codes.push(coupon.code);
      }
    });
    const memberOfCode = new Map<string, string>();
    const rows = await database.db.selectFrom('coupons').select(['code', 'member_id']).execute();
    for (const r of rows) memberOfCode.set(r.code, r.member_id);
    const timings: number[] = [];
    // The first few hundred warm the statement cache and the JIT; they are not counted.
    const warmUp = 200;
    for (const [i, code] of codes.entries()) {
      const lines = [1, 2, 3].map((n) => ({
        key: String(n),
        sku: `SKU-${n}`,
        category: CATEGORIES[n - 1]!,
        amount: 12_900 * n,
      }));
      const t0 = process.hrtime.bigint();
      await database.transaction((trx) =>
        redeemCouponsForOrder(trx, {
          orderId: newId('ord'),
          memberId: memberOfCode.get(code)!,
          channel: 'online',
          storeCode: null,
          lines,
          couponCodes: [code],
        }),
      );
      if (i >= warmUp) timings.push(Number(process.hrtime.bigint() - t0) / 1000);
    }
    timings.sort((a, b) => a - b);
    ctx.record('sqlite.price_order_with_coupon_p50_us', percentile(timings, 50), 'µs');
    ctx.record('sqlite.price_order_with_coupon_p95_us', percentile(timings, 95), 'µs');
    ctx.record('sqlite.price_order_with_coupon_p99_us', percentile(timings, 99), 'µs');
  } finally {
    await database.close();
    await testDb.drop();
  }
}
