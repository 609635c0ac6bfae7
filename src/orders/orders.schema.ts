import type { ColumnType, Generated } from 'kysely';
import type { Channel } from '../platform/index.js';
import type { OrderStatus } from './orders.rules.js';
import type { TimelineCode } from './orders.timeline.js';
import type { OrderFulfillmentInput } from './place.rules.js';

/** Orders, their lines and their timeline (the fulfillment groups' tables are fulfillment's). */
export interface OrdersTables {
  orders: OrdersTable;
  order_lines: OrderLinesTable;
  order_timeline: OrderTimelineTable;
  cart_lines: CartLinesTable;
}

export interface OrdersTable {
  id: string;
  channel: Channel;
  external_id: string | null;
  request_hash: string;
  store_code: string | null;
  guide: string | null;
  member_id: string | null;
  status: OrderStatus;
  fulfillment_type: OrderFulfillmentInput['type'];
  fulfillment_store: string | null;
  /** A delivery booked for a day (the brand's calendar day it should arrive); null: as soon as possible. */
  scheduled_date: string | null;
  address_city: string | null;
  address_lat: number | null;
  address_lng: number | null;
  address_private: string | null;
  total_amount: number;
  discount_amount: number;
  points_amount: number;
  points_redeemed: number;
  payable_amount: number;
  paid_amount: number;
  /** JSON array of coupon codes applied. */
  coupon_codes: string;
  /** JSON: the fulfillment plan with its explanation, as decided when the order was placed. */
  plan: string;
  expires_at: string;
  /** The brand's calendar day of placing (daily capacity and "today" reports). */
  local_day: string;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
  cancelled_at: string | null;
  cancel_reason: string | null;
  /** The import that brought this order in as history (no stock moved, no points, no messages); null when live. */
  imported_by: ColumnType<string | null, string | null | undefined, never>;
}

export interface OrderLinesTable {
  order_id: string;
  line_no: number;
  sku: string;
  name: string;
  category: string;
  quantity: number;
  unit_price: number;
  line_amount: number;
  discount_amount: number;
  points_amount: number;
  paid_amount: number;
  cancelled_quantity: Generated<number>;
}

export interface OrderTimelineTable {
  seq: Generated<number>;
  order_id: string;
  at: string;
  kind: string;
  from_status: OrderStatus | null;
  to_status: OrderStatus | null;
  message: string;
  actor: string | null;
  data: string | null;
  /** What happened, as a code of orders.timeline.ts (null before codes were kept). */
  code: TimelineCode | null;
  /** The code's parameters, JSON. */
  params: string | null;
}

/** A line of her cart (购物车): what she means to buy, kept across devices and logins. */
export interface CartLinesTable {
  id: string;
  member_id: string;
  sku: string;
  quantity: number;
  /** The store whose shelf code she scanned to add it, when she did. */
  store: string | null;
  added_at: string;
  updated_at: string;
}
