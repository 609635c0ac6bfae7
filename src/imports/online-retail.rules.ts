// The `online_retail` format (the UCI Online Retail file): how one CSV record becomes a sale line, a return line or
// a rejected row with its reason, and how an invoice's lines become an order or a return of the brand's history.
// No I/O.

import { localInstant } from '../platform/time.js';

export const ONLINE_RETAIL_HEADER = [
  'InvoiceNo',
  'StockCode',
  'Description',
  'Quantity',
  'InvoiceDate',
  'UnitPrice',
  'CustomerID',
  'Country',
] as const;

/** Why a row is not imported; the rejects file says it beside the row. */
export const REJECT_REASONS = [
  'WRONG_COLUMN_COUNT',
  'MISSING_INVOICE',
  'MISSING_STOCK_CODE',
  'BAD_QUANTITY',
  'BAD_PRICE',
  'BAD_DATE',
  'QUANTITY_NOT_POSITIVE',
  'RETURN_QUANTITY_NOT_NEGATIVE',
  'PRICE_NOT_POSITIVE',
  'STOCK_CODE_TOO_LONG',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

/** One line of an invoice, as read. */
export interface RetailLine {
  invoice: string;
  /** A `C` invoice: a return (its quantity is made positive here). */
  isReturn: boolean;
  sku: string;
  name: string;
  quantity: number;
  /** Minor units (pence, fen …): the file's price × 100, rounded. */
  unitPrice: number;
  /** ISO UTC. */
  at: string;
  /** The customer's card number without the `.0` the file writes; null for a guest. */
  card: string | null;
}

export type RowReading = { ok: true; line: RetailLine } | { ok: false; reason: RejectReason };

const NUMBER = /^-?\d+(\.\d+)?$/;
const CARD = /^(\d+)(?:\.0+)?$/;

/**
 * Reads one record of the file. `at` is read in `timeZone` (the shop's wall clock); `instants` caches the
 * conversions (the file repeats the same minute for every line of an invoice).
 */
export function readRetailRecord(
  record: readonly string[],
  timeZone: string,
  instants: Map<string, string | null>,
): RowReading {
  if (record.length !== ONLINE_RETAIL_HEADER.length) return { ok: false, reason: 'WRONG_COLUMN_COUNT' };
  const [invoiceRaw, skuRaw, description, quantityRaw, dateRaw, priceRaw, customerRaw] = record as string[];
  const invoice = invoiceRaw!.trim();
  if (!invoice) return { ok: false, reason: 'MISSING_INVOICE' };
  const sku = skuRaw!.trim();
  if (!sku) return { ok: false, reason: 'MISSING_STOCK_CODE' };
  if (sku.length > 64) return { ok: false, reason: 'STOCK_CODE_TOO_LONG' };
  const q = quantityRaw!.trim();
  if (!/^-?\d+$/.test(q)) return { ok: false, reason: 'BAD_QUANTITY' };
  const quantity = Number(q);
  const p = priceRaw!.trim();
  if (!NUMBER.test(p)) return { ok: false, reason: 'BAD_PRICE' };
  const unitPrice = Math.round(Number(p) * 100);
  const date = dateRaw!.trim();
  let at = instants.get(date);
  if (at === undefined) {
    at = localInstant(date, timeZone)?.toISOString() ?? null;
    instants.set(date, at);
  }
  if (at === null) return { ok: false, reason: 'BAD_DATE' };
  const isReturn = invoice.startsWith('C') || invoice.startsWith('c');
  if (isReturn ? quantity >= 0 : quantity <= 0) {
    return { ok: false, reason: isReturn ? 'RETURN_QUANTITY_NOT_NEGATIVE' : 'QUANTITY_NOT_POSITIVE' };
  }
  // A price that rounds to nothing is no sale either (adjustments, samples, bad debt).
  if (unitPrice <= 0) return { ok: false, reason: 'PRICE_NOT_POSITIVE' };
  const customer = customerRaw!.trim();
  const card = customer === '' ? null : (CARD.exec(customer)?.[1] ?? customer);
  return {
    ok: true,
    line: {
      invoice,
      isReturn,
      sku,
      name: description!.trim(),
      quantity: Math.abs(quantity),
      unitPrice,
      at,
      card,
    },
  };
}

/** An invoice's lines gathered: exact duplicate records dropped (counted by the caller). */
export interface RetailInvoice {
  invoice: string;
  isReturn: boolean;
  card: string | null;
  at: string;
  lines: RetailLine[];
  /** The row numbers of its lines (for the report). */
  rows: number;
}

/**
 * Gathers the records of a chunk into invoices, in the order they first appear. Records of one invoice are nearly
 * always consecutive (the file is in time order), but not always: a later record of an invoice joins it. An exact
 * duplicate of a record already in its invoice is dropped.
 */
export class InvoiceGatherer {
  private invoices = new Map<string, { invoice: RetailInvoice; seen: Set<string> }>();
  duplicates = 0;

  add(line: RetailLine, raw: string): void {
    let open = this.invoices.get(line.invoice);
    if (!open) {
      open = {
        invoice: {
          invoice: line.invoice,
          isReturn: line.isReturn,
          card: line.card,
          at: line.at,
          lines: [],
          rows: 0,
        },
        seen: new Set(),
      };
      this.invoices.set(line.invoice, open);
    }
    if (open.seen.has(raw)) {
      this.duplicates++;
      return;
    }
    open.seen.add(raw);
    open.invoice.lines.push(line);
    open.invoice.rows++;
    if (open.invoice.card === null) open.invoice.card = line.card;
  }

  /** Every invoice gathered. */
  finish(): RetailInvoice[] {
    const all = [...this.invoices.values()].map((o) => o.invoice);
    this.invoices.clear();
    return all;
  }
}
