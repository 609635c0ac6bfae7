import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareText, sortByInteger, sortByText } from './stable-sorts.js';

const indices = (n: number) => Uint32Array.from({ length: n }, (_, i) => i);

describe('stable sorts', () => {
  it('sorts texts in code unit order, equal texts keeping their order, past the radix threshold (property)', () => {
    // Few letters and shared prefixes, so ranges are large, chunks repeat and texts end inside a chunk.
    const text = fc
      .array(fc.constantFrom('a', 'b', 'Z', '0', '_', 'é', '\u{1F600}'), { maxLength: 9 })
      .map((parts) => `mem_01${parts.join('')}`);
    fc.assert(
      fc.property(fc.array(text, { minLength: 100, maxLength: 2_000 }), (texts) => {
        const order = indices(texts.length);
        sortByText(order, texts);
        const expected = [...indices(texts.length)].sort(
          (a, b) => compareText(texts[a]!, texts[b]!) || a - b,
        );
        expect([...order]).toEqual(expected);
      }),
      { numRuns: 40 },
    );
  });

  it('sorts a large range seven units at a time, and falls back beyond ASCII', () => {
    let seed = 11;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed;
    };
    const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
    const id = () => `mem_01${Array.from({ length: next() % 12 }, () => alphabet[next() % 8]).join('')}`;
    for (const extra of ['', 'é']) {
      const texts = Array.from({ length: 40_000 }, (_, i) => (i % 1000 === 0 ? `${id()}${extra}` : id()));
      const order = indices(texts.length);
      sortByText(order, texts);
      const expected = [...indices(texts.length)].sort((a, b) => compareText(texts[a]!, texts[b]!) || a - b);
      expect([...order]).toEqual(expected);
    }
  });

  it('sorts integers of any safe spread, equal values keeping their order (property)', () => {
    const value = fc.oneof(
      fc.integer({ min: 0, max: 20 }),
      fc.integer({ min: -1_000_000, max: 1_000_000 }),
      fc.maxSafeInteger(),
    );
    fc.assert(
      fc.property(fc.array(value, { maxLength: 600, size: 'max' }), (values) => {
        const spread = values.length === 0 ? 0 : Math.max(...values) - Math.min(...values);
        fc.pre(Number.isSafeInteger(spread));
        const order = indices(values.length).reverse();
        const sorted = sortByInteger(order, Float64Array.from(values));
        const expected = [...order].sort((a, b) => values[a]! - values[b]! || b - a);
        expect([...sorted]).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });
});
