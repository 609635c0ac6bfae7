import { type DependencyList, useCallback, useEffect, useRef, useState } from 'react';

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
  // The deps the state was loaded for: when they change, the render before the effect starts the new load must
  // not offer the old data as current (a page would act on the SKU it showed before).
  const loadedFor = useRef<DependencyList>(deps);
  const sameDeps =
    loadedFor.current.length === deps.length && deps.every((d, i) => Object.is(d, loadedFor.current[i]));

  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller's deps say when `load` means a new request.
  useEffect(() => {
    loadedFor.current = deps;
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
  return { ...state, loading: state.loading || (!sameDeps && !waiting), reload, mutate };
}
