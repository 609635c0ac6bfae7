import { BRAND_TIME_ZONE } from './format';

/**
 * Brand-local days and clock times for forms and calendars. Shanghai keeps no daylight saving, so a local time
 * is the instant at +08:00 and a day is 24 hours.
 */
const OFFSET = '+08:00';

const dayFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: BRAND_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});
const timeFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: BRAND_TIME_ZONE,
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

/** Today (or the day of an instant) in the brand's time zone, as YYYY-MM-DD. */
export function brandDay(at: Date | string = new Date()): string {
  return dayFormat.format(typeof at === 'string' ? new Date(at) : at);
}

/** A brand-local day moved by some days. */
export function shiftDay(day: string, days: number): string {
  return brandDay(new Date(Date.parse(`${day}T12:00:00${OFFSET}`) + days * 86_400_000));
}

/** hh:mm of an instant in the brand's time zone. */
export function brandClock(iso: string): string {
  return timeFormat.format(new Date(iso));
}

/** An instant as the value of an `<input type="datetime-local">` in brand time (YYYY-MM-DDTHH:mm). */
export function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return `${brandDay(date)}T${timeFormat.format(date)}`;
}

/** The value of an `<input type="datetime-local">` read as brand time, as an ISO instant; undefined when empty. */
export function fromLocalInput(value: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return undefined;
  return new Date(`${value}:00${OFFSET}`).toISOString();
}
