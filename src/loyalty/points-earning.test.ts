import { describe, expect, it } from 'vitest';
import { appendEvent, newId } from '../platform/index.js';
import {
  complete,
  expectLedgerConsistent,
  newMember,
  points,
  setupPointsApp,
  t,
  until,
} from './loyalty.testkit.js';
import { type CompletedOrder, earnForOrder } from './points-earning.service.js';

setupPointsApp();

describe('earning points', () => {
  it('earns once when the same order event is delivered twice', async () => {
    const member = await newMember();
    const order = newId('ord');
    const event = await complete(order, member, [
      { lineNo: 1, sku: 'LIP-1', category: 'lipstick', quantity: 1, unitPrice: 12_300 },
    ]);
    await t.runtime.database.transaction((trx) => appendEvent(trx, event));
    await until(
      () => points(member),
      (p) => p.pending + p.available === 123,
    );
    // And the handler itself, called again with the same order: nothing more.
    const again = await t.runtime.database.transaction((trx) =>
      earnForOrder(trx, event.payload as CompletedOrder),
    );
    expect(again).toBe(0);
    await new Promise((r) => setTimeout(r, 300));
    const view = await points(member);
    expect(view.pending + view.available).toBe(123);
    expect(view.ledger.filter((e: { kind: string }) => e.kind === 'earn')).toHaveLength(1);
    await expectLedgerConsistent(member);
  });
});
