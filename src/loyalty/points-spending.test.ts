import { describe, expect, it } from 'vitest';
import { newId } from '../platform/index.js';
import { redeemPointsForOrder, restoreOrderBenefits, reverseForReturn } from './index.js';
import {
  complete,
  expectLedgerConsistent,
  newMember,
  points,
  putRules,
  setupPointsApp,
  t,
  until,
} from './loyalty.testkit.js';

setupPointsApp();

describe('spending points and giving them back', () => {
  it('gives redeemed points back once when the order is cancelled, and for a returned line', async () => {
    await putRules({ returnWindowSeconds: 0 });
    try {
      const member = await newMember();
      await complete(newId('ord'), member, [
        { lineNo: 1, sku: 'LIP-1', category: 'lipstick', quantity: 1, unitPrice: 100_000 },
      ]);
      await until(
        () => points(member),
        (p) => p.available === 1000,
      );
      const cancelled = newId('ord');
      await t.runtime.database.transaction((trx) =>
        redeemPointsForOrder(trx, { orderId: cancelled, memberId: member, points: 400 }),
      );
      expect((await points(member)).available).toBe(600);
      for (let i = 0; i < 2; i++) {
        await t.runtime.database.transaction((trx) => restoreOrderBenefits(trx, { orderId: cancelled }));
      }
      expect((await points(member)).available).toBe(1000);

      // An order paid 500 fen with points; one of its two lines (250 fen of points) comes back.
      const order = newId('ord');
      await t.runtime.database.transaction((trx) =>
        redeemPointsForOrder(trx, { orderId: order, memberId: member, points: 500 }),
      );
      const result = await t.runtime.database.transaction((trx) =>
        reverseForReturn(trx, {
          returnId: newId('ret'),
          orderId: order,
          lines: [{ lineNo: 1, quantity: 1, pointsAmount: 250 }],
          wholeOrderReturned: false,
        }),
      );
      expect(result.pointsRestored).toBe(250);
      expect((await points(member)).available).toBe(750);
      await expectLedgerConsistent(member);
    } finally {
      await putRules({ returnWindowSeconds: 1 });
    }
  });

  it('never overdraws under concurrent spends', async () => {
    await putRules({ returnWindowSeconds: 0 });
    try {
      const member = await newMember();
      await complete(newId('ord'), member, [
        { lineNo: 1, sku: 'LIP-1', category: 'lipstick', quantity: 1, unitPrice: 20_000 },
        { lineNo: 2, sku: 'LIP-2', category: 'lipstick', quantity: 1, unitPrice: 30_000 },
      ]);
      await until(
        () => points(member),
        (p) => p.available === 500,
      );
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, () =>
          t.runtime.database.transaction((trx) =>
            redeemPointsForOrder(trx, { orderId: newId('ord'), memberId: member, points: 100 }),
          ),
        ),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
      for (const r of results) {
        if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'LOYALTY.INSUFFICIENT_POINTS' });
      }
      expect((await points(member)).available).toBe(0);
      await expectLedgerConsistent(member);
    } finally {
      await putRules({ returnWindowSeconds: 1 });
    }
  });
});
