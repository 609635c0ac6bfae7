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
 * for a spread below 65,536 (days, order counts), two up to 2^32 (amounts up to 4.3 billion minor units), up to
 * four beyond.
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
  const start = new Uint32Array(DIGIT_RADIX);
  if (max - min <= 0xffff_ffff) {
    // The usual case (days, order counts, amounts up to 42.9 million in major units): 32-bit keys, read once in
    // sorted order and carried along, so no pass reads the values column at random.
    let keys = new Uint32Array(n);
    let dstKeys = new Uint32Array(n);
    for (let p = 0; p < n; p++) keys[p] = values[src[p]!]! - min;
    for (let shift = 0; shift < 32 && (max - min) / 2 ** shift >= 1; shift += DIGIT_BITS) {
      start.fill(0);
      for (let p = 0; p < n; p++) start[(keys[p]! >>> shift) & 0xffff]!++;
      let sum = 0;
      for (let d = 0; d < DIGIT_RADIX; d++) {
        const count = start[d]!;
        start[d] = sum;
        sum += count;
      }
      for (let p = 0; p < n; p++) {
        const key = keys[p]!;
        const at = start[(key >>> shift) & 0xffff]!++;
        dst[at] = src[p]!;
        dstKeys[at] = key;
      }
      [src, dst] = [dst, src];
      [keys, dstKeys] = [dstKeys, keys];
    }
    return src;
  }
  const digits = new Uint16Array(n);
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

/** Ranges at most this long are finished by a comparator sort, which beats counting buckets. */
const SMALL_RANGE = 48;

/**
 * Sorts `order` (indices into `texts`) in place by text, in UTF-16 code unit order (as `<` compares strings and
 * PostgreSQL's "C" collation does), stably. Most-significant code unit first: each step buckets a range on its
 * next code unit, with as many buckets as the range's units span (a few dozen for ids), so ids sharing a long
 * prefix (`mem_01H…`) cost one cheap pass per shared unit, not a comparison of the prefix per pair.
 */
export function sortByText(order: Uint32Array, texts: readonly string[]): void {
  const n = order.length;
  const units = new Int32Array(n);
  const scratch = new Uint32Array(n);
  const pending: [lo: number, hi: number, depth: number][] = [[0, n, 0]];
  while (pending.length > 0) {
    const [lo, hi, depth] = pending.pop()!;
    if (hi - lo < 2) continue;
    if (hi - lo <= SMALL_RANGE) {
      sortRangeByComparator(order, texts, lo, hi);
      continue;
    }
    if (hi - lo >= WIDE_RANGE) {
      const from = depth + sharedPrefix(order, texts, lo, hi, depth);
      if (sortRangeByChunk(order, texts, lo, hi, from, pending)) continue;
    }
    // The unit at `depth`, −1 past the end (shorter texts first).
    let min = Number.POSITIVE_INFINITY;
    let max = -1;
    for (let p = lo; p < hi; p++) {
      const text = texts[order[p]!]!;
      const unit = depth < text.length ? text.charCodeAt(depth) : -1;
      units[p] = unit;
      if (unit < min) min = unit;
      if (unit > max) max = unit;
    }
    if (min === max) {
      // The whole range shares this unit: done if every text ended, else skip the rest of the prefix they share
      // (`mem_01…`) in one pass and look at the unit after it.
      if (min >= 0) pending.push([lo, hi, depth + 1 + sharedPrefix(order, texts, lo, hi, depth + 1)]);
      continue;
    }
    const buckets = max - min + 1;
    if (buckets > 4 * (hi - lo) + 256) {
      // Units spread over a wide alphabet (CJK, emoji): more buckets than members would cost more than comparing.
      sortRangeByComparator(order, texts, lo, hi);
      continue;
    }
    const end = new Uint32Array(buckets + 1);
    for (let p = lo; p < hi; p++) end[units[p]! - min + 1]!++;
    for (let b = 1; b <= buckets; b++) end[b]! += end[b - 1]!;
    for (let p = lo; p < hi; p++) scratch[lo + end[units[p]! - min]!++] = order[p]!;
    order.set(scratch.subarray(lo, hi), lo);
    // After the scatter, end[b] is where bucket b ends.
    let from = 0;
    for (let b = 0; b < buckets; b++) {
      const to = end[b]!;
      if (to - from > 1 && b + min >= 0) pending.push([lo + from, lo + to, depth + 1]);
      from = to;
    }
  }
}

/** Ranges at least this long sort on seven code units at once (`sortRangeByChunk`). */
const WIDE_RANGE = 1 << 15;
const CHUNK_UNITS = 7;
/** ASCII units + 1, 0 past the end: seven of them in base 129 stay below 2^53. */
const CHUNK_BASE = 129;

/**
 * Sorts a large range on its next seven code units at once, when they are ASCII (ids, card numbers): each text's
 * chunk becomes one number (base 129, 0 past the end) and the range a radix sort of numbers on sequential arrays,
 * which costs one read of each text instead of one per unit. Pushes the runs that share a chunk for the next
 * one; returns false, having changed nothing, when a unit is not ASCII.
 */
function sortRangeByChunk(
  order: Uint32Array,
  texts: readonly string[],
  lo: number,
  hi: number,
  depth: number,
  pending: [lo: number, hi: number, depth: number][],
): boolean {
  const size = hi - lo;
  const keys = new Float64Array(size);
  const members = order.slice(lo, hi);
  for (let p = 0; p < size; p++) {
    const text = texts[members[p]!]!;
    let key = 0;
    for (let u = depth; u < depth + CHUNK_UNITS; u++) {
      const unit = u < text.length ? text.charCodeAt(u) + 1 : 0;
      if (unit >= CHUNK_BASE) return false;
      key = key * CHUNK_BASE + unit;
    }
    keys[p] = key;
  }
  const sorted = sortByInteger(
    Uint32Array.from({ length: size }, (_, p) => p),
    keys,
  );
  for (let p = 0; p < size; p++) order[lo + p] = members[sorted[p]!]!;
  let runStart = 0;
  for (let p = 1; p <= size; p++) {
    if (p === size || keys[sorted[p]!] !== keys[sorted[runStart]!]) {
      // A chunk ending in "past the end" means the texts of the run are equal: nothing left to sort.
      if (p - runStart > 1 && keys[sorted[runStart]!]! % CHUNK_BASE !== 0) {
        pending.push([lo + runStart, lo + p, depth + CHUNK_UNITS]);
      }
      runStart = p;
    }
  }
  return true;
}

/** How many code units from `depth` on every text of `order[lo..hi)` shares with the first. */
function sharedPrefix(
  order: Uint32Array,
  texts: readonly string[],
  lo: number,
  hi: number,
  depth: number,
): number {
  const first = texts[order[lo]!]!;
  let shared = first.length - depth;
  for (let p = lo + 1; p < hi && shared > 0; p++) {
    const text = texts[order[p]!]!;
    const limit = Math.min(shared, text.length - depth);
    let j = 0;
    while (j < limit && text.charCodeAt(depth + j) === first.charCodeAt(depth + j)) j++;
    shared = j;
  }
  return Math.max(shared, 0);
}

function sortRangeByComparator(order: Uint32Array, texts: readonly string[], lo: number, hi: number): void {
  const slice = Array.from(order.subarray(lo, hi));
  slice.sort((a, b) => compareText(texts[a]!, texts[b]!));
  order.set(slice, lo);
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
