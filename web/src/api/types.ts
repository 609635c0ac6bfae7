/** The API's shapes as the console reads them (camelCase, money in integer fen, times ISO 8601 UTC). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type LocationKind = 'warehouse' | 'store';

export interface Location {
  code: string;
  name: string;
  kind: LocationKind;
  city: string;
  address?: string | null;
  lat: number;
  lng: number;
  capabilities?: { pickup?: boolean; shipFromStore?: boolean; sameDayRadiusKm?: number | null };
  dailyCapacity?: number | null;
  priorityTier?: number;
  active?: boolean;
  createdAt?: string;
  updatedAt?: string;
}

export interface Sku {
  code: string;
  productCode: string;
  name: string;
  price: number;
  barcode?: string | null;
  attributes?: Record<string, string | number | boolean>;
}

export interface Product {
  code: string;
  name: string;
  category: string;
  description?: string | null;
  skuCount?: number;
  skus?: Sku[];
  createdAt?: string;
}

export interface StockLevel {
  location: string;
  onHand: number;
  reserved: number;
  safetyStock: number;
  inTransit: number;
  available: number;
  updatedAt?: string;
}

export interface SkuInventory {
  sku: string;
  available: number;
  levels: StockLevel[];
}

export interface LevelChanged {
  sku: string;
  location: string;
  onHand: number;
  reserved: number;
  safetyStock: number;
  inTransit?: number;
  available: number;
  occurredAt: string;
}

export interface Movement {
  id: number;
  sku: string;
  location: string;
  delta: number;
  onHandAfter?: number;
  reason: string;
  source?: { type: string; id: string | null };
  note?: string | null;
  actor?: string | null;
  occurredAt: string;
}

export type TransferStatus = 'requested' | 'in_transit' | 'received' | 'cancelled';

export interface Transfer {
  id: string;
  sku: string;
  from: string;
  to: string;
  quantity: number;
  status: TransferStatus;
  createdAt?: string;
  shippedAt?: string | null;
  receivedAt?: string | null;
}

export interface NearbyStock {
  location: string;
  name?: string;
  city?: string;
  pickup?: boolean;
  distanceKm: number;
  available: number;
}

export interface MemberIdentifier {
  type: string;
  value: string;
  verified?: boolean;
  appId?: string | null;
}

export interface Member {
  id: string;
  status?: string;
  identifiers?: MemberIdentifier[];
  traits?: Record<string, unknown>;
  tier?: string | { code?: string; name?: string } | null;
  points?: { available: number; pending: number };
  consents?: { purpose: string; granted: boolean; channel?: string | null; recordedAt?: string | null }[];
  recentOrders?: {
    id: string;
    channel: string;
    status: string;
    payableAmount?: number;
    createdAt?: string;
  }[];
  experiences?: {
    id?: string;
    sku: string;
    kind: string;
    store?: string;
    occurredAt?: string;
    createdAt?: string;
  }[];
  coupons?: { code: string; template?: string; status: string }[];
  merges?: {
    id?: string;
    mergeId?: string;
    mergedFrom?: string;
    from?: string;
    at?: string;
    mergedAt?: string;
  }[];
  createdAt?: string;
}

export interface MergeRecord {
  id: string;
  memberId: string;
  mergedFrom: string;
  reason?: string | null;
  reviewId?: string | null;
  actor?: string | null;
  createdAt: string;
  undoneAt?: string | null;
}

export interface IdentityReview {
  id: string;
  status: 'pending' | 'merged' | 'rejected' | string;
  reason: string;
  memberIds: string[];
  identifiers?: { type: string; appId?: string; masked: string }[];
  channel?: string;
  createdAt?: string;
  decidedAt?: string | null;
}
