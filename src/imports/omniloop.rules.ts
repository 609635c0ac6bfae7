// The `omniloop` format: OmniLoop's own CSV for other brands' exports. Columns are found by their names in the
// header (any order; unknown columns are refused so that a misspelt one is not silently ignored); one order is the
// rows sharing an `order_no` in a channel; a row with `return_of` is a line of a return of that order. How one
// record becomes a line or a rejected row with its reason, and how lines gather into orders and returns. No I/O.

import { CHANNELS, type Channel } from '../platform/channels.js';
import { localInstant } from '../platform/time.js';
import type { HistoryInvoice, HistoryPerson } from './history.rules.js';

/** Every column the format knows; the first five are required. */
export const OMNILOOP_COLUMNS = [
  'order_no',
  'ordered_at',
  'sku',
  'quantity',
  'unit_price',
  'channel',
  'store',
  'card',
  'phone',
  'email',
  'name',
  'category',
  'paid',
  'return_of',
] as const;
export type OmniloopColumn = (typeof OMNILOOP_COLUMNS)[number];
const REQUIRED: readonly OmniloopColumn[] = ['order_no', 'ordered_at', 'sku', 'quantity', 'unit_price'];

/** Where each column is in a record, read from the header. */
export type OmniloopColumns = ReadonlyMap<OmniloopColumn, number>;

export type HeaderReading =
  | { ok: true; columns: OmniloopColumns }
  | { ok: false; missing: string[]; unknown: string[]; repeated: string[] };

export function readOmniloopHeader(record: readonly string[]): HeaderReading {
  const columns = new Map<OmniloopColumn, number>();
  const unknown: string[] = [];
  const repeated: string[] = [];
  record.forEach((raw, i) => {
    const name = raw.trim().toLowerCase();
    if (!(OMNILOOP_COLUMNS as readonly string[]).includes(name)) unknown.push(raw.trim());
    else if (columns.has(name as OmniloopColumn)) repeated.push(name);
    else columns.set(name as OmniloopColumn, i);
  });
  const missing = REQUIRED.filter((c) => !columns.has(c));
  return missing.length === 0 && unknown.length === 0 && repeated.length === 0
    ? { ok: true, columns }
    : { ok: false, missing, unknown, repeated };
}

/** Why a row of an `omniloop` file is not imported; the rejects file says it beside the row. */
export const OMNILOOP_REJECT_REASONS = [
  'WRONG_COLUMN_COUNT',
  'MISSING_ORDER_NO',
  'ORDER_NO_TOO_LONG',
  'MISSING_STOCK_CODE',
  'STOCK_CODE_TOO_LONG',
  'BAD_QUANTITY',
  'QUANTITY_NOT_POSITIVE',
  'BAD_PRICE',
  'BAD_PAID',
  'PAID_OVER_AMOUNT',
  'BAD_DATE',
  'UNKNOWN_CHANNEL',
  'BAD_CARD',
  'BAD_PHONE',
  'BAD_EMAIL',
  'ORDER_FIELDS_DIFFER',
  'UNKNOWN_STORE',
] as const;
export type OmniloopRejectReason = (typeof OMNILOOP_REJECT_REASONS)[number];

/** One line as read. */
export interface OmniloopLine {
  orderNo: string;
  channel: Channel;
  storeCode: string | null;
  /** ISO UTC. */
  at: string;
  person: HistoryPerson | null;
  sku: string;
  name: string;
  category: string | null;
  quantity: number;
  /** Fen. */
  unitPrice: number;
  /** Fen paid for the line (quantity × unit price unless the file says less: a discount). */
  paid: number;
  /** The order a return line gives back; null for a sale. */
  returnOf: string | null;
}

export type OmniloopReading = { ok: true; line: OmniloopLine } | { ok: false; reason: OmniloopRejectReason };

export interface OmniloopDefaults {
  channel: Channel;
  storeCode: string | null;
  timeZone: string;
  /**
   * Normalises an identifier the way One ID does (null: not a usable value of that type). Given by the caller so
   * that these rules stay free of the members context's internals.
   */
  identifier: (type: 'card' | 'phone' | 'email', value: string) => string | null;
}

const INTEGER = /^\d{1,15}$/;
// An instant with its offset (2024-05-01T10:00:00+08:00, …Z), or a wall-clock time read in the file's zone.
const WITH_OFFSET = /(Z|[+-]\d{2}:?\d{2})$/i;

/** Reads one record; `instants` caches wall-clock conversions (an order's lines repeat the same minute). */
export function readOmniloopRecord(
  record: readonly string[],
  columns: OmniloopColumns,
  width: number,
  defaults: OmniloopDefaults,
  instants: Map<string, string | null>,
): OmniloopReading {
  if (record.length !== width) return { ok: false, reason: 'WRONG_COLUMN_COUNT' };
  const cell = (c: OmniloopColumn) => {
    const i = columns.get(c);
    return i === undefined ? '' : (record[i] ?? '').trim();
  };
  const orderNo = cell('order_no');
  if (!orderNo) return { ok: false, reason: 'MISSING_ORDER_NO' };
  if (orderNo.length > 64) return { ok: false, reason: 'ORDER_NO_TOO_LONG' };
  const sku = cell('sku');
  if (!sku) return { ok: false, reason: 'MISSING_STOCK_CODE' };
  if (sku.length > 64) return { ok: false, reason: 'STOCK_CODE_TOO_LONG' };
  const q = cell('quantity');
  if (!/^-?\d{1,9}$/.test(q)) return { ok: false, reason: 'BAD_QUANTITY' };
  const quantity = Number(q);
  if (quantity <= 0) return { ok: false, reason: 'QUANTITY_NOT_POSITIVE' };
  const p = cell('unit_price');
  if (!INTEGER.test(p)) return { ok: false, reason: 'BAD_PRICE' };
  const unitPrice = Number(p);
  const amount = quantity * unitPrice;
  const paidRaw = cell('paid');
  if (paidRaw !== '' && !INTEGER.test(paidRaw)) return { ok: false, reason: 'BAD_PAID' };
  const paid = paidRaw === '' ? amount : Number(paidRaw);
  if (paid > amount || !Number.isSafeInteger(amount)) return { ok: false, reason: 'PAID_OVER_AMOUNT' };
  const at = instantOf(cell('ordered_at'), defaults.timeZone, instants);
  if (at === null) return { ok: false, reason: 'BAD_DATE' };
  const channelRaw = cell('channel');
  if (channelRaw !== '' && !(CHANNELS as readonly string[]).includes(channelRaw)) {
    return { ok: false, reason: 'UNKNOWN_CHANNEL' };
  }
  const person: HistoryPerson = {};
  for (const [type, reason] of [
    ['card', 'BAD_CARD'],
    ['phone', 'BAD_PHONE'],
    ['email', 'BAD_EMAIL'],
  ] as const) {
    const raw = cell(type);
    if (raw === '') continue;
    const value = defaults.identifier(type, raw);
    if (value === null) return { ok: false, reason };
    person[type] = value;
  }
  const store = cell('store');
  return {
    ok: true,
    line: {
      orderNo,
      channel: (channelRaw || defaults.channel) as Channel,
      storeCode: store === '' ? defaults.storeCode : store,
      at,
      person: Object.keys(person).length === 0 ? null : person,
      sku,
      name: cell('name') || sku,
      category: cell('category') || null,
      quantity,
      unitPrice,
      paid,
      returnOf: cell('return_of') || null,
    },
  };
}

function instantOf(raw: string, timeZone: string, instants: Map<string, string | null>): string | null {
  if (raw === '') return null;
  let at = instants.get(raw);
  if (at === undefined) {
    if (WITH_OFFSET.test(raw)) {
      const parsed = new Date(raw);
      at =
        /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(raw) && !Number.isNaN(parsed.getTime())
          ? parsed.toISOString()
          : null;
    } else {
      at = localInstant(raw, timeZone)?.toISOString() ?? null;
    }
    instants.set(raw, at);
  }
  return at;
}

/** What the lines of one order must agree on. */
function orderFields(line: OmniloopLine): string {
  return JSON.stringify([line.storeCode, line.at, line.person, line.returnOf]);
}

/**
 * Gathers a chunk's lines into orders and returns (by channel and order number), in the order they first appear.
 * An exact duplicate record is dropped (counted); a line whose order fields (store, time, customer, return_of)
 * differ from its order's first line is rejected rather than guessed at.
 */
export class OmniloopGatherer {
  private orders = new Map<string, { invoice: HistoryInvoice; fields: string; seen: Set<string> }>();
  duplicates = 0;

  /** False when the line contradicts its order (the caller rejects it with ORDER_FIELDS_DIFFER). */
  add(line: OmniloopLine, raw: string): boolean {
    const key = `${line.channel}\u0000${line.orderNo}`;
    let open = this.orders.get(key);
    const fields = orderFields(line);
    if (!open) {
      open = {
        invoice: {
          invoice: line.orderNo,
          isReturn: line.returnOf !== null,
          channel: line.channel,
          storeCode: line.storeCode,
          person: line.person,
          at: line.at,
          lines: [],
          rows: 0,
        },
        fields,
        seen: new Set(),
      };
      this.orders.set(key, open);
    } else if (open.fields !== fields) {
      return false;
    }
    if (open.seen.has(raw)) {
      this.duplicates++;
      return true;
    }
    open.seen.add(raw);
    open.invoice.lines.push({
      sku: line.sku,
      name: line.name,
      category: line.category,
      quantity: line.quantity,
      unitPrice: line.unitPrice,
      paid: line.paid,
    });
    open.invoice.rows++;
    return true;
  }

  finish(): HistoryInvoice[] {
    const all = [...this.orders.values()].map((o) => o.invoice);
    this.orders.clear();
    return all;
  }
}
