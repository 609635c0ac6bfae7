// Each import format's reader: a chunk's records in, the history's orders and returns out, with every record that
// is not a sale or a return rejected with its reason. Pure but for what the caller hands in (the stores it has,
// how One ID normalises an identifier).

import type { Channel } from '../platform/channels.js';
import type { HistoryInvoice } from './history.rules.js';
import { retailHistoryInvoice } from './history.rules.js';
import type { ImportOptions } from './imports.contract.js';
import {
  OmniloopGatherer,
  type OmniloopReading,
  readOmniloopHeader,
  readOmniloopRecord,
} from './omniloop.rules.js';
import { InvoiceGatherer, readRetailRecord } from './online-retail.rules.js';

export interface ChunkRecord {
  record: string[];
  /** The record's line as in the file (the rejects file shows it; exact duplicates compare it). */
  line: string;
  rowNo: number;
}

export interface ChunkReading {
  invoices: HistoryInvoice[];
  rejects: { rowNo: number; reason: string; line: string }[];
  duplicates: number;
}

export interface ReadContext {
  options: ImportOptions;
  /** The file's header line as stored when it was spooled. */
  header: string[];
  /** The brand's store codes: a history order at any other store is rejected. */
  stores: ReadonlySet<string>;
  identifier: (type: 'card' | 'phone' | 'email', value: string) => string | null;
}

export function readChunk(records: readonly ChunkRecord[], ctx: ReadContext): ChunkReading {
  return ctx.options.format === 'omniloop' ? readOmniloop(records, ctx) : readOnlineRetail(records, ctx);
}

function readOnlineRetail(records: readonly ChunkRecord[], ctx: ReadContext): ChunkReading {
  const { options } = ctx;
  const rejects: ChunkReading['rejects'] = [];
  const gatherer = new InvoiceGatherer();
  const instants = new Map<string, string | null>();
  for (const { record, line, rowNo } of records) {
    const reading = readRetailRecord(record, options.timezone, instants);
    if (!reading.ok) rejects.push({ rowNo, reason: reading.reason, line });
    else gatherer.add(reading.line, line);
  }
  const storeCode = options.storeCode ?? null;
  return {
    invoices: gatherer
      .finish()
      .map((inv) => retailHistoryInvoice(inv, options.channel as Channel, storeCode)),
    rejects,
    duplicates: gatherer.duplicates,
  };
}

function readOmniloop(records: readonly ChunkRecord[], ctx: ReadContext): ChunkReading {
  const header = readOmniloopHeader(ctx.header);
  // The header was checked when the file was stored.
  if (!header.ok) throw new Error('an omniloop import whose header is not the format’s');
  const defaults = {
    channel: ctx.options.channel as Channel,
    storeCode: ctx.options.storeCode ?? null,
    timeZone: ctx.options.timezone,
    identifier: ctx.identifier,
  };
  const rejects: ChunkReading['rejects'] = [];
  const gatherer = new OmniloopGatherer();
  const instants = new Map<string, string | null>();
  for (const { record, line, rowNo } of records) {
    let reading: OmniloopReading = readOmniloopRecord(
      record,
      header.columns,
      ctx.header.length,
      defaults,
      instants,
    );
    if (reading.ok && reading.line.storeCode !== null && !ctx.stores.has(reading.line.storeCode)) {
      reading = { ok: false, reason: 'UNKNOWN_STORE' };
    }
    if (!reading.ok) rejects.push({ rowNo, reason: reading.reason, line });
    else if (!gatherer.add(reading.line, line)) rejects.push({ rowNo, reason: 'ORDER_FIELDS_DIFFER', line });
  }
  return { invoices: gatherer.finish(), rejects, duplicates: gatherer.duplicates };
}
