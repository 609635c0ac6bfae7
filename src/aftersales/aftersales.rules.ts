// Pure decisions of after-sales: refunds per returned unit, the return window, refund state, service slots.

import { addDays } from '../platform/time.js';

/** How long after delivery (or the order's completion) an item may be returned: 7 days (七天无理由退货). */
export const RETURN_WINDOW_DAYS = 7;
export const RETURN_WINDOW_MS = RETURN_WINDOW_DAYS * 86_400_000;

/** Where a return is taken at the counter: the goods are in the clerk's hands, so the return is received at once. */
export function returnStartsReceived(channel: string): boolean {
  return channel === 'pos';
}

/**
 * When an item's return window opens: the order's completion when it is complete, else the delivery (or pickup)
 * of the group that brought the item. Null when it has not reached the customer.
 */
export function returnWindowOpensAt(input: {
  completedAt: string | null;
  deliveredAt: readonly string[];
}): string | null {
  if (input.completedAt) return input.completedAt;
  if (input.deliveredAt.length === 0) return null;
  return [...input.deliveredAt].sort().at(-1) ?? null;
}

/** When the window closes, or whether `now` is still inside it. */
export function returnWindowClosesAt(opensAt: string, windowMs: number = RETURN_WINDOW_MS): string {
  return new Date(new Date(opensAt).getTime() + windowMs).toISOString();
}

export function withinReturnWindow(opensAt: string, now: Date, windowMs: number = RETURN_WINDOW_MS): boolean {
  return now.getTime() <= new Date(opensAt).getTime() + windowMs;
}

/** One order line as the returns so far left it. */
export interface LineReturnState {
  quantity: number;
  /** What the line cost in money: paidAmount − pointsAmount. */
  moneyTotal: number;
  /** What the line cost in points (fen). */
  pointsTotal: number;
  /** Units already claimed by other returns. */
  returnedQuantity: number;
  refundedMoney: number;
  refundedPoints: number;
}

export interface UnitsRefund {
  money: number;
  points: number;
}

/**
 * What returning `units` more of a line gives back, in money and in points (fen). Each unit is worth its share of
 * what the line cost, rounded down; the return that takes the line's last units takes exactly what is left, so
 * the returns of a line sum to what it cost — never a fen more, whatever the order and size of the returns.
 */
export function refundForUnits(line: LineReturnState, units: number): UnitsRefund {
  if (!Number.isSafeInteger(units) || units <= 0)
    throw new RangeError(`refundForUnits: units must be a positive integer, not ${units}`);
  if (line.returnedQuantity + units > line.quantity) {
    throw new RangeError(
      `refundForUnits: ${units} more exceed the ${line.quantity - line.returnedQuantity} not yet returned`,
    );
  }
  const moneyLeft = line.moneyTotal - line.refundedMoney;
  const pointsLeft = line.pointsTotal - line.refundedPoints;
  if (line.returnedQuantity + units === line.quantity) return { money: moneyLeft, points: pointsLeft };
  return {
    money: Math.min(moneyLeft, share(line.moneyTotal, units, line.quantity)),
    points: Math.min(pointsLeft, share(line.pointsTotal, units, line.quantity)),
  };
}

function share(total: number, units: number, quantity: number): number {
  // BigInt keeps total × units exact for any amount of fen.
  return Number((BigInt(total) * BigInt(units)) / BigInt(quantity));
}

export interface RefundPart {
  status: 'pending' | 'succeeded' | 'failed';
  attempts: number;
  lastError: string | null;
}

/**
 * A return's refund state from its refunds at the provider (one per payment it draws on): succeeded only when
 * every part is confirmed; failed while any part is refused; pending otherwise.
 */
export function refundStateOf(parts: readonly RefundPart[]): {
  status: 'pending' | 'succeeded' | 'failed';
  attempts: number;
  lastError: string | null;
} {
  const attempts = parts.reduce((max, p) => Math.max(max, p.attempts), 0);
  const failed = parts.find((p) => p.status === 'failed');
  if (failed) return { status: 'failed', attempts, lastError: failed.lastError };
  if (parts.length > 0 && parts.every((p) => p.status === 'succeeded'))
    return { status: 'succeeded', attempts, lastError: null };
  const lastError = parts.find((p) => p.lastError !== null)?.lastError ?? null;
  return { status: 'pending', attempts, lastError };
}

/** Whether the order is entirely returned once `received` units per line are back. */
export function wholeOrderReturned(
  lines: readonly { quantity: number; receivedQuantity: number }[],
): boolean {
  return lines.length > 0 && lines.every((l) => l.receivedQuantity >= l.quantity);
}

// ---------------------------------------------------------------------------------------------------------------
// Service appointments

/** What a store books (售后/美容服务): skin test, make-up, facial care, after-sales check of a device or item. */
export const SERVICE_KINDS = ['skin_test', 'makeup', 'facial', 'after_sales_check'] as const;
export type ServiceKind = (typeof SERVICE_KINDS)[number];

export interface WeeklyTemplateDay {
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** Local opening of the first slot and end of the last, `HH:MM`. */
  opens: string;
  closes: string;
  slotMinutes: number;
  services: { service: ServiceKind; capacity: number }[];
}

export interface SlotSpec {
  service: ServiceKind;
  startsAt: string;
  endsAt: string;
  localDay: string;
  capacity: number;
}

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

function minutesOf(hhmm: string): number {
  const m = TIME.exec(hhmm);
  if (!m) throw new RangeError(`${hhmm} is not a time of day (HH:MM)`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/** Milliseconds a time zone is ahead of UTC at an instant. */
function zoneOffsetMs(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(at));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return asUtc - Math.floor(at / 1000) * 1000;
}

/** The instant a local wall-clock time (`YYYY-MM-DD`, minutes after midnight) happens in a time zone. */
export function zonedInstant(day: string, minutes: number, timeZone: string): Date {
  const [y, mo, d] = day.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, mo - 1, d, 0, minutes);
  const first = wall - zoneOffsetMs(wall, timeZone);
  // Once more with the offset at the found instant, in case a DST change lies between.
  return new Date(wall - zoneOffsetMs(first, timeZone));
}

function isoWeekday(day: string): number {
  const [y, mo, d] = day.split('-').map(Number) as [number, number, number];
  const w = new Date(Date.UTC(y, mo - 1, d)).getUTCDay();
  return w === 0 ? 7 : w;
}

/** Problems with a weekly template, for a 400 naming each bad field (empty when it is fine). */
export function templateProblems(days: readonly WeeklyTemplateDay[]): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  days.forEach((day, i) => {
    if (!TIME.test(day.opens)) problems.push({ path: `template.days[${i}].opens`, message: 'must be HH:MM' });
    if (!TIME.test(day.closes))
      problems.push({ path: `template.days[${i}].closes`, message: 'must be HH:MM' });
    if (
      TIME.test(day.opens) &&
      TIME.test(day.closes) &&
      minutesOf(day.closes) - minutesOf(day.opens) < day.slotMinutes
    ) {
      problems.push({
        path: `template.days[${i}].closes`,
        message: 'leaves no room for one slot after opens',
      });
    }
  });
  return problems;
}

/**
 * The slots a weekly template gives for `days` calendar days from `fromDay` (the store's local days): each
 * template day repeats `slotMinutes`-long slots from `opens` while they end by `closes`, one per service.
 */
export function expandWeeklyTemplate(
  template: readonly WeeklyTemplateDay[],
  fromDay: string,
  days: number,
  timeZone: string,
): SlotSpec[] {
  const slots: SlotSpec[] = [];
  for (let i = 0; i < days; i++) {
    const day = addDays(fromDay, i);
    for (const t of template.filter((d) => d.weekday === isoWeekday(day))) {
      const close = minutesOf(t.closes);
      for (let start = minutesOf(t.opens); start + t.slotMinutes <= close; start += t.slotMinutes) {
        const startsAt = zonedInstant(day, start, timeZone).toISOString();
        const endsAt = zonedInstant(day, start + t.slotMinutes, timeZone).toISOString();
        for (const s of t.services)
          slots.push({ service: s.service, startsAt, endsAt, localDay: day, capacity: s.capacity });
      }
    }
  }
  return slots;
}
