import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import type { Kysely } from 'kysely';
import { ensureHistoryItems } from '../catalog/index.js';
import { normaliseIdentifier, type Pii } from '../members/index.js';
import { type HistoryOrder, writeHistoryOrders } from '../orders/index.js';
import {
  appendEvents,
  type DB,
  insertRows,
  newEvent,
  newId,
  nowIso,
  scheduleJob,
  type Trx,
} from '../platform/index.js';
import { readChunk } from './formats.js';
import type { HistoryInvoice } from './history.rules.js';
import { historyMembers, storeCodes } from './history-members.service.js';
import type { ImportOptions, ImportView } from './imports.contract.js';
import { ImportErrors } from './imports.errors.js';
import { ReturnImported } from './imports.events.js';
import type { ImportsTable } from './imports.schema.js';

const gunzipAsync = promisify(gunzip);

/** The durable job that runs one chunk of an import and schedules the next. */
export const IMPORT_CHUNK_JOB = 'imports.chunk';

export interface ImportDeps {
  pii: Pii;
  /** The brand's zone: the calendar day of each order. */
  timeZone: string;
}

export interface ChunkOutcome {
  /** False when the chunk was done already (another worker, or a retry after its commit). */
  ran: boolean;
  /** Whether the import finished with this chunk. */
  finished: boolean;
  rows: number;
}

/**
 * Runs chunk `seq` of an import in the caller's transaction: reads its records, rejects the ones that are no sale
 * with their reason, drops exact duplicates, makes the members (One ID, by card) and items it names, writes its
 * invoices as orders and returns of the brand's history, and adds what it did to the import's counters. The
 * import's `chunks_done` moves from `seq` to `seq + 1` in the same transaction: a chunk counts once, whichever node
 * runs it and however often it is retried.
 */
export async function runImportChunk(
  trx: Trx,
  deps: ImportDeps,
  importId: string,
  seq: number,
): Promise<ChunkOutcome> {
  const claimed = await trx
    .updateTable('imports')
    .set({ chunks_done: seq + 1, heartbeat_at: nowIso() })
    .where('id', '=', importId)
    .where('chunks_done', '=', seq)
    .where('status', '=', 'running')
    .returningAll()
    .executeTakeFirst();
  if (!claimed) return { ran: false, finished: false, rows: 0 };
  const chunk = await trx
    .selectFrom('import_chunks')
    .selectAll()
    .where('import_id', '=', importId)
    .where('seq', '=', seq)
    .executeTakeFirstOrThrow();
  const options = JSON.parse(claimed.options) as ImportOptions;
  const text = (await gunzipAsync(chunk.data)).toString('utf8');
  const records = parse(text, { raw: true, relax_column_count: true, skip_empty_lines: true }) as unknown as {
    record: string[];
    raw: string;
  }[];

  const reading = readChunk(
    records.map(({ record, raw }, i) => ({
      record,
      line: raw.replace(/\r?\n$/, ''),
      rowNo: chunk.first_row + i,
    })),
    {
      options,
      header: claimed.header === null ? [] : ((parse(claimed.header) as string[][])[0] ?? []),
      stores: options.format === 'omniloop' ? await storeCodes(trx) : new Set(),
      identifier: (type, value) => {
        const normalised = normaliseIdentifier({ type, value });
        return normalised.ok ? normalised.identifier.value : null;
      },
    },
  );
  const { invoices } = reading;
  const rejects = reading.rejects.map((r) => ({
    import_id: importId,
    row_no: r.rowNo,
    reason: r.reason,
    raw: r.line,
  }));

  const people = await historyMembers(trx, deps.pii, invoices, options, importId);
  const items = new Map<string, { name: string; price: number; category: string | null }>();
  for (const inv of invoices)
    for (const l of inv.lines) {
      // The last price seen; a name and a category from whichever line gives them (a row may leave them out).
      const seen = items.get(l.sku);
      items.set(l.sku, {
        name: seen && l.name === l.sku ? seen.name : l.name,
        price: l.unitPrice,
        category: l.category ?? seen?.category ?? null,
      });
    }
  const catalog = await ensureHistoryItems(trx, items);

  const memberOf = people.memberOf;
  const sales = invoices.filter((inv) => !inv.isReturn);
  const orders: HistoryOrder[] = sales.map((inv) => ({
    externalId: inv.invoice,
    channel: inv.channel,
    storeCode: inv.storeCode,
    memberId: memberOf(inv),
    at: inv.at,
    lines: inv.lines.map((l) => ({
      sku: l.sku,
      name: l.name,
      category: catalog.categories.get(l.sku) ?? '',
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      paid: l.paid,
    })),
  }));
  const written = await writeHistoryOrders(trx, importId, orders, deps.timeZone);
  const returns = await writeHistoryReturns(
    trx,
    importId,
    invoices.filter((inv) => inv.isReturn),
    memberOf,
  );
  const createdRows =
    sales
      .filter((inv) => {
        const key = `${inv.channel}\u0000${inv.invoice}`;
        return !written.present.has(key) || written.continued.has(key);
      })
      .reduce((s, inv) => s + inv.rows, 0) + returns.rows;

  // A retried chunk finds its rejects from the try that failed rolled back; these go in once.
  for (let i = 0; i < rejects.length; i += 1000) {
    await trx
      .insertInto('import_rejects')
      .values(rejects.slice(i, i + 1000))
      .onConflict((oc) => oc.columns(['import_id', 'row_no']).doNothing())
      .execute();
  }
  const finished = seq + 1 >= claimed.chunks_total;
  await trx
    .updateTable('imports')
    .set((eb) => ({
      rows_read: eb('rows_read', '+', records.length),
      rows_imported: eb('rows_imported', '+', createdRows),
      rows_rejected: eb('rows_rejected', '+', rejects.length),
      duplicates_dropped: eb('duplicates_dropped', '+', reading.duplicates),
      orders_created: eb('orders_created', '+', written.created),
      returns_created: eb('returns_created', '+', returns.created),
      members_created: eb('members_created', '+', people.created),
      products_created: eb('products_created', '+', catalog.created),
      ...(finished ? { status: 'completed' as const, finished_at: nowIso() } : {}),
    }))
    .where('id', '=', importId)
    .execute();
  if (finished) await trx.deleteFrom('import_chunks').where('import_id', '=', importId).execute();
  return { ran: true, finished, rows: records.length };
}

/** The returns of the history (a `C` invoice, `return_of` rows): kept as they were, once per channel and number. */
async function writeHistoryReturns(
  trx: Trx,
  importId: string,
  invoices: readonly HistoryInvoice[],
  memberOf: (inv: HistoryInvoice) => string | null,
): Promise<{ created: number; rows: number }> {
  if (invoices.length === 0) return { created: 0, rows: 0 };
  const present = new Set<string>();
  for (const channel of new Set(invoices.map((inv) => inv.channel))) {
    const numbers = invoices.filter((inv) => inv.channel === channel).map((inv) => inv.invoice);
    for (let i = 0; i < numbers.length; i += 500) {
      const rows = await trx
        .selectFrom('history_returns')
        .select('external_id')
        .where('channel', '=', channel)
        .where('external_id', 'in', numbers.slice(i, i + 500))
        .execute();
      for (const r of rows) present.add(`${channel}\u0000${r.external_id}`);
    }
  }
  const fresh = invoices.filter((inv) => !present.has(`${inv.channel}\u0000${inv.invoice}`));
  const rows = fresh.map((inv) => {
    const lines = inv.lines.map((l) => ({ sku: l.sku, quantity: l.quantity, amount: l.paid }));
    return {
      id: newId('hrt'),
      channel: inv.channel,
      external_id: inv.invoice,
      member_id: memberOf(inv),
      store_code: inv.storeCode,
      amount: lines.reduce((s, l) => s + l.amount, 0),
      lines,
      returned_at: inv.at,
      imported_by: importId,
    };
  });
  await insertRows(
    trx,
    'history_returns',
    rows.map((row) => ({ ...row, lines: JSON.stringify(row.lines) })),
  );
  // Profiles and analytics count a history return as they count a history order.
  await appendEvents(
    trx,
    rows.map((row) =>
      newEvent(ReturnImported, {
        stream: `return:${row.id}`,
        location: row.store_code,
        payload: {
          returnId: row.id,
          importId,
          channel: row.channel,
          memberId: row.member_id,
          storeCode: row.store_code,
          amount: row.amount,
          returnedAt: row.returned_at,
          lines: row.lines,
        },
      }),
    ),
  );
  return { created: fresh.length, rows: fresh.reduce((s, inv) => s + inv.rows, 0) };
}

/** Schedules the chunk after `seq` (or the first), for whichever node's job worker is free. */
export async function scheduleNextChunk(trx: Trx, importId: string, seq: number): Promise<void> {
  await scheduleJob(trx, {
    kind: IMPORT_CHUNK_JOB,
    runAt: new Date(),
    payload: { importId, seq },
    key: `import:${importId}:${seq}`,
    maxAttempts: 20,
  });
}

export function toImportView(row: ImportsTable): ImportView {
  return {
    id: row.id,
    format: row.format,
    status: row.status,
    fileName: row.file_name,
    fileBytes: Number(row.file_bytes),
    rowsTotal: row.rows_total,
    rowsRead: row.rows_read,
    rowsImported: row.rows_imported,
    rowsRejected: row.rows_rejected,
    duplicatesDropped: row.duplicates_dropped,
    ordersCreated: row.orders_created,
    returnsCreated: row.returns_created,
    membersCreated: row.members_created,
    productsCreated: row.products_created,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    ...(row.error ? { error: row.error } : {}),
  };
}

export async function getImport(db: Kysely<DB>, id: string): Promise<ImportView> {
  const row = await db.selectFrom('imports').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw ImportErrors.notFound(`No import ${id}`);
  return toImportView(row);
}
