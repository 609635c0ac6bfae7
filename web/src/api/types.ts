import type { Answer } from './client';

/**
 * The API's shapes the console reads (camelCase, money in integer fen, times ISO 8601 UTC), named from the
 * generated `schema.d.ts`: none is written here by hand, so a field the server renames breaks the build, not a
 * screen.
 */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type Location = Answer<'/v1/locations/{code}'>;
export type LocationKind = Location['kind'];
export type Sku = Answer<'/v1/skus/{code}'>;
export type Product = Answer<'/v1/products/{code}'>;
export type SkuInventory = Answer<'/v1/inventory/{sku}'>;
export type StockLevel = SkuInventory['levels'][number];
export type Movement = Answer<'/v1/inventory/{sku}/{location}/movements'>['items'][number];
export type Transfer = Answer<'/v1/transfers/{id}'>;
export type TransferStatus = Transfer['status'];
export type NearbyStock = Answer<'/v1/inventory/{sku}/nearby'>['items'][number];
export type Member = Answer<'/v1/members/{id}'>;
export type MergeRecord = Answer<'/v1/members/{id}/merges'>['items'][number];
export type IdentityReview = Answer<'/v1/identity/reviews'>['items'][number];

/** `inventory.level_changed` as the live stream delivers it (an event, not an HTTP answer). */
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
