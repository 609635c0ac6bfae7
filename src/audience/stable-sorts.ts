/*
 * Stable sorts of member index arrays for scoring a whole membership: radix sorts, because a comparator sort of a
 * million members calls back into JavaScript some twenty million times, and ties must keep the order they come
 * in (that order is the tie-break). Pure; they only permute the index arrays they are given.
 */

const DIGIT_BITS = 16;
const DIGIT_RADIX = 2 ** DIGIT_BITS;

/**
 * `order` (indices into `values`) stably sorted by value ascending, as a new array. Values must be integers
 * whose spread (max − min) is a safe integer: a least-significant-digit radix sort on 16-bit digits, one pass
 * for a spread below 65,536 (days, order counts), two for amounts up to 4.3 billion minor units.
 */
export function sortByInteger(order: Uint32Array, values: Float64Array): Uint32Array {
  const n = order.length;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let p = 0; p < n; p++) {
    const v = values[order[p]!]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  let src = Uint32Array.from(order);
  if (n < 2 || max === min) return src;
  if (!Number.isSafeInteger(max - min)) throw new RangeError('values to rank spread beyond safe integers');
  let dst = new Uint32Array(n);
  const digits = new Uint16Array(n);
  const start = new Uint32Array(DIGIT_RADIX);
  // Division by a power of two is exact on doubles, so each digit is exact up to 2^53.
  for (let scale = 1; scale <= max - min; scale *= DIGIT_RADIX) {
    start.fill(0);
    for (let p = 0; p < n; p++) {
      const d = Math.floor((values[src[p]!]! - min) / scale) % DIGIT_RADIX;
      digits[p] = d;
      start[d]!++;
    }
    let sum = 0;
    for (let d = 0; d < DIGIT_RADIX; d++) {
      const count = start[d]!;
      start[d] = sum;
      sum += count;
    }
    for (let p = 0; p < n; p++) dst[start[digits[p]!]!++] = src[p]!;
    [src, dst] = [dst, src];
  }
  return src;
}

/** Ranges at most this long are finished by a comparator sort, which beats clearing radix buckets. */
const SMALL_RANGE = 256;
/** Three UTF-16 code units per step, each + 1 so that 0 marks "past the end" and shorter strings sort first. */
const UNITS_PER_CHUNK = 3;
const UNIT_SPAN = 2 ** 17;

/**
 * Sorts `order` (indices into `texts`) in place by text, in UTF-16 code unit order (as `<` compares strings and
 * PostgreSQL's "C" collation does), stably. Most-significant-chunk first: each step buckets a range on its next
 * three code units, so ids sharing a long prefix (`mem_01H…`) cost a pass per shared chunk, not a comparison of
 * the prefix per pair.
 */
export function sortByText(order: Uint32Array, texts: readonly string[]): void {
  const n = order.length;
  const keys = new Float64Array(n);
  const scratch = new Uint32Array(n);
  const scratchKeys = new Float64Array(n);
  const pending: [lo: number, hi: number, depth: number][] = [[0, n, 0]];
  while (pending.length > 0) {
    const [lo, hi, depth] = pending.pop()!;
    if (hi - lo < 2) continue;
    if (hi - lo <= SMALL_RANGE) {
      const slice = Array.from(order.subarray(lo, hi));
      slice.sort((a, b) => compareText(texts[a]!, texts[b]!));
      order.set(slice, lo);
      continue;
    }
    let allEqual = true;
    for (let p = lo; p < hi; p++) {
      keys[p] = chunkKey(texts[order[p]!]!, depth);
      if (keys[p] !== keys[lo]) allEqual = false;
    }
    if (allEqual) {
      // The whole range shares this chunk: done if every text ended inside it, else look further.
      if (!endsWithin(keys[lo]!)) pending.push([lo, hi, depth + UNITS_PER_CHUNK]);
      continue;
    }
    radixByKey(order, keys, lo, hi, scratch, scratchKeys);
    let runStart = lo;
    for (let p = lo + 1; p <= hi; p++) {
      if (p === hi || keys[p] !== keys[runStart]) {
        if (p - runStart > 1 && !endsWithin(keys[runStart]!)) {
          pending.push([runStart, p, depth + UNITS_PER_CHUNK]);
        }
        runStart = p;
      }
    }
  }
}

function chunkKey(text: string, depth: number): number {
  let key = 0;
  for (let u = 0; u < UNITS_PER_CHUNK; u++) {
    const at = depth + u;
    key = key * UNIT_SPAN + (at < text.length ? text.charCodeAt(at) + 1 : 0);
  }
  return key;
}

/** Whether a chunk's last unit is past the end of its text (then the texts are equal and sorting is done). */
function endsWithin(key: number): boolean {
  return key % UNIT_SPAN === 0;
}

/** LSD radix sort of `order[lo..hi)` with its `keys` (non-negative integers below 2^51), stably. */
function radixByKey(
  order: Uint32Array,
  keys: Float64Array,
  lo: number,
  hi: number,
  scratch: Uint32Array,
  scratchKeys: Float64Array,
): void {
  const start = new Uint32Array(DIGIT_RADIX);
  let max = 0;
  for (let p = lo; p < hi; p++) if (keys[p]! > max) max = keys[p]!;
  let src = order;
  let srcKeys = keys;
  let dst = scratch;
  let dstKeys = scratchKeys;
  for (let scale = 1; scale <= max; scale *= DIGIT_RADIX) {
    start.fill(0);
    for (let p = lo; p < hi; p++) start[Math.floor(srcKeys[p]! / scale) % DIGIT_RADIX]!++;
    let sum = lo;
    for (let d = 0; d < DIGIT_RADIX; d++) {
      const count = start[d]!;
      start[d] = sum;
      sum += count;
    }
    for (let p = lo; p < hi; p++) {
      const at = start[Math.floor(srcKeys[p]! / scale) % DIGIT_RADIX]!++;
      dst[at] = src[p]!;
      dstKeys[at] = srcKeys[p]!;
    }
    [src, dst] = [dst, src];
    [srcKeys, dstKeys] = [dstKeys, srcKeys];
  }
  if (src !== order) {
    order.set(src.subarray(lo, hi), lo);
    keys.set(srcKeys.subarray(lo, hi), lo);
  }
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
