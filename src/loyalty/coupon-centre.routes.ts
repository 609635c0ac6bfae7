import { type Api, type AppContext, command, idParams } from '../platform/index.js';
import { claimCoupon, couponCentre } from './coupon-centre.service.js';
import { CentreOffers, ClaimParams, Coupon } from './loyalty.contract.js';
import { memberFor, READERS } from './loyalty.routes.js';

/**
 * The coupon centre (领券中心): the claimable coupons open to a member now, and her claim of one. A customer reaches
 * only her own; a channel app claims for the member it names; staff read what she is offered (they issue coupons
 * through `POST /v1/coupons`).
 */
export function registerCouponCentreRoutes(app: Api, ctx: AppContext): void {
  const db = ctx.database.db;

  app.get(
    '/v1/members/:id/coupon-centre',
    {
      config: { auth: { roles: READERS } },
      schema: {
        tags: ['coupons'],
        summary:
          'The coupon centre: claimable coupons open to her now, with what she holds and whether she may claim',
        params: idParams,
        response: { 200: CentreOffers },
      },
    },
    async (request) => ({
      items: await couponCentre(db, await memberFor(ctx, request.principal, request.params.id)),
    }),
  );

  app.post(
    '/v1/members/:id/coupon-centre/:template',
    {
      config: { auth: { roles: ['customer', 'channel'] } },
      schema: {
        tags: ['coupons'],
        summary:
          'Claim one coupon of a template in the coupon centre (within its per-member and total limits)',
        params: ClaimParams,
        response: { 201: Coupon },
      },
    },
    async (request, reply) => {
      const memberId = await memberFor(ctx, request.principal, request.params.id);
      return command(ctx, request, reply, 201, (trx) => claimCoupon(trx, memberId, request.params.template));
    },
  );
}
