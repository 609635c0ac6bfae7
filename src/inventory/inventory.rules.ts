// Pure decisions of the inventory hub: no I/O. The database enforces the same invariants again (conditional
// updates, CHECK constraints); these functions decide what to ask of it and explain the answer.

import type { TransferStatus } from './inventory.schema.js';

/** Why on hand changed (DOMAIN.md: every change of on hand is a ledger row with its reason). */
export const MOVEMENT_REASONS = [
  'receipt',
  'count',
  'sale',
  'return',
  'transfer_out',
  'transfer_in',
  'damage',
  'adjustment',
] as const;
export type MovementReason = (typeof MOVEMENT_REASONS)[number];

/** Reasons an outside system (ERP, RFID, POS sync) may send in a batch; transfers and counts have their own flows. */
export const ADJUSTMENT_REASONS = [
  'receipt',
  'sale',
  'return',
  'damage',
  'adjustment',
] as const satisfies readonly MovementReason[];

export interface LevelQuantities {
  onHand: number;
  reserved: number;
  safetyStock: number;
}

/** 可售 / ATP: on hand − reserved − safety stock, never below zero. */
export function availableOf(level: LevelQuantities): number {
  return Math.max(0, level.onHand - level.reserved - level.safetyStock);
}

export interface StockLine {
  sku: string;
  location: string;
  quantity: number;
}

export function levelKey(sku: string, location: string): string {
  return `${sku}\u0000${location}`;
}

/**
 * One line per (sku, location), sorted by sku then location. Every multi-row change touches rows in this order,
 * so that two transactions on PostgreSQL always lock in the same order and cannot deadlock.
 */
export function normaliseLines(lines: readonly StockLine[]): StockLine[] {
  const merged = new Map<string, StockLine>();
  for (const line of lines) {
    const key = levelKey(line.sku, line.location);
    const existing = merged.get(key);
    if (existing) existing.quantity += line.quantity;
    else merged.set(key, { sku: line.sku, location: line.location, quantity: line.quantity });
  }
  return [...merged.values()].sort(compareLevels);
}

export function compareLevels(
  a: { sku: string; location: string },
  b: { sku: string; location: string },
): number {
  if (a.sku !== b.sku) return a.sku < b.sku ? -1 : 1;
  if (a.location !== b.location) return a.location < b.location ? -1 : 1;
  return 0;
}

export type TransferMove = 'accept' | 'decline' | 'ship' | 'receive' | 'cancel';

const TRANSFER_MOVES: Record<TransferMove, { from: readonly TransferStatus[]; to: TransferStatus }> = {
  accept: { from: ['awaiting_source'], to: 'requested' },
  decline: { from: ['awaiting_source'], to: 'declined' },
  ship: { from: ['requested'], to: 'in_transit' },
  receive: { from: ['in_transit'], to: 'received' },
  cancel: { from: ['awaiting_source', 'requested'], to: 'cancelled' },
};

/** The status a transfer moves to, or undefined when the move is not allowed from `status`. */
export function nextTransferStatus(status: TransferStatus, move: TransferMove): TransferStatus | undefined {
  const rule = TRANSFER_MOVES[move];
  return rule.from.includes(status) ? rule.to : undefined;
}

/**
 * A store's staff asking another store for its stock make a request that the source accepts (or HQ does on its
 * behalf): the source's units are not theirs to reserve. HQ, and a store sending its own stock, reserve at once.
 */
export function transferStartsAs(
  requesterStore: string | null,
  from: string,
): 'requested' | 'awaiting_source' {
  return requesterStore !== null && requesterStore !== from ? 'awaiting_source' : 'requested';
}

/** The location whose staff may make a move: the source accepts, declines and ships; the destination receives. */
export function transferMoverOf(
  transfer: { from: string; to: string; status: TransferStatus },
  move: TransferMove,
): 'from' | 'to' | 'either' {
  if (move === 'receive') return 'to';
  // The store that asked may withdraw its request before the source has answered it.
  if (move === 'cancel' && transfer.status === 'awaiting_source') return 'either';
  return 'from';
}

/** Whether the source's units are held for this transfer (released when it is cancelled). */
export function transferHoldsStock(status: TransferStatus): boolean {
  return status === 'requested';
}

export interface ChannelPolicy {
  channel: string;
  locationKinds: ('warehouse' | 'store')[];
  /** When set, only these locations feed the channel. */
  locations: string[] | null;
  /** Units each location additionally keeps back from this channel. */
  extraSafetyStock: number;
  /** Units one line of an order may take, and one order in all: a call cannot tie up a warehouse's stock. */
  maxLineQuantity: number;
  maxOrderQuantity: number;
}

/**
 * What one order may take by default: a customer's own channels a handful per item (a gift, a refill for the
 * family), the store's till and the guide's workbench enough for a corporate or event purchase.
 */
export const DEFAULT_ORDER_LIMITS: Record<string, { maxLineQuantity: number; maxOrderQuantity: number }> = {
  online: { maxLineQuantity: 10, maxOrderQuantity: 50 },
  mini_program: { maxLineQuantity: 10, maxOrderQuantity: 50 },
  marketplace: { maxLineQuantity: 10, maxOrderQuantity: 50 },
  live: { maxLineQuantity: 5, maxOrderQuantity: 20 },
  pos: { maxLineQuantity: 99, maxOrderQuantity: 500 },
  wecom: { maxLineQuantity: 99, maxOrderQuantity: 500 },
};

/** The first way `lines` break the channel's limits (a line over its limit, or the order over its total), if any. */
export function orderLimitBreach(
  lines: readonly { sku: string; quantity: number }[],
  policy: Pick<ChannelPolicy, 'maxLineQuantity' | 'maxOrderQuantity'>,
): { path: string; limit: number; quantity: number; sku?: string } | undefined {
  const perSku = new Map<string, number>();
  for (const line of lines) perSku.set(line.sku, (perSku.get(line.sku) ?? 0) + line.quantity);
  const index = lines.findIndex((line) => (perSku.get(line.sku) ?? 0) > policy.maxLineQuantity);
  if (index !== -1) {
    const sku = lines[index]!.sku;
    return {
      path: `lines[${index}].quantity`,
      limit: policy.maxLineQuantity,
      quantity: perSku.get(sku)!,
      sku,
    };
  }
  const total = lines.reduce((sum, line) => sum + line.quantity, 0);
  if (total > policy.maxOrderQuantity)
    return { path: 'lines', limit: policy.maxOrderQuantity, quantity: total };
  return undefined;
}

/**
 * Which locations feed a channel's available-to-promise by default: the marketplace sees the warehouses only
 * (a Tmall order must not strip a store's shelf); everything else sees warehouses and stores.
 */
export function defaultChannelPolicy(channel: string): ChannelPolicy {
  const limits = DEFAULT_ORDER_LIMITS[channel] ?? { maxLineQuantity: 10, maxOrderQuantity: 50 };
  if (channel === 'marketplace')
    return { channel, locationKinds: ['warehouse'], locations: null, extraSafetyStock: 0, ...limits };
  return { channel, locationKinds: ['warehouse', 'store'], locations: null, extraSafetyStock: 0, ...limits };
}

/** A level's contribution to a channel's available-to-promise. */
export function channelAvailable(
  level: LevelQuantities & { location: string },
  kind: 'warehouse' | 'store' | undefined,
  policy: ChannelPolicy,
): number {
  if (kind === undefined || !policy.locationKinds.includes(kind)) return 0;
  if (policy.locations !== null && !policy.locations.includes(level.location)) return 0;
  return Math.max(0, availableOf(level) - policy.extraSafetyStock);
}
