import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { createGunzip, gzip } from 'node:zlib';
import { parse } from 'csv-parse';
import { type Database, newId, nowIso } from '../platform/index.js';
import type { ImportOptions } from './imports.contract.js';
import { ImportErrors } from './imports.errors.js';
import { OMNILOOP_COLUMNS, readOmniloopHeader } from './omniloop.rules.js';
import { ONLINE_RETAIL_HEADER } from './online-retail.rules.js';

const gzipAsync = promisify(gzip);

/** Records per chunk (at least): one chunk is one transaction when the import runs. */
export const CHUNK_ROWS = 20_000;
/** The largest file taken (uncompressed). */
export const MAX_FILE_BYTES = 2 * 1024 ** 3;

export interface SpoolProgress {
  rows: number;
  bytes: number;
}

/**
 * Takes an import's file as a stream (CSV, or gzip detected by its magic bytes) and stores it in the database in
 * chunks: each cut at a record boundary where the order number changes, so that no order spans
 * two chunks, and gzip-compressed on its own. Never holds the whole file in memory. Then records the import as
 * `running` with its totals; a failed upload leaves nothing behind. Returns the import's id.
 */
export async function spoolImport(
  database: Database,
  input: {
    options: ImportOptions;
    fileName: string | null;
    source: Readable;
    createdBy: string;
    /** Records per chunk (tests make it small). */
    chunkRows?: number;
  },
  onProgress?: (p: SpoolProgress) => void,
): Promise<{ importId: string; rows: number; chunks: number }> {
  const importId = newId('imp');
  const db = database.db;
  let bytes = 0;
  let rows = 0;
  let seq = 0;
  let header: string | null = null;
  let chunk: string[] = [];
  let chunkFirst = 1;
  let lastKey: string | undefined;
  let keyColumn = 0;

  const flush = async () => {
    if (chunk.length === 0) return;
    const data = await gzipAsync(Buffer.from(`${chunk.join('\n')}\n`, 'utf8'));
    await db
      .insertInto('import_chunks')
      .values({ import_id: importId, seq, first_row: chunkFirst, rows: chunk.length, data })
      .execute();
    seq++;
    chunkFirst += chunk.length;
    chunk = [];
  };

  try {
    const text = await decoded(input.source);
    const parser = parse({ raw: true, relax_column_count: true, skip_empty_lines: true, bom: true });
    text.on('data', (piece: Buffer) => {
      bytes += piece.length;
      if (bytes > MAX_FILE_BYTES) {
        text.destroy(ImportErrors.fileTooLarge(`The file is larger than ${MAX_FILE_BYTES} bytes`));
      }
    });
    text.on('error', (e) => parser.destroy(e));
    text.pipe(parser);
    for await (const { record, raw } of parser as AsyncIterable<{ record: string[]; raw: string }>) {
      const line = raw.replace(/\r?\n$/, '');
      if (header === null) {
        header = line;
        keyColumn = orderNumberColumn(input.options.format, record);
        continue;
      }
      const key = record[keyColumn] ?? '';
      if (chunk.length >= (input.chunkRows ?? CHUNK_ROWS) && key !== lastKey) await flush();
      lastKey = key;
      chunk.push(line);
      rows++;
      if (rows % 5000 === 0) onProgress?.({ rows, bytes });
    }
    await flush();
    if (header === null) throw ImportErrors.emptyFile('The file has no header line');
    onProgress?.({ rows, bytes });
    const now = nowIso();
    await db
      .insertInto('imports')
      .values({
        id: importId,
        kind: 'orders',
        format: input.options.format,
        options: JSON.stringify(input.options),
        file_name: input.fileName,
        file_bytes: bytes,
        header,
        rows_total: rows,
        chunks_total: seq,
        chunks_done: 0,
        status: seq === 0 ? 'completed' : 'running',
        rows_read: 0,
        rows_imported: 0,
        rows_rejected: 0,
        duplicates_dropped: 0,
        orders_created: 0,
        returns_created: 0,
        members_created: 0,
        products_created: 0,
        attempts: 0,
        heartbeat_at: now,
        error: null,
        created_by: input.createdBy,
        started_at: now,
        finished_at: seq === 0 ? now : null,
      })
      .execute();
    return { importId, rows, chunks: seq };
  } catch (error) {
    await db.deleteFrom('import_chunks').where('import_id', '=', importId).execute();
    if (error instanceof Error && 'code' in error && String(error.code).startsWith('CSV_')) {
      throw ImportErrors.unreadable(`The file is not CSV: ${error.message}`);
    }
    if (error instanceof Error && 'code' in error && String(error.code).startsWith('Z_')) {
      throw ImportErrors.unreadable(`The gzip data is broken: ${error.message}`);
    }
    throw error;
  }
}

/** The file's bytes as CSV text: gunzipped when they start with gzip's magic bytes. */
async function decoded(source: Readable): Promise<Readable> {
  const pieces = source[Symbol.asyncIterator]();
  const first = await pieces.next();
  const head: Buffer = first.done ? Buffer.alloc(0) : Buffer.from(first.value as Buffer);
  const all = Readable.from(
    (async function* () {
      if (head.length > 0) yield head;
      for (;;) {
        const next = await pieces.next();
        if (next.done) return;
        yield Buffer.from(next.value as Buffer);
      }
    })(),
  );
  if (head[0] !== 0x1f || head[1] !== 0x8b) return all;
  const gunzip = createGunzip();
  all.on('error', (e) => gunzip.destroy(e));
  return all.pipe(gunzip);
}

/** Checks the header is the format's and says which column holds the order number. */
function orderNumberColumn(format: ImportOptions['format'], record: readonly string[]): number {
  if (format === 'omniloop') {
    const reading = readOmniloopHeader(record);
    if (!reading.ok) {
      const wrong = [
        ...reading.missing.map((c) => `missing ${c}`),
        ...reading.unknown.map((c) => `unknown ${c}`),
        ...reading.repeated.map((c) => `repeated ${c}`),
      ];
      throw ImportErrors.badHeader(`The header is not the omniloop format's: ${wrong.join(', ')}`, {
        extra: {
          expected: `${OMNILOOP_COLUMNS.slice(0, 5).join(',')} (+ ${OMNILOOP_COLUMNS.slice(5).join(',')})`,
          wrong: wrong.join(', '),
        },
      });
    }
    return reading.columns.get('order_no') ?? 0;
  }
  const got = record.map((c) => c.trim());
  const expected = [...ONLINE_RETAIL_HEADER];
  if (got.length !== expected.length || got.some((c, i) => c !== expected[i])) {
    throw ImportErrors.badHeader(`The header must be ${expected.join(',')}; it is ${got.join(',')}`, {
      extra: { expected: expected.join(',') },
    });
  }
  return 0;
}
