import type { Kysely } from 'kysely';
import { isPostgres } from './util.js';

// The brand's history brought in from its old systems: each import and what it did, its uploaded file (kept in the
// database in compressed chunks, so that any node can run or resume it), the rows it rejected and why, the returns
// of the history (they have no order of ours to hang on), and the mark on an order that it is history.
export async function up(db: Kysely<any>): Promise<void> {
  const blob = isPostgres(db) ? 'bytea' : 'blob';
  await db.schema
    .createTable('imports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('options', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text')
    .addColumn('file_bytes', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('header', 'text')
    .addColumn('rows_total', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('chunks_total', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('chunks_done', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('rows_read', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rows_imported', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rows_rejected', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('duplicates_dropped', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('orders_created', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('returns_created', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('members_created', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('products_created', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('heartbeat_at', 'text')
    .addColumn('error', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema
    .createTable('import_chunks')
    .addColumn('import_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('first_row', 'integer', (c) => c.notNull())
    .addColumn('rows', 'integer', (c) => c.notNull())
    .addColumn('data', blob, (c) => c.notNull())
    .addPrimaryKeyConstraint('import_chunks_pk', ['import_id', 'seq'])
    .execute();
  await db.schema
    .createTable('import_rejects')
    .addColumn('import_id', 'text', (c) => c.notNull())
    .addColumn('row_no', 'integer', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('raw', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('import_rejects_pk', ['import_id', 'row_no'])
    .execute();
  await db.schema
    .createTable('history_returns')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('member_id', 'text')
    .addColumn('store_code', 'text')
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('lines', 'text', (c) => c.notNull())
    .addColumn('returned_at', 'text', (c) => c.notNull())
    .addColumn('imported_by', 'text', (c) => c.notNull())
    .addUniqueConstraint('history_returns_external', ['channel', 'external_id'])
    .execute();
  await db.schema.createIndex('history_returns_member').on('history_returns').column('member_id').execute();
  await db.schema.alterTable('orders').addColumn('imported_by', 'text').execute();
  await db.schema.createIndex('orders_imported_by').on('orders').column('imported_by').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('orders_imported_by').execute();
  await db.schema.alterTable('orders').dropColumn('imported_by').execute();
  await db.schema.dropTable('history_returns').execute();
  await db.schema.dropTable('import_rejects').execute();
  await db.schema.dropTable('import_chunks').execute();
  await db.schema.dropTable('imports').execute();
}
