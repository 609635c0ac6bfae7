import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SourcingCandidate, SourcingOrder } from './sourcing.config.js';
import {
  arbWorld,
  buildWorld,
  delivery,
  failed,
  plan,
  planned,
  store,
  warehouse,
  why,
} from './sourcing.testkit.js';

describe('planFulfillment — pickup', () => {
  const pickup = (lines: Record<string, number>, at = 'JA'): SourcingOrder => ({
    ...delivery(lines, { channel: 'mini_program' }),
    fulfillment: { type: 'pickup', store: at },
  });

  it('one pickup group when the store holds everything, ready in two hours', () => {
    const result = planned(pickup({ A: 1, B: 2 }), [
      store('JA', 'JA', { A: 1, B: 2 }),
      warehouse('W', 'JA', { A: 9 }),
    ]);
    expect(result.groups).toEqual([
      {
        location: 'JA',
        type: 'pickup',
        lines: [
          { sku: 'A', quantity: 1 },
          { sku: 'B', quantity: 2 },
        ],
        readyBy: '2026-11-22T04:00:00.000Z',
      },
    ]);
    expect(why(result, 'JA').reasons).toEqual(['PICKUP_STORE', 'HOLDS_ALL_LINES']);
    expect(why(result, 'W')).toMatchObject({ decision: 'not_needed', reasons: ['PICKUP_STORE_HAS_STOCK'] });
  });

  it('sells the store its own last unit and ignores its packing capacity: the customer chose it', () => {
    const result = planned(pickup({ A: 1 }), [store('JA', 'JA', { A: 1 }, { remainingCapacity: 0 })]);
    expect(result.groups[0]?.transfers).toBeUndefined();
  });

  it('plans a transfer from the same city first, and the ready time follows the lead time', () => {
    const result = planned(pickup({ A: 1, B: 3 }), [
      store('JA', 'JA', { A: 1, B: 1 }),
      store('XH', 'XH', { B: 9 }),
      warehouse('W-SZ', 'SZ', { B: 99 }),
    ]);
    expect(result.groups).toEqual([
      {
        location: 'JA',
        type: 'pickup',
        lines: [
          { sku: 'A', quantity: 1 },
          { sku: 'B', quantity: 3 },
        ],
        transfers: [{ from: 'XH', sku: 'B', quantity: 2 }],
        readyBy: '2026-11-23T04:00:00.000Z', // 24 h same-city transfer + 2 h
      },
    ]);
    expect(why(result, 'XH')).toMatchObject({ decision: 'chosen', reasons: ['TRANSFER_SOURCE'] });
    expect(why(result, 'W-SZ')).toMatchObject({ decision: 'not_needed', reasons: ['SLOWER_TRANSFER'] });
  });

  it('prefers a warehouse to a store within the same lead time', () => {
    const result = planned(pickup({ A: 1 }), [
      store('JA', 'JA', {}),
      store('XH', 'XH', { A: 9 }),
      warehouse('W-PD', 'PD', { A: 9 }),
    ]);
    expect(result.groups[0]?.transfers).toEqual([{ from: 'W-PD', sku: 'A', quantity: 1 }]);
    expect(why(result, 'XH')).toMatchObject({ decision: 'not_needed', reasons: ['KIND_PREFERENCE'] });
  });

  it('brings units from another city when the city lacks them (48 h within 500 km, 72 h beyond)', () => {
    const near = planned(pickup({ A: 1 }), [store('JA', 'JA', {}), warehouse('W-SZ', 'SZ', { A: 9 })]);
    expect(near.groups[0]).toMatchObject({
      transfers: [{ from: 'W-SZ', sku: 'A', quantity: 1 }],
      readyBy: '2026-11-24T04:00:00.000Z',
    });
    const far = planned(pickup({ A: 1 }), [store('JA', 'JA', {}), warehouse('W-BJ', 'BJ', { A: 9 })]);
    expect(far.groups[0]?.readyBy).toBe('2026-11-25T04:00:00.000Z');
  });

  it('does not drain the source store below its floor', () => {
    const result = planned(pickup({ A: 2 }), [
      store('JA', 'JA', {}),
      store('XH', 'XH', { A: 2 }),
      warehouse('W-BJ', 'BJ', { A: 9 }),
    ]);
    expect(result.groups[0]?.transfers).toEqual([{ from: 'W-BJ', sku: 'A', quantity: 2 }]);
  });

  it('fails when the pickup store is missing, inactive or holds no pickups', () => {
    const inactive = failed(pickup({ A: 1 }), [
      store('JA', 'JA', { A: 9 }, { active: false }),
      store('XH', 'XH', { A: 9 }),
    ]);
    expect(inactive.unfulfillable).toEqual([{ sku: 'A', quantity: 1, reason: 'PICKUP_STORE_UNAVAILABLE' }]);
    expect(why(inactive, 'JA').reasons).toEqual(['INACTIVE']);
    const noCounter = failed(pickup({ A: 1 }), [
      store(
        'JA',
        'JA',
        { A: 9 },
        { capabilities: { pickup: false, shipFromStore: true, sameDayRadiusKm: null } },
      ),
    ]);
    expect(why(noCounter, 'JA').reasons).toEqual(['NO_PICKUP_CAPABILITY']);
    expect(failed(pickup({ A: 1 }, 'NOPE'), [store('JA', 'JA', { A: 9 })]).unfulfillable[0]?.reason).toBe(
      'PICKUP_STORE_UNAVAILABLE',
    );
  });

  it('fails when no transfer can make up the difference', () => {
    const result = failed(pickup({ A: 5 }), [store('JA', 'JA', { A: 2 }), store('XH', 'XH', { A: 2 })]);
    expect(result.unfulfillable).toEqual([{ sku: 'A', quantity: 2, reason: 'INSUFFICIENT_STOCK' }]);
    expect(why(result, 'JA').reasons).toEqual(['INSUFFICIENT_STOCK']);
  });
});

describe('planFulfillment — properties', () => {
  it('pickup: the store gives what it has, transfers bring the rest from sources that hold it', () => {
    let transferred = 0;
    fc.assert(
      fc.property(arbWorld, (world) => {
        const { candidates, rules, order } = buildWorld(world);
        const at = candidates[0]!;
        const pickupStore: SourcingCandidate = {
          ...at,
          kind: 'store',
          active: true,
          capabilities: { pickup: true, shipFromStore: false, sameDayRadiusKm: null },
        };
        const all = [pickupStore, ...candidates.slice(1)];
        const result = plan({ ...order, fulfillment: { type: 'pickup', store: at.code } }, all, rules);
        expect(result.explanation.map((e) => e.location).sort()).toEqual(all.map((c) => c.code).sort());
        if (!result.ok) return;
        expect(result.groups).toHaveLength(1);
        const group = result.groups[0]!;
        expect(group.location).toBe(at.code);
        const lines = world.lines;
        expect(Object.fromEntries(group.lines.map((l) => [l.sku, l.quantity]))).toEqual(lines);
        const moved = new Map<string, number>();
        if (group.transfers) transferred++;
        for (const transfer of group.transfers ?? []) {
          const source = all.find((c) => c.code === transfer.from)!;
          expect(source.code).not.toBe(at.code);
          expect(source.active).toBe(true);
          const available = (source.stock as Map<string, number>).get(transfer.sku) ?? 0;
          const floor = source.kind === 'store' ? rules.storeBalance.minUnits : 0;
          expect(transfer.quantity).toBeLessThanOrEqual(available - floor);
          moved.set(transfer.sku, (moved.get(transfer.sku) ?? 0) + transfer.quantity);
        }
        expect(new Set((group.transfers ?? []).map((t) => t.from)).size).toBeLessThanOrEqual(
          rules.transfers.maxSources,
        );
        for (const [sku, quantity] of Object.entries(lines)) {
          const own = (pickupStore.stock as Map<string, number>).get(sku) ?? 0;
          expect(Math.min(own, quantity) + (moved.get(sku) ?? 0)).toBe(quantity);
        }
      }),
      { numRuns: 300 },
    );
    expect(transferred).toBeGreaterThan(20);
  });
});
