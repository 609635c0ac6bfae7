import { sortByInteger, sortByText } from './stable-sorts.js';

/*
 * RFM scoring of members: how recently, how often and how much each one bought, scored against the rest of the
 * population and named as a segment. Two schemes, both defined in DOMAIN.md "RFM": quintiles (scores 1–5 and 11
 * named segments, as published analyses compute them with pandas) and the eight classes Chinese CRMs use (each
 * dimension high or low against a threshold). No I/O: a service reads the members' traits, calls `scoreRfm`, and
 * writes the scores.
 *
 * It scores a brand's whole membership at once (a million members is the design size), so it works on typed
 * columns and ranks with stable radix sorts (stable-sorts.ts): the tie-break order once, then each dimension in
 * one or two passes.
 */

// ---------------------------------------------------------------------------------------------------------------
// Segments

/** The quintile scheme's segments, in DOMAIN.md's order (the order reports list them in). */
export const RFM_SEGMENTS = [
  'champions',
  'loyal',
  'potential_loyalist',
  'new_customers',
  'promising',
  'need_attention',
  'about_to_sleep',
  'at_risk',
  'cannot_lose_them',
  'hibernating',
  'lost',
] as const;
export type RfmSegment = (typeof RFM_SEGMENTS)[number];

/** The eight classes: 重要/一般 (M high or low) × 价值/发展/保持/挽留 (R and F). */
export const EIGHT_CLASS_SEGMENTS = [
  'important_value',
  'important_development',
  'important_retention',
  'important_recovery',
  'general_value',
  'general_development',
  'general_retention',
  'general_recovery',
] as const;
export type EightClassSegment = (typeof EIGHT_CLASS_SEGMENTS)[number];

export type RfmSegmentCode = RfmSegment | EightClassSegment;

/** DOMAIN.md's table: the three-digit codes `rScore fScore mScore` of each quintile segment. */
// biome-ignore format: laid out like DOMAIN.md's table, so the two compare line by line
export const RFM_SEGMENT_CODES: { readonly [S in RfmSegment]: readonly string[] } = {
  champions: ['555', '554', '544', '545', '454', '455', '445'],
  loyal: ['543', '444', '435', '355', '354', '345', '344', '335'],
  potential_loyalist: [
    '553', '551', '552', '541', '542', '533', '532', '531', '452', '451', '442', '441',
    '431', '453', '433', '432', '423', '353', '352', '351', '342', '341', '333', '323',
  ],
  new_customers: ['512', '511', '422', '421', '412', '411', '311'],
  promising: [
    '525', '524', '523', '522', '521', '515', '514', '513',
    '425', '424', '413', '414', '415', '315', '314', '313',
  ],
  need_attention: ['535', '534', '443', '434', '343', '334', '325', '324'],
  about_to_sleep: ['331', '321', '312', '221', '213', '231', '241', '251'],
  at_risk: [
    '255', '254', '245', '244', '253', '252', '243', '242', '235', '234', '225',
    '224', '153', '152', '145', '143', '142', '135', '134', '133', '125', '124',
  ],
  cannot_lose_them: ['155', '154', '144', '214', '215', '115', '114', '113'],
  hibernating: ['332', '322', '233', '232', '223', '222', '132', '123', '122', '212', '211'],
  lost: ['111', '112', '121', '131', '141', '151'],
};

/** Index `25·(r−1) + 5·(f−1) + (m−1)` → segment, built from the table, which must cover the 125 codes once each. */
const SEGMENT_BY_CODE: readonly RfmSegment[] = (() => {
  const byCode: (RfmSegment | undefined)[] = new Array(125).fill(undefined);
  for (const segment of RFM_SEGMENTS) {
    for (const code of RFM_SEGMENT_CODES[segment]) {
      const [r, f, m] = [...code].map(Number) as [number, number, number];
      const index = 25 * (r - 1) + 5 * (f - 1) + (m - 1);
      // A gap or an overlap in the table is a bug in this file, not in the data: fail on import.
      if (byCode[index] !== undefined) throw new Error(`RFM code ${code} is in two segments`);
      byCode[index] = segment;
    }
  }
  const missing = byCode.indexOf(undefined);
  if (missing >= 0) throw new Error(`RFM code index ${missing} has no segment`);
  return byCode as RfmSegment[];
})();

/** The quintile segment of a code, e.g. `quintileSegment(5, 5, 5)` is `champions`. */
export function quintileSegment(rScore: number, fScore: number, mScore: number): RfmSegment {
  const segment = SEGMENT_BY_CODE[25 * (rScore - 1) + 5 * (fScore - 1) + (mScore - 1)];
  if (segment === undefined) throw new RangeError(`no RFM code ${rScore}${fScore}${mScore}`);
  return segment;
}

// ---------------------------------------------------------------------------------------------------------------
// Inputs, options, results

/** One member's purchase traits over the analysis window. */
export interface RfmInput {
  memberId: string;
  /** The member card number, the first tie-break; `null` when the member has none. */
  card: string | null;
  /** ISO 8601 instant with its offset (`…Z`): a time without one would be read in the server's zone. */
  lastPurchaseAt: string;
  /** Distinct purchase orders in the window. */
  frequency: number;
  /** Integer minor units: the sum of those orders' amounts, returns not subtracted. */
  monetaryTotal: number;
}

export type RfmScheme = 'quintile' | 'eight_class';

/**
 * Eight classes only: the population's mean (default) or median of each measure as scored (whole days, order
 * counts, minor units — the rounded average with `monetary: 'average'`; the median of an even count is the mean
 * of its two middle values), or fixed values in those units.
 */
export type RfmThreshold = 'mean' | 'median' | { r: number; f: number; m: number };

export interface RfmOptions {
  scheme: RfmScheme;
  /** ISO 8601 instant recency is measured to (usually the day after the window ends). */
  asOf: string;
  /** `total` ranks the sum of the amounts; `average` the sum over frequency. */
  monetary: 'total' | 'average';
  threshold?: RfmThreshold;
}

/**
 * One member's scores. Quintile scores are 1–5 (5 = most recent, most frequent, highest spend). Eight-class
 * scores are 1 or 2 so that higher still means better: 2 = recent (recency below the threshold) or high (value
 * above it), 1 = not.
 */
export interface RfmScore<S extends RfmSegmentCode = RfmSegmentCode> {
  memberId: string;
  /** Whole days from the last purchase to `asOf`, rounded down (elapsed 24-hour periods). */
  recency: number;
  frequency: number;
  /** Minor units: the total, or the average per order rounded to the nearest unit (halves up). */
  monetary: number;
  rScore: number;
  fScore: number;
  mScore: number;
  segment: S;
}

const DAY_MS = 86_400_000;

// ---------------------------------------------------------------------------------------------------------------
// Scoring

/**
 * Scores every member against the population given, returning one result per input in input order. Throws a
 * `RangeError` for an unreadable date, a purchase after `asOf`, or a frequency or amount that is not a
 * non-negative integer.
 */
export function scoreRfm(
  inputs: readonly RfmInput[],
  options: RfmOptions & { scheme: 'quintile' },
): RfmScore<RfmSegment>[];
export function scoreRfm(
  inputs: readonly RfmInput[],
  options: RfmOptions & { scheme: 'eight_class' },
): RfmScore<EightClassSegment>[];
export function scoreRfm(inputs: readonly RfmInput[], options: RfmOptions): RfmScore[];
export function scoreRfm(inputs: readonly RfmInput[], options: RfmOptions): RfmScore[] {
  if (options.scheme === 'quintile' && options.threshold !== undefined) {
    throw new RangeError('a threshold applies to the eight-class scheme only');
  }
  const asOfMs = parseInstant(options.asOf);
  if (Number.isNaN(asOfMs)) throw new RangeError(`asOf is not a date: ${options.asOf}`);
  const { recency, frequency, monetary } = measure(inputs, asOfMs, options.monetary);
  const n = inputs.length;
  if (n === 0) return [];

  let rScores: Uint8Array;
  let fScores: Uint8Array;
  let mScores: Uint8Array;
  let segmentOf: (r: number, f: number, m: number) => RfmSegmentCode;
  if (options.scheme === 'quintile') {
    const order = tieOrder(inputs);
    // Recency ranks ascending like the others, so rank 1 is the most recent (fewest days); 6 − score then gives
    // the most recent 5. Equal recency falls back on the card and member id, as DOMAIN.md says for every value.
    rScores = quintileScores(recency, order);
    for (let i = 0; i < n; i++) rScores[i] = 6 - rScores[i]!;
    fScores = quintileScores(frequency, order);
    mScores = quintileScores(monetary, order);
    segmentOf = (r, f, m) => SEGMENT_BY_CODE[25 * (r - 1) + 5 * (f - 1) + (m - 1)]!;
  } else if (options.scheme === 'eight_class') {
    const threshold = options.threshold ?? 'mean';
    const [rLine, fLine, mLine] =
      typeof threshold === 'object'
        ? [threshold.r, threshold.f, threshold.m]
        : [recency, frequency, monetary].map(threshold === 'mean' ? mean : median);
    rScores = classScores(recency, (v) => v < rLine!);
    fScores = classScores(frequency, (v) => v > fLine!);
    mScores = classScores(monetary, (v) => v > mLine!);
    segmentOf = (r, f, m) => EIGHT_CLASS_BY_INDEX[4 * (2 - m) + 2 * (2 - r) + (2 - f)]!;
  } else {
    throw new RangeError(`unknown RFM scheme ${String(options.scheme)}`);
  }

  const results: RfmScore[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const r = rScores[i]!;
    const f = fScores[i]!;
    const m = mScores[i]!;
    results[i] = {
      memberId: inputs[i]!.memberId,
      recency: recency[i]!,
      frequency: frequency[i]!,
      monetary: monetary[i]!,
      rScore: r,
      fScore: f,
      mScore: m,
      segment: segmentOf(r, f, m),
    };
  }
  return results;
}

/** The three measures as columns, validated. */
function measure(
  inputs: readonly RfmInput[],
  asOfMs: number,
  basis: RfmOptions['monetary'],
): { recency: Float64Array; frequency: Float64Array; monetary: Float64Array } {
  if (basis !== 'total' && basis !== 'average')
    throw new RangeError(`unknown monetary basis ${String(basis)}`);
  const n = inputs.length;
  const recency = new Float64Array(n);
  const frequency = new Float64Array(n);
  const monetary = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const input = inputs[i]!;
    const lastMs = parseInstant(input.lastPurchaseAt);
    if (Number.isNaN(lastMs)) {
      throw new RangeError(`member ${input.memberId}: lastPurchaseAt is not a date: ${input.lastPurchaseAt}`);
    }
    // A purchase after asOf means the window and asOf disagree; a negative recency would hide that.
    if (lastMs > asOfMs) throw new RangeError(`member ${input.memberId}: last purchase is after asOf`);
    if (!Number.isSafeInteger(input.frequency) || input.frequency < 0) {
      throw new RangeError(`member ${input.memberId}: frequency must be a non-negative integer`);
    }
    if (!Number.isSafeInteger(input.monetaryTotal) || input.monetaryTotal < 0) {
      throw new RangeError(
        `member ${input.memberId}: monetaryTotal must be non-negative integer minor units`,
      );
    }
    recency[i] = Math.floor((asOfMs - lastMs) / DAY_MS);
    frequency[i] = input.frequency;
    // The average is rounded to a whole minor unit (halves up, as SQL's round() does on these non-negative
    // amounts) and ranked as rounded, so the figure shown is the figure ranked. No orders, no average: 0.
    monetary[i] =
      basis === 'total'
        ? input.monetaryTotal
        : input.frequency === 0
          ? 0
          : Math.round(input.monetaryTotal / input.frequency);
  }
  return { recency, frequency, monetary };
}

// ---------------------------------------------------------------------------------------------------------------
// Quintiles

/**
 * The quintile (1–5) of each member's value. Members are ranked 1…n ascending by value, ties by their place in
 * `tieMembers` (card, then member id); rank r scores the k with e_(k−1) < r ≤ e_k where e_k = 1 + (n − 1)·k/5,
 * i.e. the least k with 5·(r − 1) ≤ k·(n − 1): whole numbers only, so a rank exactly on an edge never slips to
 * the next quintile through a rounding error. Rank 1 scores 1 (k = 0 would be 0), which covers n = 1.
 */
function quintileScores(values: Float64Array, tieMembers: Uint32Array): Uint8Array {
  const n = values.length;
  const ranked = sortByInteger(tieMembers, values);
  const scores = new Uint8Array(n);
  let k = 1;
  for (let rank = 1; rank <= n; rank++) {
    while (k * (n - 1) < 5 * (rank - 1)) k++;
    scores[ranked[rank - 1]!] = k;
  }
  return scores;
}

/** Card kinds in the order they sort: numeric cards, then other cards, then members without a card. */
const NUMBER = 0;
const TEXT = 1;
const NO_CARD = 2;
/** Digit strings up to 15 significant digits are exact as doubles. */
const SHORT_DIGITS = 15;

/**
 * The members (indices into `inputs`) in tie-break order: card number ascending, numerically when both are
 * numbers, then member id. DOMAIN.md does not say how a numeric card compares with one that is not; comparing
 * those as text would not be a consistent order ("9" < "10" as numbers, "10" < "1A" and "1A" < "9" as text), so
 * numeric cards come first, then the others as text, then members without a card. Numbers compare by value
 * (leading zeros ignored, any length); text and member ids by UTF-16 code units, as PostgreSQL's "C" collation
 * does, never by locale.
 */
function tieOrder(inputs: readonly RfmInput[]): Uint32Array {
  const n = inputs.length;
  const ids: string[] = new Array(n);
  const kind = new Uint8Array(n);
  const number = new Float64Array(n);
  const cardText: string[] = new Array(n).fill('');
  let longest = 0;
  const count = [0, 0, 0];
  let anyLong = false;
  for (let i = 0; i < n; i++) {
    const { memberId, card } = inputs[i]!;
    ids[i] = memberId;
    if (card === null) {
      kind[i] = NO_CARD;
      count[NO_CARD]!++;
      continue;
    }
    // Read the digits once: their value, and how many are significant (leading zeros do not count).
    let significant = 0;
    let value = 0;
    let digits = card.length > 0;
    for (let j = 0; j < card.length; j++) {
      const d = card.charCodeAt(j) - 48;
      if (d < 0 || d > 9) {
        digits = false;
        break;
      }
      if (significant > 0 || d > 0) {
        significant++;
        value = value * 10 + d;
      }
    }
    if (!digits) {
      kind[i] = TEXT;
      cardText[i] = card;
    } else {
      kind[i] = NUMBER;
      if (significant <= SHORT_DIGITS) number[i] = value;
      else {
        anyLong = true;
        cardText[i] = card.slice(card.length - significant);
        longest = Math.max(longest, significant);
      }
    }
    count[kind[i]!]!++;
  }
  const numeric = new Uint32Array(count[NUMBER]!);
  const text = new Uint32Array(count[TEXT]!);
  const none = new Uint32Array(count[NO_CARD]!);
  const fill = [0, 0, 0];
  const groups = [numeric, text, none];
  for (let i = 0; i < n; i++) {
    const k = kind[i]!;
    groups[k]![fill[k]!++] = i;
  }
  let numericOrder: Uint32Array;
  let numericKey: readonly string[] | Float64Array = number;
  if (!anyLong) numericOrder = sortByInteger(numeric, number);
  else {
    // Beyond 15 digits, compare numbers as digit strings of one length: zero-padded, text order is value order.
    const padded: string[] = new Array(n).fill('');
    for (const i of numeric) {
      padded[i] = (cardText[i] !== '' ? cardText[i]! : String(number[i])).padStart(longest, '0');
    }
    numericOrder = numeric;
    sortByText(numericOrder, padded);
    numericKey = padded;
  }
  const textOrder = text;
  sortByText(textOrder, cardText);
  // Cards are nearly always one member's each, so member ids are sorted only where a card is shared, and among
  // the members without a card.
  sortTiesById(numericOrder, numericKey, ids);
  sortTiesById(textOrder, cardText, ids);
  const noneOrder = none;
  sortByText(noneOrder, ids);

  const order = new Uint32Array(n);
  order.set(numericOrder, 0);
  order.set(textOrder, numericOrder.length);
  order.set(noneOrder, numericOrder.length + textOrder.length);
  return order;
}

/** Sorts by member id each run of `order` whose members share a card key. */
function sortTiesById(
  order: Uint32Array,
  key: readonly string[] | Float64Array,
  ids: readonly string[],
): void {
  let runStart = 0;
  for (let p = 1; p <= order.length; p++) {
    if (p === order.length || key[order[p]!] !== key[order[runStart]!]) {
      if (p - runStart > 1) sortByText(order.subarray(runStart, p), ids);
      runStart = p;
    }
  }
}

/**
 * Milliseconds since the epoch of an ISO 8601 instant. The form services write (`2026-01-02T03:04:05.678Z`) is
 * read field by field, several times faster than `Date.parse`, which reads everything else.
 */
function parseInstant(s: string): number {
  const len = s.length;
  if ((len === 20 || len === 24) && s.charCodeAt(len - 1) === 90 /* Z */) {
    const year = digitsAt(s, 0, 4);
    const month = digitsAt(s, 5, 2);
    const day = digitsAt(s, 8, 2);
    const hour = digitsAt(s, 11, 2);
    const minute = digitsAt(s, 14, 2);
    const second = digitsAt(s, 17, 2);
    const ms = len === 24 ? digitsAt(s, 20, 3) : 0;
    if (
      s[4] === '-' &&
      s[7] === '-' &&
      s[10] === 'T' &&
      s[13] === ':' &&
      s[16] === ':' &&
      (len === 20 || s[19] === '.') &&
      year >= 0 &&
      month >= 1 &&
      month <= 12 &&
      day >= 1 &&
      day <= daysInMonth(year, month) &&
      hour >= 0 &&
      hour <= 23 &&
      minute >= 0 &&
      minute <= 59 &&
      second >= 0 &&
      second <= 59 &&
      ms >= 0
    ) {
      return daysFromCivil(year, month, day) * DAY_MS + ((hour * 60 + minute) * 60 + second) * 1000 + ms;
    }
  }
  return Date.parse(s);
}

function daysInMonth(year: number, month: number): number {
  if (month !== 2) return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
}

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil, years ≥ 0). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** The number written by `count` digits at `at`, or −1 when any of them is not a digit. */
function digitsAt(s: string, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    value = value * 10 + c;
  }
  return value;
}

// ---------------------------------------------------------------------------------------------------------------
// Eight classes

/** Index `4·(M low) + 2·(not recent) + (F low)` → segment, matching EIGHT_CLASS_SEGMENTS' order. */
const EIGHT_CLASS_BY_INDEX: readonly EightClassSegment[] = EIGHT_CLASS_SEGMENTS;

function classScores(values: Float64Array, high: (v: number) => boolean): Uint8Array {
  const scores = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) scores[i] = high(values[i]!) ? 2 : 1;
  return scores;
}

function mean(values: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return sum / values.length;
}

/** The middle value, or the mean of the two middle values for an even count. */
function median(values: Float64Array): number {
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >>> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

// ---------------------------------------------------------------------------------------------------------------
// Segment sizes

export interface RfmSegmentSize {
  segment: RfmSegmentCode;
  members: number;
  /** Sum of the members' monetary values (minor units). */
  monetary: number;
}

/**
 * Members and monetary per segment, every segment of the scheme listed (empty ones with zeros) in the scheme's
 * fixed order. The scheme is the results' (read from the first segment) unless given; with no results and no
 * scheme, the quintile segments.
 */
export function segmentSizes(
  results: readonly Pick<RfmScore, 'segment' | 'monetary'>[],
  scheme?: RfmScheme,
): RfmSegmentSize[] {
  const first = results[0]?.segment;
  const eight =
    scheme === undefined
      ? first !== undefined && (EIGHT_CLASS_SEGMENTS as readonly string[]).includes(first)
      : scheme === 'eight_class';
  const segments: readonly RfmSegmentCode[] = eight ? EIGHT_CLASS_SEGMENTS : RFM_SEGMENTS;
  const sizes = new Map<RfmSegmentCode, RfmSegmentSize>(
    segments.map((segment) => [segment, { segment, members: 0, monetary: 0 }]),
  );
  for (const result of results) {
    const size = sizes.get(result.segment);
    if (size === undefined) {
      throw new RangeError(
        `segment ${result.segment} is not a ${eight ? 'eight-class' : 'quintile'} segment`,
      );
    }
    size.members++;
    size.monetary += result.monetary;
  }
  return [...sizes.values()];
}
