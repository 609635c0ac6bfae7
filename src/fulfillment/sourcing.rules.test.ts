import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDomainError } from '../platform/errors.js';
import { FulfillmentErrors } from './fulfillment.errors.js';
import { assertPlanned } from './sourcing.plan.js';
import { delivery, plan, planned, sources, store, warehouse } from './sourcing.testkit.js';

describe('planFulfillment — inputs and determinism', () => {
  const candidates = [
    store('JA', 'JA', { A: 5 }),
    store('XH', 'XH', { B: 5, C: 2 }),
    store('PD', 'PD', { B: 5 }),
    warehouse('W-SZ', 'SZ', { C: 9 }),
    warehouse('W-BJ', 'BJ', { A: 9, B: 9 }, { priorityTier: 2 }),
    store('OFF', 'JA', { A: 9 }, { active: false }),
  ];

  it('gives the same plan whatever order the candidates arrive in', () => {
    const order = delivery({ A: 1, B: 1, C: 1 });
    const reference = plan(order, candidates);
    fc.assert(
      fc.property(fc.shuffledSubarray(candidates, { minLength: candidates.length }), (shuffled) => {
        expect(plan(order, shuffled)).toEqual(reference);
      }),
      { numRuns: 50 },
    );
    expect(plan(order, candidates)).toEqual(reference);
  });

  it('merges repeated SKUs and accepts stock as a plain object', () => {
    const result = planned(
      delivery(
        {},
        {
          lines: [
            { sku: 'A', quantity: 1 },
            { sku: 'A', quantity: 2 },
          ],
        },
      ),
      [{ ...warehouse('W', 'SZ', {}), stock: { A: 3 } }],
    );
    expect(sources(result)).toEqual(['W:A×3']);
  });

  it('refuses malformed input as a bug, not a business outcome', () => {
    expect(() => plan(delivery({ A: 0 }), candidates)).toThrow(RangeError);
    expect(() => plan(delivery({}), candidates)).toThrow(RangeError);
    // Codes are unique by contract; the checks that cost nothing catch a repeated entry.
    expect(() => plan(delivery({ A: 1 }), [...candidates, candidates[0]!])).toThrow(/given twice/);
    expect(() => plan(delivery({ A: 1 }), [...candidates, candidates[5]!])).toThrow(/given twice/);
  });

  it('assertPlanned throws FULFILLMENT.NO_SOURCE naming the lines', () => {
    const result = plan(delivery({ Z: 1 }), candidates);
    try {
      assertPlanned(result);
      expect.unreachable();
    } catch (error) {
      expect(isDomainError(error, FulfillmentErrors.noSource)).toBe(true);
      expect((error as Error).message).toContain('1 × Z (not enough stock');
      // The reason and the SKU as params, for a client's own sentence.
      expect((error as { extra?: object }).extra).toMatchObject({ reason: 'INSUFFICIENT_STOCK', sku: 'Z' });
    }
    const ok = plan(delivery({ A: 1 }), candidates);
    assertPlanned(ok);
    expect(ok.groups).toHaveLength(1);
  });
});
