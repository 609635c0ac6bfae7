import type { FastifyInstance } from 'fastify';
import { type AppContext, CHANNELS, codeString as code, command, listOf } from '../platform/index.js';
import { getChannelPolicy, putChannelPolicy } from './availability.service.js';
import { READERS } from './inventory.routes.js';
import type { ChannelPolicy } from './inventory.rules.js';

/** Channel stock policies: which locations feed each channel's available-to-promise. */
export function registerChannelStockRoutes(app: FastifyInstance, ctx: AppContext): void {
  const db = ctx.database.db;

  const policySchema = {
    type: 'object',
    properties: {
      channel: { type: 'string' },
      locationKinds: { type: 'array', items: { type: 'string' } },
      locations: { type: ['array', 'null'], items: { type: 'string' } },
      extraSafetyStock: { type: 'integer' },
    },
  } as const;

  app.get(
    '/v1/channels/stock-policies',
    {
      config: { auth: { roles: READERS } },
      schema: {
        tags: ['inventory'],
        summary: 'Which locations feed each channel’s available-to-promise, and its extra safety stock',
        response: { 200: listOf(policySchema) },
      },
    },
    async () => ({ items: await Promise.all(CHANNELS.map((channel) => getChannelPolicy(db, channel))) }),
  );

  app.put<{
    Params: { channel: string };
    Body: Omit<ChannelPolicy, 'channel' | 'locations'> & { locations?: string[] | null };
  }>(
    '/v1/channels/:channel/stock-policy',
    {
      config: { auth: { roles: ['admin', 'ops'] } },
      schema: {
        tags: ['inventory'],
        summary: 'Set a channel’s stock policy',
        params: { type: 'object', properties: { channel: { type: 'string', enum: [...CHANNELS] } } },
        body: {
          type: 'object',
          required: ['locationKinds', 'extraSafetyStock'],
          additionalProperties: false,
          properties: {
            locationKinds: {
              type: 'array',
              minItems: 1,
              uniqueItems: true,
              items: { type: 'string', enum: ['warehouse', 'store'] },
            },
            locations: { type: ['array', 'null'], items: code },
            extraSafetyStock: { type: 'integer', minimum: 0, maximum: 1_000_000 },
          },
        },
        response: { 200: policySchema },
      },
    },
    async (request, reply) =>
      command(ctx, request, reply, 200, (trx) =>
        putChannelPolicy(trx, {
          channel: request.params.channel,
          ...request.body,
          locations: request.body.locations ?? null,
        }),
      ),
  );
}
