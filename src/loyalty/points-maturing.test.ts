import { describe, expect, it } from 'vitest';
import { newId } from '../platform/index.js';
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
import { expireLot } from './points-maturing.service.js';

setupPointsApp();

describe('maturing and expiring points', () => {
  it('expires a lot exactly once', async () => {
    await putRules({ returnWindowSeconds: 0, expiry: { mode: 'after', seconds: 1 } });
    try {
      const member = await newMember();
      await complete(newId('ord'), member, [
        { lineNo: 1, sku: 'LIP-1', category: 'lipstick', quantity: 1, unitPrice: 9_900 },
      ]);
      const expired = await until(
        () => points(member),
        (p) => p.ledger.some((e: { kind: string }) => e.kind === 'expire'),
      );
      expect(expired.available).toBe(0);
      const lotId = expired.ledger.find((e: { kind: string }) => e.kind === 'expire').lotId;
      expect(await t.runtime.database.transaction((trx) => expireLot(trx, lotId))).toBe(0);
      const view = await points(member);
      expect(view.ledger.filter((e: { kind: string }) => e.kind === 'expire')).toHaveLength(1);
      expect(view.ledger.find((e: { kind: string }) => e.kind === 'expire').points).toBe(-99);
      await expectLedgerConsistent(member);
    } finally {
      await putRules({ returnWindowSeconds: 1 });
    }
  });
});
