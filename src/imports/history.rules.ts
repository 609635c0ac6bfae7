// What every import format reads its records into: the orders and returns of the brand's history, each with the
// customer's identifiers as the file gives them. The writing (members through One ID, items, orders, returns) is
// the same for every format. No I/O.

import type { Channel } from '../platform/channels.js';
import type { RetailInvoice } from './online-retail.rules.js';

/** The customer of an order as the file names them (normalised values); One ID finds or makes the member. */
export interface HistoryPerson {
  card?: string;
  phone?: string;
  email?: string;
}

export interface HistoryLine {
  sku: string;
  name: string;
  /** The category code the file gives, if any (used for an item the catalog does not have yet). */
  category: string | null;
  quantity: number;
  /** Fen. */
  unitPrice: number;
  /** Fen paid for the line. */
  paid: number;
}

/** One order or one return of the history: a file's rows sharing an order number. */
export interface HistoryInvoice {
  invoice: string;
  isReturn: boolean;
  channel: Channel;
  storeCode: string | null;
  person: HistoryPerson | null;
  /** ISO UTC. */
  at: string;
  lines: HistoryLine[];
  /** How many of the file's rows it holds (for the report). */
  rows: number;
}

/** An Online Retail invoice as the history every format reads into: the card is its customer, paid in full. */
export function retailHistoryInvoice(
  inv: RetailInvoice,
  channel: Channel,
  storeCode: string | null,
): HistoryInvoice {
  return {
    invoice: inv.invoice,
    isReturn: inv.isReturn,
    channel,
    storeCode,
    person: inv.card === null ? null : { card: inv.card },
    at: inv.at,
    lines: inv.lines.map((l) => ({
      sku: l.sku,
      name: l.name,
      category: null,
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      paid: l.quantity * l.unitPrice,
    })),
    rows: inv.rows,
  };
}
