import { describe, expect, it } from 'vitest';
import { newId } from '../platform/index.js';
import { redeemPointsForOrder, reverseForReturn } from './index.js';
import {
  complete,
  expectLedgerConsistent,
  newMember,
  points,
  setupPointsApp,
  t,
  until,
} from './loyalty.testkit.js';

setupPointsApp();

describe('reversing points for a return', () => {
  it('earns on a POS order (pending through the return window), spends online, reverses a return into debt', async () => {
    const member = await newMember();
    const order = newId('ord');
    await complete(order, member, [
      { lineNo: 1, sku: 'LIP-1', category: 'lipstick', quantity: 2, unitPrice: 10_000 },
      { lineNo: 2, sku: 'CRM-1', category: 'skincare', quantity: 1, unitPrice: 30_000 },
    ]);
    // Wait until the earning shows, both lines' lots with it.
    const pending = await until(
      () => points(member),
      (p) => (p.pending > 0 || p.available > 0) && p.lots.length === 2,
    );
    expect(pending.pending + pending.available).toBe(500);
    // Not spendable until the return window (1 s here) has passed.
    expect(pending.available).toBe(0);
    expect(pending.lots.map((l: { pending: number }) => l.pending).sort()).toEqual([200, 300]);
    await expect(
      t.runtime.database.transaction((trx) =>
        redeemPointsForOrder(trx, { orderId: newId('ord'), memberId: member, points: 100 }),
      ),
    ).rejects.toMatchObject({ code: 'LOYALTY.INSUFFICIENT_POINTS' });
    const matured = await until(
      () => points(member),
      (p) => p.available === 500,
    );
    expect(matured.pending).toBe(0);
    await expectLedgerConsistent(member);

    // An online order pays 300 fen with 300 points, taking the oldest lots first.
    const online = newId('ord');
    const paid = await t.runtime.database.transaction((trx) =>
      redeemPointsForOrder(trx, { orderId: online, memberId: member, points: 300 }),
    );
    expect(paid).toEqual({ points: 300, amount: 300 });
    expect((await points(member)).available).toBe(200);
    await expect(
      t.runtime.database.transaction((trx) =>
        redeemPointsForOrder(trx, { orderId: newId('ord'), memberId: member, points: 201 }),
      ),
    ).rejects.toMatchObject({ code: 'LOYALTY.INSUFFICIENT_POINTS' });

    // Returning the skincare line takes back its 300 points; only 200 are left, so the balance goes to −100.
    const returnId = newId('ret');
    const reversal = await t.runtime.database.transaction((trx) =>
      reverseForReturn(trx, {
        returnId,
        orderId: order,
        lines: [{ lineNo: 2, quantity: 1, pointsAmount: 0 }],
        wholeOrderReturned: false,
      }),
    );
    expect(reversal).toEqual({ pointsReversed: 300, pointsRestored: 0, couponsRestored: [] });
    const again = await t.runtime.database.transaction((trx) =>
      reverseForReturn(trx, {
        returnId,
        orderId: order,
        lines: [{ lineNo: 2, quantity: 1, pointsAmount: 0 }],
        wholeOrderReturned: false,
      }),
    );
    expect(again).toEqual(reversal);
    let view = await points(member);
    expect(view.available).toBe(-100);
    expect(
      view.lots.some((l: { kind: string; remaining: number }) => l.kind === 'debt' && l.remaining === -100),
    ).toBe(true);
    await expectLedgerConsistent(member);

    // The next order's points settle the debt once they mature.
    await complete(newId('ord'), member, [
      { lineNo: 1, sku: 'LIP-2', category: 'lipstick', quantity: 1, unitPrice: 15_000 },
    ]);
    view = await until(
      () => points(member),
      (p) => p.pending === 0 && p.available === 50,
    );
    expect(view.lots.filter((l: { kind: string }) => l.kind === 'debt')).toEqual([]);
    await expectLedgerConsistent(member);
  });
});
