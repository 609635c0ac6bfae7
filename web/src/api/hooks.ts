import { type DependencyList, useCallback, useEffect, useRef, useState } from 'react';
import { api, type Query } from './client';

export interface Resource<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload(): void;
  /** Replace the data locally (a live event, the answer of a change). */
  mutate(update: (current: T | undefined) => T | undefined): void;
}

/**
 * Loads from the API and keeps loading / error / data: `load` is one of the typed calls of `web/src/api` (null
 * waits: nothing chosen yet); it runs again when a value in `deps` changes or on `reload()`. A newer load replaces
 * an older one that is still running (the older is aborted).
 */
export function useApi<T>(
  load: ((signal: AbortSignal) => Promise<T>) | null,
  deps: DependencyList,
): Resource<T> {
  const waiting = load === null;
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({
    data: undefined,
    error: undefined,
    loading: !waiting,
  });
  const [version, setVersion] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller's deps say when `load` means a new request.
  useEffect(() => {
    const current = loadRef.current;
    if (current === null) {
      setState({ data: undefined, error: undefined, loading: false });
      return;
    }
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true, error: undefined }));
    current(controller.signal)
      .then((data) => setState({ data, error: undefined, loading: false }))
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        setState({ data: undefined, error, loading: false });
      });
    return () => controller.abort();
  }, [waiting, version, ...deps]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  const mutate = useCallback(
    (update: (current: T | undefined) => T | undefined) => setState((s) => ({ ...s, data: update(s.data) })),
    [],
  );
  return { ...state, reload, mutate };
}

// LEGACY-BEGIN
/**
 * GET a resource and keep loading / error / data; `path` null waits (nothing chosen yet). A newer request
 * replaces an older one that is still running.
 */
export function useResource<T>(path: string | null, query?: Query): Resource<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({
    data: undefined,
    error: undefined,
    loading: path !== null,
  });
  const [version, setVersion] = useState(0);
  const queryKey = JSON.stringify(query ?? {});
  const queryRef = useRef(query);
  queryRef.current = query;

  // biome-ignore lint/correctness/useExhaustiveDependencies: queryKey stands for the query; version reloads.
  useEffect(() => {
    if (path === null) {
      setState({ data: undefined, error: undefined, loading: false });
      return;
    }
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true, error: undefined }));
    api
      .get<T>(path, queryRef.current, controller.signal)
      .then((data) => setState({ data, error: undefined, loading: false }))
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        setState({ data: undefined, error, loading: false });
      });
    return () => controller.abort();
  }, [path, queryKey, version]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  const mutate = useCallback(
    (update: (current: T | undefined) => T | undefined) => setState((s) => ({ ...s, data: update(s.data) })),
    [],
  );
  return { ...state, reload, mutate };
}

let openapiPaths: Promise<Set<string>> | undefined;

/**
 * The routes this server has (from its OpenAPI document): capabilities land one by one, and a screen for one
 * that has not landed says so instead of pretending.
 */
export function serverPaths(): Promise<Set<string>> {
  openapiPaths ??= fetch('/openapi.json')
    .then((r) => (r.ok ? r.json() : { paths: {} }))
    .then((doc: { paths?: Record<string, Record<string, unknown>> }) => {
      const set = new Set<string>();
      for (const [path, methods] of Object.entries(doc.paths ?? {})) {
        for (const method of Object.keys(methods)) set.add(`${method.toUpperCase()} ${path}`);
      }
      return set;
    })
    .catch(() => {
      openapiPaths = undefined;
      return new Set<string>();
    });
  return openapiPaths;
}

/** Whether the server has `METHOD /path` (OpenAPI form, e.g. `POST /v1/orders`); undefined while asking. */
export function useHasRoute(route: string): boolean | undefined {
  const [has, setHas] = useState<boolean | undefined>(undefined);
  useEffect(() => {
    let live = true;
    serverPaths().then((paths) => {
      if (live) setHas(paths.has(route));
    });
    return () => {
      live = false;
    };
  }, [route]);
  return has;
}
