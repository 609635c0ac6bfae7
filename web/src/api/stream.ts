import { useEffect, useRef, useState } from 'react';
import { readSession } from '../auth/session';

export type StreamStatus = 'connecting' | 'open' | 'closed';

export interface StreamMessage<T = unknown> {
  id: string;
  type: string;
  data: T;
}

/**
 * Follows `/v1/stream` for some topics and event types. EventSource reconnects by itself and sends
 * Last-Event-ID, so no event is missed across a dropped connection; the server filters by the caller's store.
 */
export function useStream(
  topics: string[],
  types: string[],
  onMessage: (message: StreamMessage) => void,
  enabled = true,
): StreamStatus {
  const [status, setStatus] = useState<StreamStatus>('connecting');
  const handler = useRef(onMessage);
  handler.current = onMessage;
  const topicKey = topics.join(',');
  const typeKey = types.join(',');

  useEffect(() => {
    const session = readSession();
    if (!enabled || !session) {
      setStatus('closed');
      return;
    }
    const params = new URLSearchParams({ token: session.token });
    if (topicKey) params.set('topics', topicKey);
    const source = new EventSource(`/v1/stream?${params.toString()}`);
    setStatus('connecting');
    source.onopen = () => setStatus('open');
    source.onerror = () => setStatus(source.readyState === EventSource.CLOSED ? 'closed' : 'connecting');
    const listener = (event: MessageEvent<string>) => {
      try {
        handler.current({ id: event.lastEventId, type: event.type, data: JSON.parse(event.data) });
      } catch {
        // A malformed event is skipped; the next one carries the whole current state again.
      }
    };
    const typeList = typeKey ? typeKey.split(',') : [];
    for (const type of typeList) source.addEventListener(type, listener);
    return () => {
      for (const type of typeList) source.removeEventListener(type, listener);
      source.close();
    };
  }, [topicKey, typeKey, enabled]);

  return status;
}
