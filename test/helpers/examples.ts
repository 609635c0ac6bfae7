import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';

/** One operation's answer as a test run met it: what /openapi.json shows as its example. */
export interface RecordedExample {
  operation: string;
  status: number;
  request?: unknown;
  response: unknown;
}

/** What one test app saw: an example per operation, and the problem codes each operation answered, by status. */
export interface RecordedRun {
  examples: RecordedExample[];
  problems: Record<string, Record<string, string[]>>;
}

/**
 * With `OMNILOOP_RECORD_EXAMPLES=<folder>` a test app writes the first successful JSON answer of each operation
 * it served (and the request that got it), and every problem code each operation answered, to a file in that
 * folder when it closes. `npm run api:examples` runs
 * the suite so and keeps one example per operation for the document.
 */
export function recordExamples(app: FastifyInstance, folder: string): () => void {
  const seen = new Map<string, RecordedExample>();
  const problems: RecordedRun['problems'] = {};
  app.addHook('onSend', async (request, reply, payload) => {
    const route = request.routeOptions.url;
    const type = String(reply.getHeader('content-type') ?? '');
    const documented =
      route !== undefined && (route.startsWith('/v1/') || route === '/health' || route === '/livez');
    if (!documented || typeof payload !== 'string') return;
    const operation = `${request.method} ${route.replace(/:(\w+)/g, '{$1}')}`;
    if (reply.statusCode >= 400 && type.startsWith('application/problem+json')) {
      const code = (JSON.parse(payload) as { code?: unknown }).code;
      if (typeof code !== 'string') return;
      const byStatus = problems[operation] ?? {};
      problems[operation] = byStatus;
      const codes = byStatus[reply.statusCode] ?? [];
      byStatus[reply.statusCode] = codes;
      if (!codes.includes(code)) codes.push(code);
      return;
    }
    if (reply.statusCode >= 300 || !type.startsWith('application/json') || seen.has(operation)) return;
    seen.set(operation, {
      operation,
      status: reply.statusCode,
      ...(request.body === undefined || request.body === null ? {} : { request: request.body }),
      response: JSON.parse(payload) as unknown,
    });
  });
  return () => {
    if (seen.size === 0 && Object.keys(problems).length === 0) return;
    const run: RecordedRun = { examples: [...seen.values()], problems };
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, `${randomBytes(6).toString('hex')}.json`), JSON.stringify(run));
  };
}
