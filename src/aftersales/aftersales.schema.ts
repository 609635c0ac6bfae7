import type { ServiceKind } from './aftersales.rules.js';
/** Row types of the after-sales context (snake_case, as stored). Amounts are fen. */
export interface AftersalesTables {
  returns: ReturnsTable;
  return_lines: ReturnLinesTable;
  return_line_totals: ReturnLineTotalsTable;
  exchanges: ExchangesTable;
  service_slots: ServiceSlotsTable;
  appointments: AppointmentsTable;
}

export type ReturnStatus = 'requested' | 'received' | 'refunded' | 'cancelled';
/**
 * `not_started` until the goods are received; `not_needed` when nothing goes back to a payment (all paid with
 * points, or an exchange's credit covered it all); otherwise the refund's state at the provider.
 */
export type ReturnRefundStatus = 'not_started' | 'not_needed' | 'pending' | 'failed' | 'succeeded';
export type ItemCondition = 'resellable' | 'damaged';

export interface ReturnsTable {
  id: string;
  order_id: string;
  member_id: string | null;
  exchange_id: string | null;
  status: ReturnStatus;
  channel: string;
  /** Where the goods are to be received (a store counter, or where an online return is sent). */
  location: string;
  /** Where they were received (any store or warehouse). */
  received_location: string | null;
  reason: string;
  /** The condition stated when asked; each line's graded condition at receipt is on return_lines. */
  condition: ItemCondition;
  client_request_id: string | null;
  /** What the returned units cost in money (fen). */
  money_value: number;
  /** What the returned units cost in points, as fen; given back as points. */
  points_value: number;
  /** Part of money_value spent on an exchange's replacement instead of refunded. */
  credit_amount: number;
  /** money_value − credit_amount: what goes back to the original payment. */
  refund_amount: number;
  refund_status: ReturnRefundStatus;
  refund_attempts: number;
  refund_last_error: string | null;
  /** JSON: what loyalty reversed (points taken back, points given back, coupons restored). */
  loyalty: string | null;
  requested_by: string;
  received_by: string | null;
  created_at: string;
  updated_at: string;
  received_at: string | null;
  refunded_at: string | null;
  /** JSON array of https URLs: the customer's photos of the goods. */
  photos: string;
  /** How the goods come back: brought to `location` (a store), or by courier to `location`. */
  method: ReturnMethod;
  /** A courier return: collected from the customer (`pickup`) or dropped at a courier point (`drop_off`). */
  courier_mode: CourierMode | null;
  /** The local day (YYYY-MM-DD) she wants a courier pickup. */
  pickup_day: string | null;
  /** Encrypted JSON of where the courier collects: {city, line1, name, phone}. */
  pickup_address: string | null;
  carrier: string | null;
  tracking_number: string | null;
  /** When the parcel's tracking number was recorded. */
  shipped_at: string | null;
}

export type ReturnMethod = 'store' | 'courier';
export type CourierMode = 'pickup' | 'drop_off';

export interface ReturnLinesTable {
  return_id: string;
  order_id: string;
  line_no: number;
  sku: string;
  quantity: number;
  /** Graded at receipt; null before. */
  condition: ItemCondition | null;
  money_amount: number;
  points_amount: number;
}

export interface ReturnLineTotalsTable {
  order_id: string;
  line_no: number;
  sku: string;
  quantity: number;
  /** The line's paid amount minus its points part: the most its returns can refund in money. */
  money_total: number;
  points_total: number;
  /** Units claimed by requested and received returns (a cancelled return gives its units back). */
  returned_quantity: number;
  received_quantity: number;
  refunded_money: number;
  refunded_points: number;
  updated_at: string;
}

export interface ExchangesTable {
  id: string;
  order_id: string;
  return_id: string;
  replacement_order_id: string;
  channel: string;
  location: string;
  credit_amount: number;
  refund_amount: number;
  payable_amount: number;
  /** 1 once the credit went back to the original payment because the replacement was cancelled. */
  credit_refunded: number;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface ServiceSlotsTable {
  id: string;
  store: string;
  service: ServiceKind;
  starts_at: string;
  ends_at: string;
  /** The store's calendar day (brand time zone) of starts_at. */
  local_day: string;
  capacity: number;
  booked: number;
  created_at: string;
  updated_at: string;
}

export type AppointmentStatus = 'booked' | 'cancelled';

export interface AppointmentsTable {
  id: string;
  slot_id: string;
  store: string;
  service: ServiceKind;
  starts_at: string;
  ends_at: string;
  local_day: string;
  member_id: string;
  channel: string;
  note: string | null;
  status: AppointmentStatus;
  booked_by: string;
  created_at: string;
  updated_at: string;
  cancelled_at: string | null;
  cancel_reason: string | null;
}
