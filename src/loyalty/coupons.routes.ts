import {
  type Api,
  type AppContext,
  actorName,
  actorOf,
  codeParams,
  command,
  idParams,
  isStoreScoped,
  pageOf,
  STAFF_ROLES,
} from '../platform/index.js';
import { exchangePointsForCoupon, issueCoupon } from './coupon-issuing.service.js';
import { redeemAtCounter } from './coupon-redemption.service.js';
import { createTemplate, listTemplates, requireTemplate } from './coupon-templates.service.js';
import { maskCouponCode } from './coupons.rules.js';
import { couponsOfMember, requireCoupon } from './coupons.service.js';
import {
  CounterRedemption,
  Coupon,
  CouponBought,
  CouponIssue,
  CouponQuery,
  CouponTemplate,
  NewCouponTemplate,
  PointsExchange,
  TemplateQuery,
} from './loyalty.contract.js';
import { HQ, memberFor, READERS } from './loyalty.routes.js';

export function registerCouponRoutes(app: Api, ctx: AppContext): void {
  const db = ctx.database.db;

  app.post(
    '/v1/members/:id/points/exchange',
    {
      config: { auth: { roles: READERS } },
      schema: {
        tags: ['loyalty'],
        summary: 'Exchange points for a coupon of a template with a points price',
        params: idParams,
        body: PointsExchange,
        response: { 201: CouponBought },
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

  app.post(
    '/v1/coupon-templates',
    {
      config: { auth: { roles: HQ } },
      schema: {
        tags: ['coupons'],
        summary: 'Create a coupon template',
        body: NewCouponTemplate,
        response: { 201: CouponTemplate },
      },
    },
    async (request, reply) => command(ctx, request, reply, 201, (trx) => createTemplate(trx, request.body)),
  );

  app.get(
    '/v1/coupon-templates',
    {
      config: { auth: { roles: [...STAFF_ROLES, 'channel'] } },
      schema: {
        tags: ['coupons'],
        summary: 'Coupon templates by code',
        querystring: TemplateQuery,
        response: { 200: pageOf(CouponTemplate) },
      },
    },
    async (request) => listTemplates(db, request.query),
  );

  app.get(
    '/v1/coupon-templates/:code',
    {
      config: { auth: { roles: [...STAFF_ROLES, 'channel'] } },
      schema: {
        tags: ['coupons'],
        summary: 'One coupon template',
        params: codeParams,
        response: { 200: CouponTemplate },
      },
    },
    async (request) => requireTemplate(db, request.params.code),
  );

  app.post(
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
        body: CouponIssue,
        response: { 201: Coupon },
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

  app.get(
    '/v1/members/:id/coupons',
    {
      config: { auth: { roles: READERS } },
      schema: {
        tags: ['coupons'],
        summary: "A member's coupons, newest first (codes masked for store staff)",
        params: idParams,
        querystring: CouponQuery,
        response: { 200: pageOf(Coupon) },
      },
    },
    async (request) => {
      const memberId = await memberFor(ctx, request.principal, request.params.id);
      const page = await couponsOfMember(db, memberId, request.query);
      // Store staff see which coupons a member holds, not codes they could redeem for her.
      if (!isStoreScoped(request.principal)) return page;
      return { ...page, items: page.items.map((c) => ({ ...c, code: maskCouponCode(c.code) })) };
    },
  );

  app.get(
    '/v1/coupons/:code',
    {
      config: { auth: { roles: READERS } },
      schema: {
        tags: ['coupons'],
        summary: 'One coupon',
        params: codeParams,
        response: { 200: Coupon },
      },
    },
    async (request) => {
      const coupon = await requireCoupon(db, request.params.code);
      if (request.principal.role === 'customer') await memberFor(ctx, request.principal, coupon.memberId);
      return coupon;
    },
  );

  app.post(
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
        body: CounterRedemption,
        response: { 200: Coupon },
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
