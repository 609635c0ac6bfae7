import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SourcingOrder } from './sourcing.config.js';
import { packExplanation, unpackExplanation } from './sourcing.explain.js';
import type { LocationExplanation } from './sourcing.plan.js';
import { arbWorld, buildWorld, plan } from './sourcing.testkit.js';

describe('planFulfillment — properties', () => {
  it('an explanation packed for storage reads back exactly as planned, every sentence included', () => {
    let packedChars = 0;
    let fullChars = 0;
    fc.assert(
      fc.property(arbWorld, fc.boolean(), (world, pickup) => {
        const { candidates, rules, order } = buildWorld(world);
        const request = pickup
          ? { ...order, fulfillment: { type: 'pickup', store: candidates[0]!.code } }
          : order;
        const explanation = plan(request as SourcingOrder, candidates, rules).explanation;
        const stored = JSON.stringify(packExplanation(explanation));
        packedChars += stored.length;
        fullChars += JSON.stringify(explanation).length;
        expect(unpackExplanation(JSON.parse(stored))).toEqual(JSON.parse(JSON.stringify(explanation)));
      }),
      { numRuns: 300 },
    );
    // Entries written before packing existed read as they are.
    const old: LocationExplanation = {
      location: 'SH01',
      decision: 'excluded',
      reasons: ['INACTIVE'],
      message: 'SH01 excluded: it is not active.',
    };
    expect(unpackExplanation([old])).toEqual([old]);
    expect(packedChars).toBeLessThan(fullChars / 2);
  });
});
