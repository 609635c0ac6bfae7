import { useCallback, useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { type Fulfillment, type FulfillmentStatus, type FulfillmentType, listTasks } from '../api/orders';
import { type StreamMessage, type StreamStatus, useStream } from '../api/stream';
import { useSession } from '../auth/AuthProvider';

export const FULFILLMENT_EVENTS = [
  'fulfillment.created',
  'fulfillment.accepted',
  'fulfillment.rejected',
  'fulfillment.awaiting_transfer',
  'fulfillment.transfer_arrived',
  'fulfillment.ready_for_pickup',
  'fulfillment.shipped',
  'fulfillment.delivered',
  'fulfillment.picked_up',
  'fulfillment.cancelled',
];

/**
 * The store the workbench works for: the signed-in person's own, or `?store=` (the server refuses staff
 * another store's tasks, and the page then shows that refusal).
 */
export function useWorkbenchStore(): string {
  const session = useSession();
  const [params] = useSearchParams();
  return params.get('store') ?? session.storeCode ?? '';
}

export interface StoreTasks {
  items: Fulfillment[] | undefined;
  error: unknown;
  loading: boolean;
  stream: StreamStatus;
  reload(): void;
  replace(f: Fulfillment): void;
}

/**
 * A store's fulfillment tasks in some statuses and types, one request per status, kept current by the live
 * stream (any task of this store that moves reloads the list).
 */
export function useStoreTasks(
  store: string,
  statuses: readonly FulfillmentStatus[],
  types: readonly FulfillmentType[],
): StoreTasks {
  const [state, setState] = useState<{ items: Fulfillment[] | undefined; error: unknown; loading: boolean }>({
    items: undefined,
    error: undefined,
    loading: true,
  });
  const [version, setVersion] = useState(0);
  const statusKey = statuses.join(',');
  const typeKey = types.join(',');

  // biome-ignore lint/correctness/useExhaustiveDependencies: the keys stand for the arrays; version reloads
  useEffect(() => {
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    const wanted = new Set(typeKey.split(','));
    Promise.all(
      statusKey
        .split(',')
        .map((status) => listTasks({ location: store, status, limit: 500 }, controller.signal)),
    )
      .then((pages) => {
        const items = pages.flatMap((p) => p.items).filter((f) => wanted.has(f.type));
        setState({ items, error: undefined, loading: false });
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        setState({ items: undefined, error, loading: false });
      });
    return () => controller.abort();
  }, [store, statusKey, typeKey, version]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  const onEvent = useCallback(
    (m: StreamMessage) => {
      if ((m.data as { location?: string }).location === store) reload();
    },
    [store, reload],
  );
  const stream = useStream(['fulfillment'], FULFILLMENT_EVENTS, onEvent, !state.error);
  const replace = useCallback(
    (f: Fulfillment) => {
      setState((s) => ({ ...s, items: s.items?.map((x) => (x.id === f.id ? f : x)) }));
      reload();
    },
    [reload],
  );
  return { ...state, stream, reload, replace };
}
