import { type Api, type AppContext, CHANNELS, command, listOf } from '../platform/index.js';
import { forgetChannelPolicies, getChannelPolicy, putChannelPolicy } from './availability.service.js';
import { ChannelParams, ChannelStockPolicy, NewChannelStockPolicy } from './inventory.contract.js';
import { READERS } from './inventory.routes.js';
import { defaultChannelPolicy } from './inventory.rules.js';

/** Channel stock policies: which locations feed each channel's available-to-promise. */
export function registerChannelStockRoutes(app: Api, ctx: AppContext): void {
  const db = ctx.database.db;

  app.get(
    '/v1/channels/stock-policies',
    {
      config: { auth: { roles: READERS } },
      schema: {
        tags: ['inventory'],
        summary: 'Which locations feed each channel’s available-to-promise, and its extra safety stock',
        response: { 200: listOf(ChannelStockPolicy) },
      },
    },
    async () => ({ items: await Promise.all(CHANNELS.map((channel) => getChannelPolicy(db, channel))) }),
  );

  app.put(
    '/v1/channels/:channel/stock-policy',
    {
      config: { auth: { roles: ['admin', 'ops'] } },
      schema: {
        tags: ['inventory'],
        summary: 'Set a channel’s stock policy',
        params: ChannelParams,
        body: NewChannelStockPolicy,
        response: { 200: ChannelStockPolicy },
      },
    },
    async (request, reply) => {
      try {
        return await command(ctx, request, reply, 200, (trx) =>
          putChannelPolicy(trx, {
            ...defaultChannelPolicy(request.params.channel),
            ...request.body,
            channel: request.params.channel,
            locations: request.body.locations ?? null,
          }),
        );
      } finally {
        // Committed or not: an order of the same SQLite batch may have read it before it was rolled back.
        forgetChannelPolicies(ctx.database);
      }
    },
  );
}
