import type { AppModule } from '../platform/index.js';
import { registerLocationRoutes } from './locations.routes.js';

/**
 * Reads other contexts use (each takes a transaction too): a location or undefined; a location or
 * LOCATION.NOT_FOUND; every location (by kind, city, only active), unpaginated since a brand's network is small.
 */
export type { Location, NewLocation } from './locations.contract.js';
/** Errors other contexts may expect from this one (LOCATION.NOT_FOUND, LOCATION.CODE_TAKEN). */
export { LocationErrors } from './locations.errors.js';
/** The kinds of location and the capabilities a list filters on. */
export {
  CAPABILITY_FILTERS,
  type CapabilityFilter,
  LOCATION_KINDS,
  type LocationKind,
} from './locations.rules.js';
export type { LocationTables } from './locations.schema.js';
/** The demo brand's warehouses and stores; seeding is idempotent. */
export { DEMO_LOCATIONS, seedLocations } from './locations.seed.js';
export { getLocation, type LocationFilter, listLocations, requireLocation } from './locations.service.js';

/** Warehouses and stores: where they are, what they can do, how much they can fulfil. */
export const locationsModule: AppModule = {
  name: 'locations',
  routes: registerLocationRoutes,
};
