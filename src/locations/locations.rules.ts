import type { FieldError } from '../platform/index.js';

export const LOCATION_KINDS = ['warehouse', 'store'] as const;
export type LocationKind = (typeof LOCATION_KINDS)[number];

/** What `?capability=` can ask for. */
export const CAPABILITY_FILTERS = ['pickup', 'ship_from_store', 'same_day'] as const;
export type CapabilityFilter = (typeof CAPABILITY_FILTERS)[number];

export interface CapabilitiesInput {
  pickup?: boolean | undefined;
  shipFromStore?: boolean | undefined;
  sameDayRadiusKm?: number | null | undefined;
}

/**
 * A warehouse ships by nature and has no counter: pickup, ship-from-store and same-day are store capabilities.
 * Saying so for a warehouse is a mistake in the request, named field by field.
 */
export function capabilityErrors(
  kind: LocationKind,
  capabilities: CapabilitiesInput | undefined,
): FieldError[] {
  if (kind !== 'warehouse' || capabilities === undefined) return [];
  const errors: FieldError[] = [];
  if (capabilities.pickup === true) {
    errors.push({ path: 'capabilities.pickup', message: 'a warehouse cannot hold pickups' });
  }
  if (capabilities.shipFromStore === true) {
    errors.push({
      path: 'capabilities.shipFromStore',
      message: 'a warehouse ships by nature; ship-from-store is for stores',
    });
  }
  if (capabilities.sameDayRadiusKm !== undefined && capabilities.sameDayRadiusKm !== null) {
    errors.push({
      path: 'capabilities.sameDayRadiusKm',
      message: 'same-day delivery is from stores only',
    });
  }
  return errors;
}

/** `%text%` for a case-insensitive LIKE (compared with lower() on both sides), with its wildcards escaped. */
export function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
