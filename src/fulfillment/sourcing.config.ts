import type { Channel } from '../platform/channels.js';

/*
 * The sourcing planner's configuration: what it is given (the order and the candidate locations with their
 * stock) and the rules it follows, with each channel's defaults.
 */

export type LocationKind = 'warehouse' | 'store';
export const FULFILLMENT_GROUP_TYPES = ['ship', 'pickup', 'same_day', 'carry_out'] as const;
export type FulfillmentGroupType = (typeof FULFILLMENT_GROUP_TYPES)[number];

export interface SourcingAddress {
  city: string;
  lat: number;
  lng: number;
}

/** How the customer receives the goods (API.md `fulfillment`). */
export type FulfillmentRequest =
  | { type: 'delivery'; address: SourcingAddress }
  | { type: 'pickup'; store: string }
  | { type: 'same_day'; address: SourcingAddress }
  /** The selling store is `store`, or the order's `storeCode` when absent (API.md sends none). */
  | { type: 'carry_out'; store?: string | undefined };

export interface SourcingLine {
  sku: string;
  quantity: number;
}

export interface SourcingOrder {
  channel: Channel;
  lines: readonly SourcingLine[];
  fulfillment: FulfillmentRequest;
  /** Where a pos or wecom sale happened. */
  storeCode?: string | null | undefined;
}

/** Units by SKU code: a Map or a plain object; a missing SKU is 0. */
export type StockBySku = ReadonlyMap<string, number> | Readonly<Record<string, number>>;

export interface SourcingCandidate {
  code: string;
  kind: LocationKind;
  city: string;
  lat: number;
  lng: number;
  capabilities: { pickup: boolean; shipFromStore: boolean; sameDayRadiusKm: number | null };
  /** Lower is preferred (warehouses are usually tier 1, stores tier 2). */
  priorityTier: number;
  /** Fulfillment groups the location can still take today; null = unlimited. */
  remainingCapacity: number | null;
  active: boolean;
  /** Available to promise: already net of reservations, safety stock and the channel's extra safety stock. */
  stock: StockBySku;
  /** On hand by SKU, the base of the percentage stock floor; when absent the available figure is used. */
  onHand?: StockBySku | undefined;
}

/** Criteria that order locations after "fewest locations"; the location code always breaks the last tie. */
export type SourcingTieBreaker = 'priority_tier' | 'distance' | 'warehouses_first' | 'stores_first';

/** A transfer's lead time between cities: the first band whose `upToKm` covers the distance (null = any). */
export interface TransferBand {
  upToKm: number | null;
  hours: number;
}

export interface SourcingRules {
  /** Which kinds of location may ship a delivery order (stores also need the ship-from-store capability). */
  deliveryFrom: { warehouses: boolean; stores: boolean };
  /** The most locations (groups) a delivery or same-day order may be split across; 1 = never split. */
  maxSplits: number;
  /** Whether one line's quantity may come from several locations when none holds all of it. */
  splitLines: boolean;
  tieBreakers: readonly SourcingTieBreaker[];
  /**
   * Inventory balance: a store never ships or transfers out stock that would leave it below
   * max(minUnits, ⌈minShareOfOnHand × on hand⌉) available, so walk-in customers still find the item.
   * Warehouses exist to be drained and are exempt; so is a store's own pickup or carry-out sale.
   */
  storeBalance: { minUnits: number; minShareOfOnHand: number };
  /** Pickup at a store that lacks some lines: where the missing units may come from and how long they take. */
  transfers: {
    fromWarehouses: boolean;
    fromStores: boolean;
    maxSources: number;
    sameCityHours: number;
    bands: readonly TransferBand[];
  };
  /** Time from placing to "ready for pickup" when the store holds everything. */
  pickupReadyHours: number;
  /** Nodes the exact combination search may visit before it settles for a greedy cover. */
  searchBudget: number;
}

const BASE_RULES: SourcingRules = {
  deliveryFrom: { warehouses: true, stores: true },
  maxSplits: 2,
  splitLines: true,
  tieBreakers: ['priority_tier', 'distance'],
  storeBalance: { minUnits: 1, minShareOfOnHand: 0 },
  transfers: {
    fromWarehouses: true,
    fromStores: true,
    maxSources: 2,
    sameCityHours: 24,
    bands: [
      { upToKm: 500, hours: 48 },
      { upToKm: null, hours: 72 },
    ],
  },
  pickupReadyHours: 2,
  searchBudget: 20_000,
};

/**
 * Per-channel defaults. Marketplaces and live-stream sales ship from warehouses only: their platforms hold the
 * brand to dispatch deadlines a store cannot promise during a peak, and a live-stream order is one parcel.
 */
export const DEFAULT_SOURCING_RULES: Readonly<Record<Channel, SourcingRules>> = deepFreeze({
  online: BASE_RULES,
  mini_program: BASE_RULES,
  pos: BASE_RULES,
  wecom: BASE_RULES,
  marketplace: { ...BASE_RULES, deliveryFrom: { warehouses: true, stores: false } },
  live: { ...BASE_RULES, deliveryFrom: { warehouses: true, stores: false }, maxSplits: 1 },
});

// Every request shares these objects: a caller that changed one would change every later plan.
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/** The channel's default rules with some settings replaced (nested objects are replaced whole). */
export function sourcingRulesFor(channel: Channel, overrides: Partial<SourcingRules> = {}): SourcingRules {
  return { ...DEFAULT_SOURCING_RULES[channel], ...overrides };
}
