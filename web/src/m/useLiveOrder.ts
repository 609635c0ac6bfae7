import { useCallback, useEffect, useRef, useState } from 'react';
import { getOrder, type Order } from '../api/orders';

/**
 * One order kept current by polling (customers have no live stream): every second while a payment is on its
 * way, every five while the order is still moving, not at all once it is completed or cancelled.
 */
export function useLiveOrder(id: string, paying: boolean) {
  const [order, setOrder] = useState<Order>();
  const [error, setError] = useState<unknown>();
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const [version, setVersion] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: version reloads on demand
  useEffect(() => {
    let live = true;
    const tick = async () => {
      try {
        const next = await getOrder(id);
        if (!live) return;
        setOrder(next);
        setError(undefined);
        const settled = next.status === 'completed' || next.status === 'cancelled';
        if (!settled) {
          const waitingForPayment = paying && next.status === 'pending_payment';
          timer.current = setTimeout(tick, waitingForPayment ? 1000 : 5000);
        }
      } catch (e) {
        if (!live) return;
        setError(e);
      }
    };
    void tick();
    return () => {
      live = false;
      clearTimeout(timer.current);
    };
  }, [id, paying, version]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { order, error, reload };
}
