/**
 * The API's shapes the console reads (camelCase, money in integer fen, times ISO 8601 UTC). Each is named in its
 * context's module from the generated `schema.d.ts` — none is written by hand — and gathered here for the pages.
 */
export type { Location, LocationKind, Product, Sku } from './catalog';
export type {
  LevelChanged,
  Movement,
  NearbyStock,
  SkuInventory,
  StockLevel,
  Transfer,
  TransferStatus,
} from './inventory';
export type { IdentityReview, Member, MergeRecord } from './members';

/** One page of a paged list: `{items, nextCursor}` (null on the last page). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
