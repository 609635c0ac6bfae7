import type { Kysely } from 'kysely';
import { memberContacts } from '../members/index.js';
import { type DB, decodeCursor, encodeCursor } from '../platform/index.js';
import {
  type ReturnContacts,
  type ReturnReader,
  type ReturnView,
  requireReturnRow,
  toReturnView,
} from './aftersales.rows.js';
import type { ReturnRefundStatus, ReturnStatus } from './aftersales.schema.js';

export type { ReturnReader, ReturnView } from './aftersales.rows.js';

export async function getReturn(db: Kysely<DB>, id: string, reader: ReturnReader): Promise<ReturnView> {
  const row = await requireReturnRow(db, id);
  const lines = await db.selectFrom('return_lines').selectAll().where('return_id', '=', id).execute();
  const contacts = await contactsOf(db, reader, row.member_id === null ? [] : [row.member_id]);
  return toReturnView(row, lines, reader, contacts);
}

export interface ReturnFilter {
  status?: ReturnStatus | undefined;
  refundStatus?: ReturnRefundStatus | undefined;
  /** Asked for or received there. */
  location?: string | undefined;
  orderId?: string | undefined;
  memberId?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** Returns newest first (ids sort by creation time). */
export async function listReturns(
  db: Kysely<DB>,
  filter: ReturnFilter,
  reader: ReturnReader,
): Promise<{ items: ReturnView[]; nextCursor: string | null }> {
  const after = decodeCursor(filter.cursor, ['string']);
  let query = db
    .selectFrom('returns')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(filter.limit + 1);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.refundStatus) query = query.where('refund_status', '=', filter.refundStatus);
  if (filter.orderId) query = query.where('order_id', '=', filter.orderId);
  if (filter.memberId) query = query.where('member_id', '=', filter.memberId);
  if (filter.location) {
    const location = filter.location;
    query = query.where((eb) =>
      eb.or([eb('location', '=', location), eb('received_location', '=', location)]),
    );
  }
  if (after) query = query.where('id', '<', after[0]);
  const rows = await query.execute();
  const page = rows.slice(0, filter.limit);
  const lines =
    page.length === 0
      ? []
      : await db
          .selectFrom('return_lines')
          .selectAll()
          .where(
            'return_id',
            'in',
            page.map((r) => r.id),
          )
          .execute();
  const contacts = await contactsOf(
    db,
    reader,
    page.flatMap((r) => (r.member_id === null ? [] : [r.member_id])),
  );
  const last = page.at(-1);
  return {
    items: page.map((row) =>
      toReturnView(
        row,
        lines.filter((l) => l.return_id === row.id),
        reader,
        contacts,
      ),
    ),
    nextCursor: rows.length > filter.limit && last ? encodeCursor([last.id]) : null,
  };
}

function contactsOf(db: Kysely<DB>, reader: ReturnReader, memberIds: string[]): Promise<ReturnContacts> {
  return reader.pii === null ? Promise.resolve(new Map()) : memberContacts(db, reader.pii, memberIds);
}
