import { useEffect, useState } from 'react';
import { type Answer, allOf, type Body, call, client, type QueryOf } from './client';
import type { Page } from './types';

/** Locations, products and SKUs as the console reads them, typed from /openapi.json. */
export type Location = Answer<'/v1/locations/{code}'>;
export type LocationKind = Location['kind'];
export type Sku = Answer<'/v1/skus/{code}'>;
export type Product = Answer<'/v1/products/{code}'>;
export type ProductSummary = Answer<'/v1/products'>['items'][number];

/** Every page of a list (locations of a brand are dozens to hundreds, not millions). */
export async function fetchAll<T>(
  loadPage: (cursor: string | undefined) => Promise<Page<T>>,
  maxPages = 20,
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const answer = await loadPage(cursor);
    items.push(...answer.items);
    cursor = answer.nextCursor ?? undefined;
    if (!cursor) break;
  }
  return items;
}

/** What the location list can be narrowed to: stores that hold pickups, ship online orders, deliver the same day. */
export const CAPABILITIES = allOf<NonNullable<QueryOf<'/v1/locations'>['capability']>>()([
  'pickup',
  'ship_from_store',
  'same_day',
]);

export const listLocations = (query: QueryOf<'/v1/locations'>, signal?: AbortSignal) =>
  call(client.GET('/v1/locations', { params: { query }, signal }));
export const getLocation = (code: string, signal?: AbortSignal) =>
  call(client.GET('/v1/locations/{code}', { params: { path: { code } }, signal }));
export const createLocation = (body: Body<'/v1/locations'>) => call(client.POST('/v1/locations', { body }));
export const updateLocation = (code: string, body: Body<'/v1/locations/{code}', 'patch'>) =>
  call(client.PATCH('/v1/locations/{code}', { params: { path: { code } }, body }));
export const createProduct = (body: Body<'/v1/products'>) => call(client.POST('/v1/products', { body }));

let locationsPromise: Promise<Location[]> | undefined;

/** The brand's locations, loaded once per page view; `refreshLocations` after a change. */
export function loadLocations(): Promise<Location[]> {
  locationsPromise ??= fetchAll((cursor) => listLocations({ limit: 200, cursor })).catch((error: unknown) => {
    locationsPromise = undefined;
    throw error;
  });
  return locationsPromise;
}

export function refreshLocations(): void {
  locationsPromise = undefined;
}

/**
 * The middle of the brand's locations in a city: an approximate position for an address typed without one (the
 * sourcing engine needs a point; the brand's own stores say where the city's people are). Undefined for a city the
 * brand has no location in.
 */
export function cityCentre(
  locations: readonly Location[],
  city: string,
): { lat: number; lng: number } | undefined {
  const inCity = locations.filter((l) => l.city === city);
  if (inCity.length === 0) return undefined;
  return {
    lat: inCity.reduce((s, l) => s + l.lat, 0) / inCity.length,
    lng: inCity.reduce((s, l) => s + l.lng, 0) / inCity.length,
  };
}

export function useLocations(): { locations: Location[] | undefined; error: unknown } {
  const [state, setState] = useState<{ locations: Location[] | undefined; error: unknown }>({
    locations: undefined,
    error: undefined,
  });
  useEffect(() => {
    let live = true;
    loadLocations().then(
      (locations) => live && setState({ locations, error: undefined }),
      (error: unknown) => live && setState({ locations: undefined, error }),
    );
    return () => {
      live = false;
    };
  }, []);
  return state;
}

export const searchSkus = (query: QueryOf<'/v1/skus'>, signal?: AbortSignal) =>
  call(client.GET('/v1/skus', { params: { query }, signal }));
export const searchProducts = (query: QueryOf<'/v1/products'>, signal?: AbortSignal) =>
  call(client.GET('/v1/products', { params: { query }, signal }));
export const getSku = (code: string, signal?: AbortSignal) =>
  call(client.GET('/v1/skus/{code}', { params: { path: { code } }, signal }));
export const getProduct = (code: string, signal?: AbortSignal) =>
  call(client.GET('/v1/products/{code}', { params: { path: { code } }, signal }));
