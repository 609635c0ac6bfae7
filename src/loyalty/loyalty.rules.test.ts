import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RULES,
  expiryFor,
  localMidnight,
  nextTierReview,
  planSettlement,
  planSpend,
  pointsForLine,
  pointsValue,
  reversalFor,
  type Tier,
  tierForSpend,
  tierProblems,
} from './loyalty.rules.js';

const tiers: Tier[] = [
  { code: 'regular', name: '普通', rank: 0, threshold: 0, multiplier: 1, benefits: [] },
  { code: 'silver', name: '银卡', rank: 1, threshold: 200_000, multiplier: 1.2, benefits: [] },
  { code: 'gold', name: '金卡', rank: 2, threshold: 800_000, multiplier: 1.5, benefits: [] },
];

describe('earning', () => {
  it('multiplies base, channel, category, tier and the best running campaign', () => {
    const rules = {
      ...DEFAULT_RULES,
      channels: { marketplace: 0.5 },
      categories: { skincare: 2 },
      campaigns: [
        { name: 'a', multiplier: 3, from: '2026-01-01T00:00:00.000Z', to: '2026-02-01T00:00:00.000Z' },
        {
          name: 'b',
          multiplier: 1.5,
          from: '2026-01-01T00:00:00.000Z',
          to: '2026-03-01T00:00:00.000Z',
          channels: ['pos'],
        },
      ],
    };
    const at = '2026-01-15T00:00:00.000Z';
    expect(pointsForLine(rules, { channel: 'pos', category: 'lipstick', moneyPaid: 12_345 }, at, 1)).toBe(
      370,
    );
    expect(
      pointsForLine(rules, { channel: 'marketplace', category: 'skincare', moneyPaid: 10_000 }, at, 1.2),
    ).toBe(360);
    expect(
      pointsForLine(
        rules,
        { channel: 'pos', category: 'lipstick', moneyPaid: 10_000 },
        '2026-02-15T00:00:00.000Z',
        1,
      ),
    ).toBe(150);
    expect(pointsForLine(rules, { channel: 'online', category: 'x', moneyPaid: 0 }, at, 2)).toBe(0);
  });

  it('does not lose a point to binary rounding', () => {
    expect(
      pointsForLine({ ...DEFAULT_RULES }, { channel: 'pos', category: 'x', moneyPaid: 300 }, 'x', 1.1),
    ).toBe(3);
  });

  it('converts points to whole fen', () => {
    expect(pointsValue(DEFAULT_RULES, 250)).toEqual({ points: 250, amount: 250 });
    expect(pointsValue({ ...DEFAULT_RULES, redeemPointsPerYuan: 200 }, 301)).toEqual({
      points: 300,
      amount: 150,
    });
  });
});

describe('time in the brand zone', () => {
  it('finds local midnight and the next yearly review', () => {
    expect(localMidnight(2027, 1, 1, 'Asia/Shanghai').toISOString()).toBe('2026-12-31T16:00:00.000Z');
    expect(nextTierReview(new Date('2026-12-31T15:59:00.000Z'), 'Asia/Shanghai')).toEqual({
      period: '2027',
      at: new Date('2026-12-31T16:00:00.000Z'),
    });
    expect(nextTierReview(new Date('2026-12-31T16:00:00.000Z'), 'Asia/Shanghai').period).toBe('2028');
  });

  it('expires points at the end of the following year, or after a fixed time', () => {
    const earned = new Date('2026-06-01T00:00:00.000Z');
    expect(expiryFor(DEFAULT_RULES, earned).toISOString()).toBe('2027-12-31T16:00:00.000Z');
    expect(
      expiryFor({ ...DEFAULT_RULES, expiry: { mode: 'after', seconds: 60 } }, earned).toISOString(),
    ).toBe('2026-06-01T00:01:00.000Z');
  });
});

describe('tiers', () => {
  it('reaches the highest threshold met', () => {
    expect(tierForSpend(tiers, 0).code).toBe('regular');
    expect(tierForSpend(tiers, 199_999).code).toBe('regular');
    expect(tierForSpend(tiers, 200_000).code).toBe('silver');
    expect(tierForSpend(tiers, 5_000_000).code).toBe('gold');
  });

  it('refuses a tier set that does not start at 0 or does not rise', () => {
    expect(tierProblems(tiers)).toEqual([]);
    expect(tierProblems([{ ...tiers[0]!, threshold: 5 }]).map((p) => p.path)).toEqual(['tiers.0.threshold']);
    expect(tierProblems([tiers[0]!, { ...tiers[1]!, threshold: 0 }]).length).toBeGreaterThan(0);
  });
});

describe('lots', () => {
  const lot = (id: string, remaining: number, expiresAt: string | null, earnedAt = '2026-01-01') => ({
    id,
    remaining,
    expiresAt,
    earnedAt,
  });

  it('spends the soonest-expiring, oldest lots first', () => {
    const lots = [lot('b', 100, '2027-12-31'), lot('a', 50, '2026-12-31'), lot('c', 80, null)];
    expect(planSpend(lots, 120)).toEqual([
      { lotId: 'a', points: 50 },
      { lotId: 'b', points: 70 },
    ]);
    expect(planSpend(lots, 231)).toBeNull();
  });

  it('settles debts from credits without changing the sum', () => {
    const moves = planSettlement([
      lot('d', -70, null, '2026-02-01'),
      lot('a', 50, '2026-12-31'),
      lot('b', 40, '2027-12-31'),
    ]);
    expect(moves).toEqual([
      { from: 'a', to: 'd', points: 50 },
      { from: 'b', to: 'd', points: 20 },
    ]);
  });

  it('takes back a return from pending, unspent, expired, then as a debt; partial returns add up exactly', () => {
    const base = { quantity: 3, points: 100, reversedQuantity: 0, reversedPoints: 0, expiredPoints: 0 };
    expect(reversalFor({ ...base, status: 'pending', remaining: 0 }, 1)).toMatchObject({
      quantity: 1,
      points: 33,
      fromPending: 33,
    });
    expect(reversalFor({ ...base, status: 'available', remaining: 20 }, 3)).toMatchObject({
      points: 100,
      fromRemaining: 20,
      debt: 80,
    });
    expect(reversalFor({ ...base, status: 'expired', remaining: 0, expiredPoints: 60 }, 3)).toMatchObject({
      points: 100,
      fromExpired: 60,
      debt: 40,
    });
    // 1 + 1 + 1 units: 33 + 33 + 34 = 100.
    let state = { ...base, status: 'pending' as const, remaining: 0 };
    const parts: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = reversalFor(state, 1);
      parts.push(r.points);
      state = {
        ...state,
        reversedQuantity: state.reversedQuantity + r.quantity,
        reversedPoints: state.reversedPoints + r.points,
      };
    }
    expect(parts).toEqual([33, 33, 34]);
    expect(reversalFor(state, 1).quantity).toBe(0);
  });
});
