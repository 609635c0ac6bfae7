/** Row types of the imports context (snake_case, as stored). */
export interface ImportsTables {
  imports: ImportsTable;
  import_chunks: ImportChunksTable;
  import_rejects: ImportRejectsTable;
  history_returns: HistoryReturnsTable;
}

export type ImportStatus = 'running' | 'completed' | 'failed';

export interface ImportsTable {
  id: string;
  /** What is imported: `orders`. */
  kind: string;
  format: string;
  /** JSON: timezone, channel … as given. */
  options: string;
  file_name: string | null;
  file_bytes: number;
  /** The file's header line. */
  header: string | null;
  rows_total: number;
  chunks_total: number;
  /** Chunks written: the next one to run is `chunks_done`. */
  chunks_done: number;
  status: ImportStatus;
  rows_read: number;
  rows_imported: number;
  rows_rejected: number;
  duplicates_dropped: number;
  orders_created: number;
  returns_created: number;
  members_created: number;
  products_created: number;
  /** How many times a node started (or resumed) it. */
  attempts: number;
  /** The running node's last sign of life: a stale one lets another node resume the import. */
  heartbeat_at: string | null;
  error: string | null;
  created_by: string;
  started_at: string;
  finished_at: string | null;
}

/**
 * The uploaded file in order, cut at record boundaries where the first field (the order number) changes, each
 * chunk gzip-compressed on its own: one chunk is one unit of work (one transaction), and any node can run it.
 */
export interface ImportChunksTable {
  import_id: string;
  seq: number;
  /** The row number (1 = after the header) of its first record. */
  first_row: number;
  rows: number;
  data: Buffer;
}

export interface ImportRejectsTable {
  import_id: string;
  /** 1 = the first row after the header. */
  row_no: number;
  reason: string;
  /** The row as it was in the file. */
  raw: string;
}

/** A return of the brand's history (an `online_retail` `C` invoice): no order of ours to hang on. */
export interface HistoryReturnsTable {
  id: string;
  channel: string;
  external_id: string;
  member_id: string | null;
  store_code: string | null;
  /** Minor units returned (positive). */
  amount: number;
  /** JSON `[{sku, quantity, amount}]`. */
  lines: string;
  returned_at: string;
  imported_by: string;
}
