import type { FastifyInstance } from 'fastify';
import { isStoreScoped } from '../auth/principal.js';
import { RequestErrors } from '../errors.js';
import type { AppContext } from '../http/context.js';
import type { PublishedEvent } from './outbox.js';

const HEARTBEAT_MS = 15_000;
// A client that reads slower than we write gets cut off here; it resumes with Last-Event-ID.
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

/**
 * `GET /v1/stream`: Server-Sent Events of everything the caller may see. With `Last-Event-ID` (header, or
 * `lastEventId` in the query) the client first receives every event after that id from the outbox, then the
 * live ones, with none missing and none twice; the id is the event's global position.
 */
export function registerStreamRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/v1/stream',
    {
      config: { auth: { roles: ['admin', 'ops', 'store_manager', 'guide', 'channel'], queryToken: true } },
      schema: {
        tags: ['events'],
        summary: 'Live events (Server-Sent Events), resumable with Last-Event-ID',
        response: {
          200: {
            description: 'An endless stream of events, one per `id:`/`event:`/`data:` block',
            content: {
              'text/event-stream': {
                schema: {
                  type: 'string',
                  description: 'id: <position>\nevent: <type>\ndata: <event JSON>\n\n …',
                },
              },
            },
          },
        },
        description:
          "Each event: `id: <position>`, `event: <type>`, `data: <json>`. Topics are contexts: inventory, orders, fulfillment, members, loyalty, aftersales. Store managers and guides receive only their own store's events.",
        querystring: {
          type: 'object',
          properties: {
            topics: {
              type: 'string',
              description: 'Comma-separated topics; all when absent',
              pattern: '^[a-z_]+(,[a-z_]+)*$',
            },
            lastEventId: {
              type: 'string',
              pattern: '^\\d+$',
              description: 'Resume after this id (same as the Last-Event-ID header)',
            },
            token: { type: 'string', description: 'The bearer token, for clients that cannot send headers' },
          },
        },
      },
    },
    async (request, reply) => {
      const query = request.query as { topics?: string; lastEventId?: string };
      const topics = query.topics ? query.topics.split(',') : undefined;
      const location = isStoreScoped(request.principal) ? request.principal.storeCode : undefined;
      const header = request.headers['last-event-id'];
      const resumeRaw = typeof header === 'string' && header !== '' ? header : query.lastEventId;
      if (resumeRaw !== undefined && !/^\d+$/.test(resumeRaw)) {
        throw RequestErrors.invalid('Last-Event-ID must be an event id from this stream', {
          errors: [{ path: 'headers.last-event-id', message: 'must be a whole number' }],
        });
      }

      const matches = (event: PublishedEvent) =>
        (topics === undefined || topics.includes(event.topic)) &&
        (location === undefined || event.location === location);

      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
        'x-request-id': request.id,
      });
      res.write('retry: 2000\n\n');

      let lastSent = resumeRaw !== undefined ? Number(resumeRaw) : ctx.dispatcher.position;
      let replaying = resumeRaw !== undefined;
      let closed = false;
      const pending: PublishedEvent[] = [];

      const send = (event: PublishedEvent) => {
        if (closed || event.position <= lastSent) return;
        lastSent = event.position;
        res.write(`id: ${event.position}\nevent: ${event.type}\ndata: ${JSON.stringify(event.payload)}\n\n`);
        if (res.writableLength > MAX_BUFFERED_BYTES) res.end();
      };

      // Listen first and replay second, holding live events back meanwhile: nothing falls between the two.
      const unsubscribe = ctx.dispatcher.subscribe((event) => {
        if (!matches(event)) return;
        if (replaying) pending.push(event);
        else send(event);
      });
      const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
      request.raw.on('close', () => {
        closed = true;
        unsubscribe();
        clearInterval(heartbeat);
      });

      try {
        while (replaying && !closed) {
          const batch = await ctx.dispatcher.readAfter(lastSent, { topics, location, limit: 500 });
          for (const event of batch) send(event);
          if (batch.length < 500) replaying = false;
        }
        for (const event of pending.splice(0)) send(event);
      } catch (error) {
        request.log.error({ err: error }, 'stream replay failed');
        res.end();
      }
    },
  );
}
