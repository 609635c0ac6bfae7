import { requireOrderRow } from '../orders/index.js';
import {
  type Api,
  type AppContext,
  AuthErrors,
  actorOf,
  command,
  idParams,
  type Principal,
  pageOf,
  reasonBody,
  STAFF_ROLES,
  scopedStore,
} from '../platform/index.js';
import { NewReturn, Return, ReturnQuery, ReturnReceipt, ReturnShipment } from './aftersales.contract.js';
import { ReturnErrors } from './aftersales.errors.js';
import {
  assertOwnMember,
  assertReturnAccess,
  customerMember,
  READERS,
  returnReaderOf,
} from './aftersales.http.js';
import type { ReturnRefundStatus, ReturnStatus } from './aftersales.schema.js';
import { type ReceiveInput, receiveReturnedGoods } from './receiving.service.js';
import { recordReturnShipment } from './return-shipments.service.js';
import { getReturn, listReturns } from './return-views.js';
import { type AftersalesDeps, cancelReturn, type ReturnRequest, requestReturn } from './returns.service.js';

const _RETURN_STATUSES: ReturnStatus[] = ['requested', 'received', 'refunded', 'cancelled'];
const _REFUND_STATUSES: ReturnRefundStatus[] = [
  'not_started',
  'not_needed',
  'pending',
  'failed',
  'succeeded',
];

/** Returns: asked for online or at a counter, received at any store or warehouse, withdrawn, read and listed. */
export function registerReturnsRoutes(app: Api, ctx: AppContext, deps: AftersalesDeps): void {
  const db = ctx.database.db;
  const readerOf = (principal: Principal) => returnReaderOf(deps.orders.pii, principal);

  app.post(
    '/v1/returns',
    {
      config: {
        auth: { roles: READERS, store: (r) => (r.body as ReturnRequest).location },
        problems: [
          ReturnErrors.photoInvalid,
          ReturnErrors.methodInvalid,
          ReturnErrors.noReturnsCentre,
          ReturnErrors.locationInvalid,
        ],
      },
      schema: {
        response: { 201: Return },
        tags: ['after-sales'],
        summary:
          'Return items of any channel’s order: requested online, or received at once at a store counter (channel pos)',
        description:
          'Refunds exactly what each returned unit paid (money to the original payment, points as points) once the goods are received. ' +
          'Checks: bought, delivered or collected, not returned already (409 RETURN.QUANTITY_EXCEEDED), within the return window (409 RETURN.WINDOW_CLOSED). ' +
          'Online, `method` says how the goods come back: `store` (she brings them to `location`, an open store) or `courier` ' +
          '(`pickup` from her address on a day she picks, or `drop_off` at a courier point) to the returns centre — the first open warehouse — ' +
          'or to `location` when staff or a channel app name one. `photos`: up to nine https URLs. ' +
          'Idempotent by Idempotency-Key and by `clientRequestId` per order.',
        body: NewReturn,
      },
    },
    async (request, reply) => {
      const principal = request.principal;
      const body = request.body;
      if (principal.role === 'customer') {
        if (body.channel !== 'online' && body.channel !== 'mini_program') {
          throw AuthErrors.forbidden(
            'A customer requests returns through the online shop or the mini-program',
          );
        }
        await assertOwnMember(db, principal, (await requireOrderRow(db, body.orderId)).member_id);
        // Where a parcel goes is the brand's choice, not the sender's: her courier return goes to the returns centre.
        if (body.method?.type === 'courier' && body.location !== undefined) {
          throw ReturnErrors.methodInvalid('A courier return goes where the brand receives returns', {
            errors: [{ path: 'location', message: 'not chosen by the customer for a courier return' }],
          });
        }
      }
      if (principal.role === 'channel' && principal.channel !== body.channel) {
        throw AuthErrors.forbidden(`This API key belongs to channel ${principal.channel}`);
      }
      return command(ctx, request, reply, 201, async (trx) => {
        const { returnId } = await requestReturn(trx, deps, body, actorOf(request));
        return getReturn(trx, returnId, readerOf(principal));
      });
    },
  );

  app.post(
    '/v1/returns/:id/receive',
    {
      config: { auth: { roles: STAFF_ROLES, store: (r) => (r.body as ReceiveInput).location } },
      schema: {
        response: { 200: Return },
        tags: ['after-sales'],
        summary:
          'The goods of a requested return arrived at a store or warehouse: graded per line, restocked or quarantined, refund started',
        params: idParams,
        body: ReturnReceipt,
      },
    },
    async (request, reply) =>
      command(ctx, request, reply, 200, async (trx) => {
        await receiveReturnedGoods(trx, request.params.id, request.body, actorOf(request));
        return getReturn(trx, request.params.id, readerOf(request.principal));
      }),
  );

  app.post(
    '/v1/returns/:id/cancel',
    {
      config: { auth: { roles: READERS } },
      schema: {
        response: { 200: Return },
        tags: ['after-sales'],
        summary: 'Withdraw a requested return before its goods arrive: its units can be returned later',
        params: idParams,
        body: reasonBody,
      },
    },
    async (request, reply) => {
      await assertReturnAccess(db, request.principal, request.params.id);
      return command(ctx, request, reply, 200, async (trx) => {
        await cancelReturn(
          trx,
          request.params.id,
          request.body?.reason ?? `withdrawn by ${request.principal.role}`,
          actorOf(request),
        );
        return getReturn(trx, request.params.id, readerOf(request.principal));
      });
    },
  );

  app.put(
    '/v1/returns/:id/shipment',
    {
      config: {
        auth: { roles: READERS },
        problems: [ReturnErrors.notCourier, ReturnErrors.invalidTransition],
      },
      schema: {
        response: { 200: Return },
        tags: ['after-sales'],
        summary:
          'The parcel of a courier return: its carrier and tracking number, recorded (or corrected) while the return is on its way',
        description:
          'The customer (or staff) enters the number the courier gave: no carrier is booked by the platform. ' +
          'A return brought to a store has no parcel (409 RETURN.NOT_COURIER); once received it is refused (409 RETURN.INVALID_TRANSITION).',
        params: idParams,
        body: ReturnShipment,
      },
    },
    async (request, reply) => {
      await assertReturnAccess(db, request.principal, request.params.id);
      return command(ctx, request, reply, 200, async (trx) => {
        await recordReturnShipment(trx, request.params.id, request.body, actorOf(request));
        return getReturn(trx, request.params.id, readerOf(request.principal));
      });
    },
  );

  app.get(
    '/v1/returns/:id',
    {
      config: { auth: { roles: READERS } },
      schema: {
        response: { 200: Return },
        tags: ['after-sales'],
        summary: 'A return: lines, amounts, refund state (attempts, last error), loyalty reversal',
        params: idParams,
      },
    },
    async (request) => {
      await assertReturnAccess(db, request.principal, request.params.id);
      return getReturn(db, request.params.id, readerOf(request.principal));
    },
  );

  app.get(
    '/v1/returns',
    {
      config: { auth: { roles: READERS } },
      schema: {
        response: { 200: pageOf(Return) },
        tags: ['after-sales'],
        summary:
          'Returns newest first, by status, refund state (`refundStatus=failed`: refunds the provider refused), location and order',
        querystring: ReturnQuery,
      },
    },
    async (request) => {
      const principal = request.principal;
      const filter = {
        ...request.query,
        location: scopedStore(principal, request.query.location),
        memberId: undefined as string | undefined,
      };
      if (principal.role === 'customer') filter.memberId = await customerMember(db, principal);
      return listReturns(db, filter, readerOf(principal));
    },
  );
}
