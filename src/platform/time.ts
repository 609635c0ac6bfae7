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
