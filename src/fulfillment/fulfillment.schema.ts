import type { FulfillmentStatus } from './lifecycle.rules.js';
import type { FulfillmentGroupType } from './sourcing.config.js';

/** The groups an order is fulfilled in, their lines and transfers, and each location's daily load. */
export interface FulfillmentTables {
  fulfillments: FulfillmentsTable;
  fulfillment_lines: FulfillmentLinesTable;
  fulfillment_transfers: FulfillmentTransfersTable;
  fulfillment_daily_load: FulfillmentDailyLoadTable;
}

export interface FulfillmentsTable {
  id: string;
  order_id: string;
  location: string;
  type: FulfillmentGroupType;
  status: FulfillmentStatus;
  reservation_id: string | null;
  pickup_code: string | null;
  ready_by: string | null;
  ready_at: string | null;
  pickup_deadline: string | null;
  carrier: string | null;
  tracking_number: string | null;
  /** JSON array of locations that rejected (or timed out on) this order's group: re-sourcing skips them. */
  rejected_by: string;
  local_day: string;
  created_at: string;
  updated_at: string;
}

export interface FulfillmentLinesTable {
  fulfillment_id: string;
  sku: string;
  quantity: number;
}

export interface FulfillmentTransfersTable {
  transfer_id: string;
  fulfillment_id: string;
  from_location: string;
  sku: string;
  quantity: number;
  received: number;
  reservation_id: string | null;
}

export interface FulfillmentDailyLoadTable {
  local_day: string;
  location: string;
  shard: number;
  groups: number;
}
