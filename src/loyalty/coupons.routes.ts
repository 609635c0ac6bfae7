import type { FastifyInstance } from 'fastify';
import {
  type AppContext,
  actorName,
  actorOf,
  CHANNELS,
  codeParams,
  codeString,
  command,
  idParams,
  isStoreScoped,
  pageOf,
  pageQuery,
  STAFF_ROLES,
} from '../platform/index.js';
import { exchangePointsForCoupon, issueCoupon } from './coupon-issuing.service.js';
import { type CounterLine, redeemAtCounter } from './coupon-redemption.service.js';
import {
  createTemplate,
  listTemplates,
  type NewCouponTemplate,
  requireTemplate,
} from './coupon-templates.service.js';
import { couponsOfMember, requireCoupon } from './coupons.service.js';
import { HQ, memberFor, READERS, strings } from './loyalty.routes.js';
import type { CouponStatus } from './loyalty.schema.js';

const nullableStrings = { type: ['array', 'null'], items: { type: 'string' } } as const;

const templateSchema = {
  type: 'object',
  properties: {
    code: { type: 'string' },
    name: { type: 'string' },
    kind: { type: 'string' },
    value: { type: 'integer' },
    maxDiscount: { type: ['integer', 'null'] },
    minSpend: { type: 'integer' },
    channels: nullableStrings,
    stores: nullableStrings,
    skus: nullableStrings,
    categories: nullableStrings,
    tiers: nullableStrings,
    validFrom: { type: 'string' },
    validTo: { type: 'string' },
    validDays: { type: ['integer', 'null'] },
    perMemberLimit: { type: ['integer', 'null'] },
    totalLimit: { type: ['integer', 'null'] },
    issuedCount: { type: 'integer' },
    stackable: { type: 'boolean' },
    issuableInStore: { type: 'boolean' },
    pointsCost: { type: ['integer', 'null'] },
    description: { type: ['string', 'null'] },
    createdAt: { type: 'string' },
  },
} as const;

const couponSchema = {
  type: 'object',
  properties: {
    code: { type: 'string' },
    template: { type: 'string' },
    name: { type: 'string' },
    kind: { type: 'string' },
    value: { type: 'integer' },
    minSpend: { type: 'integer' },
    channels: nullableStrings,
    stores: nullableStrings,
    memberId: { type: 'string' },
    status: { type: 'string', enum: ['issued', 'redeemed', 'expired'] },
    validFrom: { type: 'string' },
    validTo: { type: 'string' },
    issuedAt: { type: 'string' },
    issuedBy: { type: 'string' },
    issuedStore: { type: ['string', 'null'] },
    orderId: { type: ['string', 'null'] },
    redeemedAt: { type: ['string', 'null'] },
    redeemedChannel: { type: ['string', 'null'] },
    redeemedStore: { type: ['string', 'null'] },
    amount: { type: ['integer', 'null'], description: 'Fen taken off when redeemed' },
  },
} as const;

export function registerCouponRoutes(app: FastifyInstance, ctx: AppContext): void {
  const db = ctx.database.db;

  app.post<{ Params: { id: string }; Body: { template: string } }>(
    '/v1/members/:id/points/exchange',
    {
      config: { auth: { roles: READERS } },
      schema: {
        tags: ['loyalty'],
        summary: 'Exchange points for a coupon of a template with a points price',
        params: idParams,
        body: {
          type: 'object',
          required: ['template'],
          additionalProperties: false,
          properties: { template: codeString },
        },
        response: {
          201: { type: 'object', properties: { coupon: couponSchema, points: { type: 'integer' } } },
        },
      },
    },
    async (request, reply) => {
      const memberId = await memberFor(ctx, request.principal, request.params.id);
      return command(ctx, request, reply, 201, (trx) =>
        exchangePointsForCoupon(trx, {
          memberId,
          template: request.body.template,
          issuedBy: actorName(actorOf(request)),
        }),
      );
    },
  );

  app.post<{ Body: NewCouponTemplate }>(
    '/v1/coupon-templates',
    {
      config: { auth: { roles: HQ } },
      schema: {
        tags: ['coupons'],
        summary: 'Create a coupon template',
        body: {
          type: 'object',
          required: ['code', 'name', 'kind', 'value', 'validFrom', 'validTo'],
          additionalProperties: false,
          properties: {
            code: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' },
            name: { type: 'string', minLength: 1, maxLength: 100 },
            kind: { type: 'string', enum: ['amount_off', 'percent_off'] },
            value: {
              type: 'integer',
              minimum: 1,
              description: 'Fen off (amount_off) or the percent taken off (percent_off, 1–99)',
            },
            maxDiscount: { type: 'integer', minimum: 1, description: 'Cap in fen for percent_off' },
            minSpend: {
              type: 'integer',
              minimum: 0,
              description: 'Fen spent on the lines the coupon covers',
            },
            channels: { type: 'array', items: { type: 'string', enum: [...CHANNELS] } },
            stores: strings,
            skus: strings,
            categories: strings,
            tiers: { ...strings, description: 'Only members of these tiers may receive it' },
            validFrom: { type: 'string', format: 'date-time' },
            validTo: { type: 'string', format: 'date-time' },
            validDays: { type: 'integer', minimum: 1, description: 'Days a coupon is valid after issue' },
            perMemberLimit: { type: 'integer', minimum: 1 },
            totalLimit: { type: 'integer', minimum: 1 },
            stackable: { type: 'boolean', default: false },
            issuableInStore: {
              type: 'boolean',
              default: false,
              description: 'Store managers and guides may issue it (e.g. the trial-exclusive coupon)',
            },
            pointsCost: {
              type: 'integer',
              minimum: 1,
              description: 'Points a member pays to exchange for one',
            },
            description: { type: 'string', maxLength: 500 },
          },
        },
        response: { 201: templateSchema },
      },
    },
    async (request, reply) => command(ctx, request, reply, 201, (trx) => createTemplate(trx, request.body)),
  );

  app.get<{ Querystring: { limit: number; cursor?: string; issuableInStore?: boolean } }>(
    '/v1/coupon-templates',
    {
      config: { auth: { roles: [...STAFF_ROLES, 'channel'] } },
      schema: {
        tags: ['coupons'],
        summary: 'Coupon templates by code',
        querystring: pageQuery({ issuableInStore: { type: 'boolean' } }),
        response: { 200: pageOf(templateSchema) },
      },
    },
    async (request) => listTemplates(db, request.query),
  );

  app.get<{ Params: { code: string } }>(
    '/v1/coupon-templates/:code',
    {
      config: { auth: { roles: [...STAFF_ROLES, 'channel'] } },
      schema: {
        tags: ['coupons'],
        summary: 'One coupon template',
        params: codeParams,
        response: { 200: templateSchema },
      },
    },
    async (request) => requireTemplate(db, request.params.code),
  );

  app.post<{ Body: { template: string; memberId: string; store?: string } }>(
    '/v1/coupons',
    {
      config: {
        auth: {
          roles: STAFF_ROLES,
          store: (request) => (request.body as { store?: string }).store ?? request.principal.storeCode,
        },
      },
      schema: {
        tags: ['coupons'],
        summary: 'Issue a coupon to a member (store staff: at their store, templates issuable in store only)',
        body: {
          type: 'object',
          required: ['template', 'memberId'],
          additionalProperties: false,
          properties: {
            template: codeString,
            memberId: codeString,
            store: {
              type: 'string',
              maxLength: 32,
              description: 'Where it was issued (store staff: their store)',
            },
          },
        },
        response: { 201: couponSchema },
      },
    },
    async (request, reply) => {
      const principal = request.principal;
      const store = request.body.store ?? principal.storeCode ?? null;
      return command(ctx, request, reply, 201, (trx) =>
        issueCoupon(trx, {
          template: request.body.template,
          memberId: request.body.memberId,
          issuedBy: actorName(actorOf(request)),
          store,
          byStoreStaff: isStoreScoped(principal),
        }),
      );
    },
  );

  app.get<{
    Params: { id: string };
    Querystring: { limit: number; cursor?: string; status?: CouponStatus };
  }>(
    '/v1/members/:id/coupons',
    {
      config: { auth: { roles: READERS } },
      schema: {
        tags: ['coupons'],
        summary: "A member's coupons, newest first",
        params: idParams,
        querystring: pageQuery({ status: { type: 'string', enum: ['issued', 'redeemed', 'expired'] } }),
        response: { 200: pageOf(couponSchema) },
      },
    },
    async (request) => {
      const memberId = await memberFor(ctx, request.principal, request.params.id);
      return couponsOfMember(db, memberId, request.query);
    },
  );

  app.get<{ Params: { code: string } }>(
    '/v1/coupons/:code',
    {
      config: { auth: { roles: READERS } },
      schema: {
        tags: ['coupons'],
        summary: 'One coupon',
        params: codeParams,
        response: { 200: couponSchema },
      },
    },
    async (request) => {
      const coupon = await requireCoupon(db, request.params.code);
      if (request.principal.role === 'customer') await memberFor(ctx, request.principal, coupon.memberId);
      return coupon;
    },
  );

  app.post<{ Params: { code: string }; Body: { store: string; lines?: CounterLine[] } }>(
    '/v1/coupons/:code/redeem',
    {
      config: {
        auth: {
          roles: [...STAFF_ROLES, 'channel'],
          store: (request) => (request.body as { store: string }).store,
        },
      },
      schema: {
        tags: ['coupons'],
        summary: 'Counter redemption (核销) at a store, under the same rules as in an order',
        params: codeParams,
        body: {
          type: 'object',
          required: ['store'],
          additionalProperties: false,
          properties: {
            store: { type: 'string', minLength: 1, maxLength: 32 },
            lines: {
              type: 'array',
              maxItems: 200,
              description: 'The basket, needed for item, minimum-spend and percent coupons',
              items: {
                type: 'object',
                required: ['sku', 'quantity'],
                additionalProperties: false,
                properties: {
                  sku: codeString,
                  quantity: { type: 'integer', minimum: 1, maximum: 10000 },
                  unitPrice: { type: 'integer', minimum: 0 },
                },
              },
            },
          },
        },
        response: { 200: couponSchema },
      },
    },
    async (request, reply) => {
      const principal = request.principal;
      // A channel app redeems in its own channel (a POS key: pos); store staff redeem at the till.
      const channel = principal.role === 'channel' ? principal.channel : 'pos';
      return command(ctx, request, reply, 200, (trx) =>
        redeemAtCounter(trx, {
          code: request.params.code,
          store: request.body.store,
          channel,
          lines: request.body.lines,
          by: actorName(actorOf(request)),
        }),
      );
    },
  );
}
