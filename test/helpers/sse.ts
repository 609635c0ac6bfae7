import { request } from 'node:http';

export interface SseEvent {
  id: string;
  event: string;
  data: unknown;
}

export interface SseClient {
  events: SseEvent[];
  /** Resolves once `count` events have arrived (or rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<SseEvent[]>;
  close(): void;
}

/** A minimal EventSource over node:http, reading the stream as a browser would. */
export function connectSse(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
  return new Promise((resolve, reject) => {
    const events: SseEvent[] = [];
    const waiters: { count: number; resolve: (e: SseEvent[]) => void }[] = [];
    let buffer = '';
    const req = request(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      if (res.statusCode !== 200) {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => reject(new Error(`SSE ${res.statusCode}: ${body}`)));
        return;
      }
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end = buffer.indexOf('\n\n');
        while (end !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf('\n\n');
          const fields: Record<string, string> = {};
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) continue;
            const colon = line.indexOf(':');
            if (colon === -1) continue;
            fields[line.slice(0, colon)] = line.slice(colon + 1).replace(/^ /, '');
          }
          if (fields.data === undefined) continue;
          events.push({
            id: fields.id ?? '',
            event: fields.event ?? 'message',
            data: JSON.parse(fields.data),
          });
          for (const w of [...waiters]) {
            if (events.length >= w.count) {
              waiters.splice(waiters.indexOf(w), 1);
              w.resolve(events.slice());
            }
          }
        }
      });
      resolve({
        events,
        waitFor(count, timeoutMs = 5000) {
          if (events.length >= count) return Promise.resolve(events.slice());
          return new Promise((res2, rej2) => {
            const timer = setTimeout(
              () => rej2(new Error(`expected ${count} events, got ${events.length}`)),
              timeoutMs,
            );
            waiters.push({
              count,
              resolve: (e) => {
                clearTimeout(timer);
                res2(e);
              },
            });
          });
        },
        close: () => req.destroy(),
      });
    });
    req.on('error', (error) => {
      if ((error as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(error);
    });
    req.end();
  });
}
