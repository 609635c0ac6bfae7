import { useEffect, useState } from 'react';
import { type Answer, type Body, call, client } from './client';

/** The brand's dictionary of its catalog (categories, attributes and their values, named per language). */
export type Dictionary = Answer<'/v1/catalog/dictionary'>;
export type CategoryEntry = Dictionary['categories'][number];
export type AttributeEntry = Dictionary['attributes'][number];
export type Names = AttributeEntry['names'];
export type CategoryNames = Body<'/v1/catalog/categories/{code}', 'put'>;
export type AttributeNames = Body<'/v1/catalog/attributes/{code}', 'put'>;

export const getDictionary = (signal?: AbortSignal) => call(client.GET('/v1/catalog/dictionary', { signal }));
export const nameCategory = (code: string, body: CategoryNames) =>
  call(client.PUT('/v1/catalog/categories/{code}', { params: { path: { code } }, body }));
export const nameAttribute = (code: string, body: AttributeNames) =>
  call(client.PUT('/v1/catalog/attributes/{code}', { params: { path: { code } }, body }));

/** Something loaded once per page view and shared by every screen that needs it; `refresh` after a change. */
function shared<T>(load: () => Promise<T>) {
  let promise: Promise<T> | undefined;
  const listeners = new Set<() => void>();
  return {
    get(): Promise<T> {
      promise ??= load().catch((error: unknown) => {
        promise = undefined;
        throw error;
      });
      return promise;
    },
    refresh(): void {
      promise = undefined;
      for (const listener of listeners) listener();
    },
    listen(listener: () => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

const dictionary = shared(() => getDictionary());
/** The membership tiers (the same call as loyalty's getTiers, not imported: this module loads on many screens). */
export type Tier = Answer<'/v1/loyalty/tiers'>['items'][number];
const tiers = shared(async () => (await call(client.GET('/v1/loyalty/tiers', {}))).items);

function useShared<T>(source: ReturnType<typeof shared<T>>): T | undefined {
  const [state, setState] = useState<T>();
  const [version, setVersion] = useState(0);
  useEffect(() => source.listen(() => setVersion((v) => v + 1)), [source]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a refresh (version) loads again.
  useEffect(() => {
    let live = true;
    source.get().then(
      (value) => live && setState(value),
      () => undefined, // without it, codes show as they are: never an error on a screen for a name
    );
    return () => {
      live = false;
    };
  }, [source, version]);
  return state;
}

/** Reload the dictionary everywhere (after HQ named something). */
export const refreshDictionary = () => dictionary.refresh();

export function useDictionary(): Dictionary | undefined {
  return useShared(dictionary);
}

/** The membership tiers (their names for codes in coupon rules and member views), loaded once per page view. */
export function useTierList(): Tier[] | undefined {
  return useShared(tiers);
}
