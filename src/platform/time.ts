/** Times are stored as ISO 8601 UTC text (`2026-11-22T08:00:00.000Z`): the fixed width makes text order equal time order on both engines. */
export function nowIso(): string {
  return isoAt(Date.now());
}

export function isoAfter(ms: number, from: number = Date.now()): string {
  return isoAt(from + ms);
}

// Formatting an instant is the costly part, and one request asks for the same few instants many times (each
// row it writes has a time; an order also looks ahead to its hold and its reservation's expiry): the last four
// instants formatted are kept.
const recent = Array.from({ length: 4 }, () => ({ at: Number.NaN, iso: '' }));
let nextSlot = 0;

function isoAt(at: number): string {
  for (const slot of recent) if (slot.at === at) return slot.iso;
  const iso = new Date(at).toISOString(); // throws for an instant out of range, before anything is kept
  const slot = recent[nextSlot]!;
  nextSlot = (nextSlot + 1) % recent.length;
  slot.at = at;
  slot.iso = iso;
  return iso;
}

/** The earlier of two ISO 8601 UTC times (fixed-width text: text order is time order). */
export function earlierOf(a: string, b: string): string {
  return a < b ? a : b;
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();
// Every zone's offset is a whole number of minutes (of quarter hours, in fact), so the day is the same for a whole
// minute of UTC: the last answer per zone is kept for its minute (every order asks, formatting is not free).
const lastDay = new Map<string, { minute: number; day: string }>();

/** The calendar day (YYYY-MM-DD) of an instant in a time zone: "today" for the brand is a day in its own zone. */
export function localDay(at: Date | string, timeZone: string): string {
  const instant = typeof at === 'string' ? new Date(at) : at;
  const minute = Math.floor(instant.getTime() / 60_000);
  const last = lastDay.get(timeZone);
  if (last?.minute === minute) return last.day;
  let format = dayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    dayFormats.set(timeZone, format);
  }
  const day = format.format(instant);
  lastDay.set(timeZone, { minute, day });
  return day;
}

/** The calendar day `days` after `day` (both YYYY-MM-DD; negative goes back): arithmetic on dates, not instants. */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/** How far `timeZone`'s wall clock is ahead of UTC at `instant` (ms; negative west of Greenwich). */
export function zoneOffsetMs(instant: number, timeZone: string): number {
  let format = offsetFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    offsetFormats.set(timeZone, format);
  }
  const parts = format.formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const local = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return local - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant a wall-clock time `YYYY-MM-DD HH:MM[:SS]` (or with `T`) names in `timeZone`, or undefined when it is
 * not such a time. In a DST gap the clock time is read with the offset before the change.
 */
export function localInstant(wallClock: string, timeZone: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(wallClock.trim());
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map((v) => Number(v ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const naive = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(naive);
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59)
    return undefined;
  let instant = naive - zoneOffsetMs(naive, timeZone);
  instant = naive - zoneOffsetMs(instant, timeZone);
  return new Date(instant);
}
