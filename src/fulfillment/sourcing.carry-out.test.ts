import { describe, expect, it } from 'vitest';
import type { SourcingOrder } from './sourcing.config.js';
import { failed, planned, store, warehouse, why } from './sourcing.testkit.js';

describe('planFulfillment — store sales', () => {
  it("carry-out takes the selling store's own stock, down to its last unit", () => {
    const order: SourcingOrder = {
      channel: 'pos',
      storeCode: 'JA',
      lines: [{ sku: 'A', quantity: 1 }],
      fulfillment: { type: 'carry_out' },
    };
    const result = planned(order, [store('JA', 'JA', { A: 1 }), warehouse('W', 'JA', { A: 99 })]);
    expect(result.groups).toEqual([
      { location: 'JA', type: 'carry_out', lines: [{ sku: 'A', quantity: 1 }] },
    ]);
    expect(why(result, 'W')).toMatchObject({ decision: 'excluded', reasons: ['NOT_SELLING_STORE'] });
  });

  it('carry-out fails when the store is short, even if others hold the item', () => {
    const order: SourcingOrder = {
      channel: 'pos',
      lines: [{ sku: 'A', quantity: 3 }],
      fulfillment: { type: 'carry_out', store: 'JA' },
    };
    const result = failed(order, [store('JA', 'JA', { A: 1 }), warehouse('W', 'JA', { A: 99 })]);
    expect(result.unfulfillable).toEqual([{ sku: 'A', quantity: 2, reason: 'INSUFFICIENT_STOCK' }]);
    const nowhere = failed({ ...order, fulfillment: { type: 'carry_out' } }, [store('JA', 'JA', { A: 9 })]);
    expect(nowhere.unfulfillable[0]?.reason).toBe('SELLING_STORE_UNAVAILABLE');
  });
});
