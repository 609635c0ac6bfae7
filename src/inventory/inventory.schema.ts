import type { Generated } from 'kysely';
import type { MovementReason } from './inventory.rules.js';

export interface InventoryTables {
  stock_levels: StockLevelsTable;
  stock_movements: StockMovementsTable;
  reservations: ReservationsTable;
  reservation_lines: ReservationLinesTable;
  transfers: TransfersTable;
  channel_stock_policies: ChannelStockPoliciesTable;
  stock_adjustment_batches: StockAdjustmentBatchesTable;
}

export interface StockLevelsTable {
  sku: string;
  location: string;
  on_hand: number;
  reserved: number;
  safety_stock: number;
  in_transit: number;
  /** Damaged units (returns graded damaged) held apart: physically here, not on hand, not sellable. */
  quarantined: Generated<number>;
  updated_at: string;
}

export interface StockMovementsTable {
  seq: Generated<number>;
  sku: string;
  location: string;
  delta: number;
  on_hand_after: number;
  reason: MovementReason;
  source_type: string;
  source_id: string | null;
  note: string | null;
  actor: string | null;
  occurred_at: string;
}

export const RESERVATION_STATUSES = ['active', 'committed', 'released', 'expired'] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];

export interface ReservationsTable {
  id: string;
  status: ReservationStatus;
  reference: string | null;
  expires_at: string;
  created_at: string;
  ended_at: string | null;
}

export interface ReservationLinesTable {
  reservation_id: string;
  line_no: number;
  sku: string;
  location: string;
  quantity: number;
}

// awaiting_source: a store asked another store for stock; nothing is reserved until the source accepts.
export const TRANSFER_STATUSES = [
  'awaiting_source',
  'requested',
  'in_transit',
  'received',
  'cancelled',
  'declined',
] as const;
export type TransferStatus = (typeof TRANSFER_STATUSES)[number];

export interface TransfersTable {
  id: string;
  sku: string;
  from_location: string;
  to_location: string;
  quantity: number;
  status: TransferStatus;
  reference: string | null;
  created_at: string;
  shipped_at: string | null;
  received_at: string | null;
  updated_at: string;
}

export interface ChannelStockPoliciesTable {
  channel: string;
  /** JSON array of location kinds that feed the channel's available-to-promise. */
  location_kinds: string;
  /** JSON array of location codes, or null for every location of those kinds. */
  locations: string | null;
  extra_safety_stock: number;
  /** Units one line / one order of the channel may take; null: the channel's default. */
  max_line_quantity: number | null;
  max_order_quantity: number | null;
  updated_at: string;
}

export interface StockAdjustmentBatchesTable {
  batch_id: string;
  request_hash: string;
  created_at: string;
}
