import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EIGHT_CLASS_SEGMENTS,
  quintileSegment,
  RFM_SEGMENT_CODES,
  RFM_SEGMENTS,
  type RfmInput,
  type RfmOptions,
  type RfmScore,
  scoreRfm,
  segmentSizes,
} from './rfm.rules.js';

const AS_OF = '2026-01-01T00:00:00.000Z';
const DAY_MS = 86_400_000;
const daysBefore = (days: number) => new Date(Date.parse(AS_OF) - days * DAY_MS).toISOString();

const member = (memberId: string, over: Partial<RfmInput> = {}): RfmInput => ({
  memberId,
  card: null,
  lastPurchaseAt: daysBefore(10),
  frequency: 1,
  monetaryTotal: 10_000,
  ...over,
});

const quintile: RfmOptions & { scheme: 'quintile' } = { scheme: 'quintile', asOf: AS_OF, monetary: 'total' };
const eight: RfmOptions & { scheme: 'eight_class' } = {
  scheme: 'eight_class',
  asOf: AS_OF,
  monetary: 'total',
};

const byId = <S extends RfmScore>(results: S[]): Record<string, S> =>
  Object.fromEntries(results.map((r) => [r.memberId, r]));

/** Members `m1…mn` whose frequency is their rank, given in a shuffled order; returns fScore per rank. */
function frequencyScoresByRank(n: number): number[] {
  const ranks = Array.from({ length: n }, (_, i) => i + 1);
  const shuffled = [...ranks].sort((a, b) => (a % 3) - (b % 3) || b - a);
  const results = byId(
    scoreRfm(
      shuffled.map((f) => member(`m${f}`, { frequency: f })),
      quintile,
    ),
  );
  return ranks.map((r) => results[`m${r}`]!.fScore);
}

describe('RFM segment table', () => {
  it('maps each of the 125 codes to exactly one segment', () => {
    const seen = new Map<string, string>();
    for (const segment of RFM_SEGMENTS) {
      for (const code of RFM_SEGMENT_CODES[segment]) {
        expect(seen.get(code), `code ${code}`).toBeUndefined();
        seen.set(code, segment);
      }
    }
    const all: string[] = [];
    for (let r = 1; r <= 5; r++)
      for (let f = 1; f <= 5; f++) for (let m = 1; m <= 5; m++) all.push(`${r}${f}${m}`);
    expect([...seen.keys()].sort()).toEqual(all);
    for (const code of all) {
      const [r, f, m] = [...code].map(Number) as [number, number, number];
      expect(quintileSegment(r, f, m)).toBe(seen.get(code));
    }
  });

  it('names codes as DOMAIN.md does', () => {
    expect(quintileSegment(5, 5, 5)).toBe('champions');
    expect(quintileSegment(5, 1, 1)).toBe('new_customers');
    expect(quintileSegment(1, 5, 5)).toBe('cannot_lose_them');
    expect(quintileSegment(1, 1, 1)).toBe('lost');
    expect(quintileSegment(3, 3, 2)).toBe('hibernating');
    expect(() => quintileSegment(0, 1, 1)).toThrow(RangeError);
  });
});

describe('quintile scores', () => {
  it('scores ranks by the edges 1 + (n − 1)·k/5, rank 1 scoring 1', () => {
    const cases: [n: number, scores: number[]][] = [
      [1, [1]],
      [2, [1, 5]],
      // Edges 1, 1.6, 2.2, 2.8, 3.4, 4: no rank falls in the third quintile.
      [4, [1, 2, 4, 5]],
      [5, [1, 2, 3, 4, 5]],
      // Edges 1…6 are whole ranks: rank r scores r − 1 exactly on its edge, never r.
      [6, [1, 1, 2, 3, 4, 5]],
      [7, [1, 1, 2, 3, 4, 5, 5]],
      // Edges 1, 3, 5, 7, 9, 11.
      [11, [1, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5]],
      // Edges 1, 3.2, 5.4, 7.6, 9.8, 12.
      [12, [1, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 5]],
    ];
    for (const [n, scores] of cases) expect(frequencyScoresByRank(n), `n = ${n}`).toEqual(scores);
  });

  it('scores nobody in an empty population, and a lone member as a new customer', () => {
    expect(scoreRfm([], quintile)).toEqual([]);
    expect(
      scoreRfm([member('solo', { lastPurchaseAt: daysBefore(400), monetaryTotal: 1 })], quintile),
    ).toEqual([
      {
        memberId: 'solo',
        recency: 400,
        frequency: 1,
        monetary: 1,
        rScore: 5,
        fScore: 1,
        mScore: 1,
        segment: 'new_customers',
      },
    ]);
  });

  it('gives the most recent 5 and the least recent 1, and keeps input order', () => {
    const results = scoreRfm(
      [1, 50, 2, 400, 30].map((days, i) => member(`m${i}`, { lastPurchaseAt: daysBefore(days) })),
      quintile,
    );
    expect(results.map((r) => [r.memberId, r.recency, r.rScore])).toEqual([
      ['m0', 1, 5],
      ['m1', 50, 2],
      ['m2', 2, 4],
      ['m3', 400, 1],
      ['m4', 30, 3],
    ]);
  });

  it('breaks ties by card, numerically when both are numbers, then by member id', () => {
    const tied = (cards: (string | null)[], ids?: string[]) =>
      scoreRfm(
        cards.map((card, i) => member(ids?.[i] ?? `m${i}`, { card })),
        quintile,
      ).map((r) => r.fScore);
    // Numbers by value ("9" before "10"), text by code units ("A10" before "A9").
    expect(tied(['10', '9'])).toEqual([5, 1]);
    expect(tied(['A9', 'A10'])).toEqual([5, 1]);
    // Leading zeros do not count, so "007" and "7" tie and the member id decides.
    expect(tied(['007', '7'], ['b', 'a'])).toEqual([5, 1]);
    // Numeric cards, then other cards, then no card.
    expect(tied([null, '1A', '99'])).toEqual([5, 3, 1]);
    // Same card (or none): member id.
    expect(tied(['5', '5'], ['z', 'y'])).toEqual([5, 1]);
    expect(tied([null, null], ['mem_2', 'mem_10'])).toEqual([5, 1]);
    // Beyond double precision: still by value.
    expect(tied(['100000000000000000001', '100000000000000000000', '99999999999999999999'])).toEqual([
      5, 3, 1,
    ]);
    expect(tied(['1000000000000000000', '999'])).toEqual([5, 1]);
  });

  it('breaks a recency tie the same way, so the earlier card counts as more recent', () => {
    const results = byId(scoreRfm([member('a', { card: '2' }), member('b', { card: '1' })], quintile));
    expect([results.a!.rScore, results.b!.rScore]).toEqual([1, 5]);
  });

  it('ranks equal values of many members by card only within the tie', () => {
    const inputs = [
      member('a', { frequency: 1, card: '3' }),
      member('b', { frequency: 2, card: '1' }),
      member('c', { frequency: 1, card: '2' }),
      member('d', { frequency: 3, card: '0' }),
      member('e', { frequency: 1, card: '1' }),
      member('f', { frequency: 2, card: null }),
    ];
    // Ranks: e c a | b f | d → edges 1, 2, 3, 4, 5, 6.
    expect(scoreRfm(inputs, quintile).map((r) => `${r.memberId}${r.fScore}`)).toEqual([
      'a2',
      'b3',
      'c1',
      'd5',
      'e1',
      'f4',
    ]);
  });

  it('ranks amounts of any size', () => {
    const amounts = [0, 2 ** 52, 1, 2 ** 40, 7];
    const results = scoreRfm(
      amounts.map((monetaryTotal, i) => member(`m${i}`, { monetaryTotal })),
      quintile,
    );
    expect(results.map((r) => r.mScore)).toEqual([1, 5, 2, 4, 3]);
  });
});

describe('RFM measures', () => {
  it('counts recency in whole elapsed days, rounded down across a day boundary', () => {
    const asOf = '2024-03-02T01:00:00Z';
    const cases: [string, number][] = [
      ['2024-03-01T23:00:00Z', 0],
      ['2024-03-01T01:00:00.001Z', 0],
      ['2024-03-01T01:00:00Z', 1],
      ['2024-02-29T01:00:00.001Z', 1],
      ['2024-02-29T01:00:00.000Z', 2],
      // Any ISO 8601 offset: 09:00 in Shanghai is 01:00 UTC.
      ['2024-03-01T09:00:00+08:00', 1],
      ['2023-03-02T01:00:00Z', 366],
      ['2024-03-02T01:00:00Z', 0],
    ];
    for (const [lastPurchaseAt, days] of cases) {
      expect(
        scoreRfm([member('m', { lastPurchaseAt })], { ...quintile, asOf })[0]!.recency,
        lastPurchaseAt,
      ).toBe(days);
    }
  });

  it('reads any ISO instant as Date.parse does (property)', () => {
    const instant = fc.date({
      min: new Date('0100-01-01T00:00:00Z'),
      max: new Date(AS_OF),
      noInvalidDate: true,
    });
    fc.assert(
      fc.property(instant, instant, fc.boolean(), (a, b, wholeSeconds) => {
        const [last, asOf] = a <= b ? [a, b] : [b, a];
        const text = (d: Date) =>
          wholeSeconds ? d.toISOString().replace(/\.\d{3}Z$/, 'Z') : d.toISOString();
        const expected = Math.floor((Date.parse(text(asOf)) - Date.parse(text(last))) / DAY_MS);
        const [result] = scoreRfm([member('m', { lastPurchaseAt: text(last) })], {
          ...quintile,
          asOf: text(asOf),
        });
        expect(result!.recency).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('averages the amount per order, rounded to the nearest minor unit, halves up', () => {
    const results = scoreRfm(
      [
        member('a', { frequency: 3, monetaryTotal: 1000 }),
        member('b', { frequency: 2, monetaryTotal: 1001 }),
        member('c', { frequency: 3, monetaryTotal: 2000 }),
        member('d', { frequency: 0, monetaryTotal: 0 }),
      ],
      { ...quintile, monetary: 'average' },
    );
    expect(results.map((r) => [r.memberId, r.monetary, r.mScore])).toEqual([
      ['a', 333, 2],
      ['b', 501, 4],
      ['c', 667, 5],
      ['d', 0, 1],
    ]);
  });

  it('refuses inputs that cannot be scored', () => {
    const refused: [RfmInput, Partial<RfmOptions>][] = [
      [member('m', { lastPurchaseAt: '2026-01-02T00:00:00Z' }), {}],
      [member('m', { lastPurchaseAt: 'yesterday' }), {}],
      [member('m', { frequency: 1.5 }), {}],
      [member('m', { frequency: -1 }), {}],
      [member('m', { monetaryTotal: 12.5 }), {}],
      [member('m'), { asOf: 'soon' }],
      [member('m'), { threshold: 'mean' }],
    ];
    for (const [input, options] of refused) {
      expect(() => scoreRfm([input], { ...quintile, ...options }), JSON.stringify(input)).toThrow(RangeError);
    }
  });
});

describe('eight classes', () => {
  const population = [
    member('a', { lastPurchaseAt: daysBefore(10), frequency: 5, monetaryTotal: 50_000 }),
    member('b', { lastPurchaseAt: daysBefore(100), frequency: 1, monetaryTotal: 1_000 }),
    member('c', { lastPurchaseAt: daysBefore(20), frequency: 1, monetaryTotal: 90_000 }),
    member('d', { lastPurchaseAt: daysBefore(200), frequency: 6, monetaryTotal: 2_000 }),
  ];

  it('splits at the mean by default: recent below it, high F and M above it', () => {
    // Means: recency 82.5 days, frequency 3.25, monetary 35,750.
    expect(
      scoreRfm(population, eight).map((r) => [r.memberId, r.rScore, r.fScore, r.mScore, r.segment]),
    ).toEqual([
      ['a', 2, 2, 2, 'important_value'],
      ['b', 1, 1, 1, 'general_recovery'],
      ['c', 2, 1, 2, 'important_development'],
      ['d', 1, 2, 1, 'general_retention'],
    ]);
  });

  it('names all eight classes', () => {
    const classes: [days: number, frequency: number, amount: number][] = [
      [1, 9, 9],
      [1, 1, 9],
      [99, 9, 9],
      [99, 1, 9],
      [1, 9, 1],
      [1, 1, 1],
      [99, 9, 1],
      [99, 1, 1],
    ];
    const results = scoreRfm(
      classes.map(([days, frequency, monetaryTotal], i) =>
        member(`m${i}`, { lastPurchaseAt: daysBefore(days), frequency, monetaryTotal }),
      ),
      { ...eight, threshold: { r: 50, f: 5, m: 5 } },
    );
    expect(results.map((r) => r.segment)).toEqual([...EIGHT_CLASS_SEGMENTS]);
  });

  it('splits at the median, a value on the threshold being neither recent nor high', () => {
    const skewed = [1, 2, 30].map((days, i) =>
      member(`m${i}`, { lastPurchaseAt: daysBefore(days), frequency: [1, 2, 30][i]!, monetaryTotal: days }),
    );
    const scores = (threshold: RfmOptions['threshold']) =>
      scoreRfm(skewed, { ...eight, threshold }).map((r) => `${r.rScore}${r.fScore}${r.mScore}`);
    // Mean 11: two are recent, one is high. Median 2: only the first is recent, only the last is high.
    expect(scores('mean')).toEqual(['211', '211', '122']);
    expect(scores('median')).toEqual(['211', '111', '122']);
    // An even count takes the mean of the two middle values: recency median of 1, 2, 30, 40 is 16.
    const four = [...skewed, member('m3', { lastPurchaseAt: daysBefore(40) })];
    expect(scoreRfm(four, { ...eight, threshold: 'median' }).map((r) => r.rScore)).toEqual([2, 2, 1, 1]);
  });

  it('splits at fixed values', () => {
    const results = scoreRfm(population, { ...eight, threshold: { r: 15, f: 1, m: 1_000 } });
    expect(results.map((r) => r.segment)).toEqual([
      'important_value',
      'general_recovery',
      'important_recovery',
      'important_retention',
    ]);
  });

  it('scores nobody in an empty population', () => {
    expect(scoreRfm([], eight)).toEqual([]);
  });
});

describe('segment sizes', () => {
  it('lists every segment of the scheme in its order, with members and monetary', () => {
    const sizes = segmentSizes([
      { segment: 'lost', monetary: 5 },
      { segment: 'champions', monetary: 100 },
      { segment: 'lost', monetary: 7 },
    ]);
    expect(sizes.map((s) => s.segment)).toEqual([...RFM_SEGMENTS]);
    expect(sizes[0]).toEqual({ segment: 'champions', members: 1, monetary: 100 });
    expect(sizes.at(-1)).toEqual({ segment: 'lost', members: 2, monetary: 12 });
    expect(sizes.reduce((sum, s) => sum + s.members, 0)).toBe(3);

    const eightSizes = segmentSizes(scoreRfm([member('a')], eight));
    expect(eightSizes.map((s) => s.segment)).toEqual([...EIGHT_CLASS_SEGMENTS]);
    expect(segmentSizes([], 'eight_class')).toHaveLength(8);
    expect(segmentSizes([])).toHaveLength(11);
    expect(() => segmentSizes([{ segment: 'lost', monetary: 1 }], 'eight_class')).toThrow(RangeError);
  });
});

describe('quintile properties', () => {
  /** The definition read straight from DOMAIN.md, with a comparator sort: the reference the fast path must meet. */
  function reference(inputs: RfmInput[], value: (i: RfmInput) => number): Map<string, number> {
    const kind = (card: string | null) => (card === null ? 2 : /^\d+$/.test(card) ? 0 : 1);
    const digits = (card: string) => card.replace(/^0+/, '');
    const sorted = [...inputs].sort((a, b) => {
      const byValue = value(a) - value(b);
      if (byValue !== 0) return byValue;
      const byKind = kind(a.card) - kind(b.card);
      if (byKind !== 0) return byKind;
      if (kind(a.card) === 0) {
        const x = BigInt(digits(a.card!) || '0');
        const y = BigInt(digits(b.card!) || '0');
        if (x !== y) return x < y ? -1 : 1;
      } else if (kind(a.card) === 1 && a.card !== b.card) return a.card! < b.card! ? -1 : 1;
      return a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0;
    });
    const n = sorted.length;
    return new Map(sorted.map((m, i) => [m.memberId, i === 0 ? 1 : Math.ceil((5 * i) / (n - 1))]));
  }

  const card = fc.oneof(
    fc.constant(null),
    fc.integer({ min: 0, max: 30 }).map(String),
    fc.integer({ min: 0, max: 30 }).map((v) => `0${v}`),
    fc.bigInt({ min: 10n ** 15n, max: 10n ** 17n }).map(String),
    fc.constantFrom('A1', 'A10', 'B', '1A', 'vip-7'),
  );
  const population = fc
    .array(
      fc.record({
        days: fc.integer({ min: 0, max: 40 }),
        frequency: fc.integer({ min: 0, max: 12 }),
        monetaryTotal: fc.integer({ min: 0, max: 1_000 }),
        card,
      }),
      { minLength: 1, maxLength: 80 },
    )
    .map((rows) =>
      rows.map((row, i) =>
        member(`mem_${(i * 37) % 101}_${i}`, {
          card: row.card,
          lastPurchaseAt: daysBefore(row.days),
          frequency: row.frequency,
          monetaryTotal: row.monetaryTotal,
        }),
      ),
    );

  it('equals the definition, including every tie-break', () => {
    fc.assert(
      fc.property(population, (inputs) => {
        const results = scoreRfm(inputs, quintile);
        const r = reference(inputs, (m) => Date.parse(AS_OF) - Date.parse(m.lastPurchaseAt));
        const f = reference(inputs, (m) => m.frequency);
        const m = reference(inputs, (m) => m.monetaryTotal);
        for (const result of results) {
          expect(result.rScore).toBe(6 - r.get(result.memberId)!);
          expect(result.fScore).toBe(f.get(result.memberId));
          expect(result.mScore).toBe(m.get(result.memberId));
          expect(result.segment).toBe(quintileSegment(result.rScore, result.fScore, result.mScore));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('fills the quintiles evenly (counts differ by at most one) and is monotone in the value', () => {
    fc.assert(
      fc.property(population, (inputs) => {
        const results = scoreRfm(inputs, quintile);
        for (const score of ['rScore', 'fScore', 'mScore'] as const) {
          const counts = [1, 2, 3, 4, 5].map((k) => results.filter((r) => r[score] === k).length);
          expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
        }
        for (const a of results) {
          for (const b of results) {
            if (a.frequency < b.frequency) expect(a.fScore).toBeLessThanOrEqual(b.fScore);
            if (a.monetary < b.monetary) expect(a.mScore).toBeLessThanOrEqual(b.mScore);
            if (a.recency < b.recency) expect(a.rScore).toBeGreaterThanOrEqual(b.rScore);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
