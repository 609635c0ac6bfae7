import type { Kysely, Selectable } from 'kysely';
import type { Static } from 'typebox';
import type { ReturnReversal } from '../loyalty/index.js';
import type { Pii } from '../members/index.js';
import type { DB } from '../platform/index.js';
import type { Return } from './aftersales.contract.js';
import { ReturnErrors } from './aftersales.errors.js';
import type { ReturnLinesTable, ReturnsTable } from './aftersales.schema.js';

// What the returns' services share: the return row as stored, and the one mapper from rows to the view.

export type ReturnRow = Selectable<ReturnsTable>;
export type ReturnLineRow = Selectable<ReturnLinesTable>;

/** A return as the API answers it (the route's schema is its only definition). */
export type ReturnView = Static<typeof Return>;
export type ReturnLineView = ReturnView['lines'][number];

/** Who reads a return: the pickup address is decrypted for them, its phone masked for a store guide. */
export interface ReturnReader {
  /** Null where only a summary is shown (the member 360 view): no pickup address, no contact. */
  pii: Pii | null;
  seesPersonalData: boolean;
}

/** The member behind a return as staff see her (masked), by member id. */
export type ReturnContacts = ReadonlyMap<string, { name: string | null; phone: string | null }>;

export function toReturnView(
  row: ReturnRow,
  lines: ReturnLineRow[],
  reader: ReturnReader,
  contacts: ReturnContacts,
): ReturnView {
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
    photos: JSON.parse(row.photos) as string[],
    method: row.method,
    courier: row.method === 'courier' ? courierOf(row, reader) : null,
    customer: row.member_id === null ? null : (contacts.get(row.member_id) ?? null),
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

function courierOf(row: ReturnRow, reader: ReturnReader): NonNullable<ReturnView['courier']> {
  let pickup: NonNullable<ReturnView['courier']>['pickup'] = null;
  if (row.pickup_day !== null && row.pickup_address !== null) {
    const address =
      reader.pii === null
        ? null
        : (JSON.parse(reader.pii.decrypt(row.pickup_address)) as {
            city: string;
            line1: string;
            name: string;
            phone: string;
          });
    pickup = {
      day: row.pickup_day,
      address:
        address === null || reader.seesPersonalData
          ? address
          : { ...address, phone: maskPhone(address.phone), masked: true },
    };
  }
  return {
    mode: row.courier_mode ?? 'drop_off',
    pickup,
    carrier: row.carrier,
    trackingNumber: row.tracking_number,
    shippedAt: row.shipped_at,
  };
}

/** A phone as a store guide sees it: 138****5678. */
function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return digits.length >= 7 ? `${digits.slice(0, 3)}****${digits.slice(-4)}` : '****';
}

export async function requireReturnRow(db: Kysely<DB>, id: string): Promise<ReturnRow> {
  const row = await db.selectFrom('returns').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw ReturnErrors.notFound(`No return ${id}`);
  return row;
}
