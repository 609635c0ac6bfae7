import { useEffect, useState } from 'react';
import { api, type Query, seg } from './client';
import type { Location, Page, Product, Sku } from './types';

/** Every page of a list (locations of a brand are dozens to hundreds, not millions). */
export async function fetchAll<T>(path: string, query: Query = {}, maxPages = 20): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < maxPages; page++) {
    const answer: Page<T> = await api.get<Page<T>>(path, { ...query, limit: 200, cursor });
    items.push(...answer.items);
    cursor = answer.nextCursor;
    if (!cursor) break;
  }
  return items;
}

let locationsPromise: Promise<Location[]> | undefined;

/** The brand's locations, loaded once per page view; `refreshLocations` after a change. */
export function loadLocations(): Promise<Location[]> {
  locationsPromise ??= fetchAll<Location>('/v1/locations').catch((error: unknown) => {
    locationsPromise = undefined;
    throw error;
  });
  return locationsPromise;
}

export function refreshLocations(): void {
  locationsPromise = undefined;
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

export const searchSkus = (q: string, limit = 20) => api.get<Page<Sku>>('/v1/skus', { q, limit });
export const searchProducts = (q: string, limit = 20) => api.get<Page<Product>>('/v1/products', { q, limit });
export const getSku = (code: string) => api.get<Sku>(`/v1/skus/${seg(code)}`);
export const getProduct = (code: string) => api.get<Product>(`/v1/products/${seg(code)}`);
