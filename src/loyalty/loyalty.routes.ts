import type { FastifyInstance } from 'fastify';
import { memberInScope } from '../members/index.js';
import {
  type AppContext,
  actorName,
  actorOf,
  CHANNELS,
  codeString,
  command,
  listOf,
  type Principal,
  ROLES,
  STAFF_ROLES,
} from '../platform/index.js';
import type { EarningRules } from './loyalty.rules.js';
import { getRules, listTiers, putRules, putTiers, type TierInput } from './loyalty.service.js';

export const HQ = ['admin', 'ops'] as const;
export const READERS = [...STAFF_ROLES, 'channel', 'customer'] as const;

export const strings = {
  type: 'array',
  items: codeString,
  maxItems: 500,
} as const;

const tierSchema = {
  type: 'object',
  properties: {
    code: { type: 'string' },
    name: { type: 'string' },
    rank: { type: 'integer' },
    threshold: { type: 'integer', description: 'Qualifying spend (fen, rolling 12 months, all channels)' },
    multiplier: { type: 'number', description: 'Points multiplier' },
    benefits: { type: 'array', items: { type: 'string' } },
  },
} as const;

const campaignSchema = {
  type: 'object',
  required: ['name', 'multiplier', 'from', 'to'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 100 },
    multiplier: { type: 'number', minimum: 0, maximum: 100 },
    from: { type: 'string', format: 'date-time' },
    to: { type: 'string', format: 'date-time' },
    channels: { type: 'array', items: { type: 'string', enum: [...CHANNELS] } },
    categories: strings,
  },
} as const;

const rulesProperties = {
  pointsPerYuan: { type: 'number', minimum: 0, maximum: 1000, description: 'Points per ¥1 paid in money' },
  channels: {
    type: 'object',
    description: 'Multiplier per channel (absent: 1)',
    additionalProperties: { type: 'number', minimum: 0, maximum: 100 },
  },
  categories: {
    type: 'object',
    description: 'Multiplier per category (absent: 1; 0 earns nothing)',
    additionalProperties: { type: 'number', minimum: 0, maximum: 100 },
  },
  campaigns: { type: 'array', maxItems: 100, items: campaignSchema },
  returnWindowSeconds: {
    type: 'integer',
    minimum: 0,
    maximum: 366 * 24 * 3600,
    description: 'Earned points stay pending this long (the return window); default 7 days',
  },
  redeemPointsPerYuan: {
    type: 'integer',
    minimum: 1,
    maximum: 100000,
    description: 'Points worth ¥1 (default 100)',
  },
  expiry: {
    type: 'object',
    required: ['mode'],
    description:
      '{mode: "year_end", years} (end of the year `years` after earning) or {mode: "after", seconds}',
    properties: {
      mode: { type: 'string', enum: ['year_end', 'after'] },
      years: { type: 'integer', minimum: 0, maximum: 10 },
      seconds: { type: 'integer', minimum: 1 },
    },
  },
  timeZone: { type: 'string', maxLength: 64 },
} as const;

const rulesSchema = { type: 'object', properties: rulesProperties } as const;

/** The member behind a path id (merges followed); a customer only reaches their own. */
export const memberFor = (ctx: AppContext, principal: Principal, requestedId: string) =>
  memberInScope(ctx.database.db, principal, requestedId);

export function registerLoyaltyRoutes(app: FastifyInstance, ctx: AppContext): void {
  const db = ctx.database.db;
  app.get(
    '/v1/loyalty/tiers',
    {
      config: { auth: { roles: ROLES } },
      schema: {
        tags: ['loyalty'],
        summary: 'The membership tiers, base first',
        response: { 200: listOf(tierSchema) },
      },
    },
    async () => ({ items: await listTiers(db) }),
  );

  app.put<{ Body: { tiers: TierInput[] } }>(
    '/v1/loyalty/tiers',
    {
      config: { auth: { roles: HQ } },
      schema: {
        tags: ['loyalty'],
        summary:
          'Replace the tiers (thresholds rise; the first starts at 0). Downgrades wait for the yearly review',
        body: {
          type: 'object',
          required: ['tiers'],
          additionalProperties: false,
          properties: {
            tiers: {
              type: 'array',
              minItems: 1,
              maxItems: 20,
              items: {
                type: 'object',
                required: ['code', 'name', 'threshold', 'multiplier'],
                additionalProperties: false,
                properties: {
                  code: { type: 'string', pattern: '^[a-z0-9_]{1,32}$' },
                  name: { type: 'string', minLength: 1, maxLength: 50 },
                  threshold: { type: 'integer', minimum: 0 },
                  multiplier: { type: 'number', minimum: 0, maximum: 100 },
                  benefits: { type: 'array', maxItems: 20, items: { type: 'string', maxLength: 200 } },
                },
              },
            },
          },
        },
        response: { 200: listOf(tierSchema) },
      },
    },
    async (request, reply) =>
      command(ctx, request, reply, 200, async (trx) => ({ items: await putTiers(trx, request.body.tiers) })),
  );

  app.get(
    '/v1/loyalty/rules',
    {
      config: { auth: { roles: [...STAFF_ROLES, 'channel'] } },
      schema: { tags: ['loyalty'], summary: 'The points earning rules', response: { 200: rulesSchema } },
    },
    async () => getRules(db),
  );

  app.put<{ Body: Partial<EarningRules> }>(
    '/v1/loyalty/rules',
    {
      config: { auth: { roles: HQ } },
      schema: {
        tags: ['loyalty'],
        summary: 'Replace the points earning rules (absent fields take their defaults)',
        body: { type: 'object', additionalProperties: false, properties: rulesProperties },
        response: { 200: rulesSchema },
      },
    },
    async (request, reply) =>
      command(ctx, request, reply, 200, (trx) => putRules(trx, request.body, actorName(actorOf(request)))),
  );
}
