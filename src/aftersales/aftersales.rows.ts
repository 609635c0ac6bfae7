import type { Kysely, Selectable } from 'kysely';
import type { ReturnReversal } from '../loyalty/index.js';
import type { DB } from '../platform/index.js';
import { ReturnErrors } from './aftersales.errors.js';
import type {
  ItemCondition,
  ReturnLinesTable,
  ReturnRefundStatus,
  ReturnStatus,
  ReturnsTable,
} from './aftersales.schema.js';

// What the returns' services share: the return row as stored, and the one mapper from rows to the view.

export type ReturnRow = Selectable<ReturnsTable>;
export type ReturnLineRow = Selectable<ReturnLinesTable>;

export interface ReturnLineView {
  lineNo: number;
  sku: string;
  quantity: number;
  condition: ItemCondition | null;
  /** Money the units cost (fen). */
  refundAmount: number;
  /** What the units cost in points, as fen; given back as points. */
  pointsAmount: number;
}

export interface ReturnView {
  id: string;
  orderId: string;
  memberId: string | null;
  exchangeId: string | null;
  status: ReturnStatus;
  channel: string;
  location: string;
  receivedLocation: string | null;
  reason: string;
  condition: ItemCondition;
  clientRequestId: string | null;
  lines: ReturnLineView[];
  /** What the returned units cost in money. */
  moneyValue: number;
  /** Of which spent on an exchange's replacement. */
  creditAmount: number;
  /** Going back to the original payment. */
  refundAmount: number;
  /** Value of the points given back, in fen. */
  pointsAmount: number;
  refundStatus: ReturnRefundStatus;
  refundAttempts: number;
  refundLastError: string | null;
  loyalty: ReturnReversal | null;
  requestedBy: string;
  receivedBy: string | null;
  createdAt: string;
  updatedAt: string;
  receivedAt: string | null;
  refundedAt: string | null;
}

export function toReturnView(row: ReturnRow, lines: ReturnLineRow[]): ReturnView {
  return {
    id: row.id,
    orderId: row.order_id,
    memberId: row.member_id,
    exchangeId: row.exchange_id,
    status: row.status,
    channel: row.channel,
    location: row.location,
    receivedLocation: row.received_location,
    reason: row.reason,
    condition: row.condition,
    clientRequestId: row.client_request_id,
    lines: lines
      .sort((a, b) => Number(a.line_no) - Number(b.line_no))
      .map((l) => ({
        lineNo: Number(l.line_no),
        sku: l.sku,
        quantity: Number(l.quantity),
        condition: l.condition,
        refundAmount: Number(l.money_amount),
        pointsAmount: Number(l.points_amount),
      })),
    moneyValue: Number(row.money_value),
    creditAmount: Number(row.credit_amount),
    refundAmount: Number(row.refund_amount),
    pointsAmount: Number(row.points_value),
    refundStatus: row.refund_status,
    refundAttempts: Number(row.refund_attempts),
    refundLastError: row.refund_last_error,
    loyalty: row.loyalty === null ? null : (JSON.parse(row.loyalty) as ReturnReversal),
    requestedBy: row.requested_by,
    receivedBy: row.received_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    receivedAt: row.received_at,
    refundedAt: row.refunded_at,
  };
}

export async function requireReturnRow(db: Kysely<DB>, id: string): Promise<ReturnRow> {
  const row = await db.selectFrom('returns').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw ReturnErrors.notFound(`No return ${id}`);
  return row;
}
