import type { FastifyRequest } from 'fastify';
import {
  type Api,
  type AppContext,
  AuthErrors,
  actorName,
  actorOf,
  command,
  idParams,
  pageOf,
} from '../platform/index.js';
import { receiveNotification } from './notifications.service.js';
import {
  CashHandover,
  NotificationHeaders,
  NotificationQuery,
  NotificationReceived,
  Payment,
  PaymentNotification,
  PaymentQuery,
  ProviderNotificationBody,
  ProviderParams,
  Refund,
  RefundQuery,
  type TAKEN_OUTCOMES,
} from './payments.contract.js';
import type { NotificationOutcome } from './payments.schema.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER } from './payments.simulated.js';
import {
  getPayment,
  getRefund,
  searchNotifications,
  searchPayments,
  searchRefunds,
} from './reads.service.js';
import { handOverCashRefund, retryRefund } from './refunds.service.js';

const HQ = ['admin', 'ops'] as const;
const READERS = ['admin', 'ops', 'channel'] as const;

/**
 * The notify route's answer to each outcome, kept in the notification log beside it. A refused outcome's status is
 * the one the error handler gives its error (`refusalOf`): the log says what the provider was actually answered.
 */
const NOTIFY_STATUS: Record<NotificationOutcome, number> = {
  applied: 200,
  duplicate: 200,
  // Acknowledged so the provider stops sending; logged for support staff to look at.
  conflicting: 200,
  signature_invalid: 401,
  stale: 401,
  malformed: 400,
  unknown_transaction: 404,
  amount_mismatch: 409,
};

export function registerPaymentRoutes(app: Api, ctx: AppContext): void {
  const db = ctx.database.db;

  app.get(
    '/v1/payments/:id',
    {
      config: { auth: { roles: READERS } },
      schema: {
        tags: ['payments'],
        summary: 'A payment: its status at the provider and what has been refunded',
        params: idParams,
        response: { 200: Payment },
      },
    },
    async (request) => getPayment(db, request.params.id),
  );

  app.get(
    '/v1/payments',
    {
      config: { auth: { roles: READERS } },
      schema: {
        tags: ['payments'],
        summary: 'Payments, newest first (of one order with ?orderId=)',
        querystring: PaymentQuery,
        response: { 200: pageOf(Payment) },
      },
    },
    async (request) => searchPayments(db, request.query),
  );

  app.get(
    '/v1/refunds',
    {
      config: { auth: { roles: [...READERS, 'store_manager', 'guide'] } },
      schema: {
        tags: ['payments'],
        summary:
          'Refunds, newest first; ?status=failed lists the ones waiting for their next attempt, ?awaiting=cash_at_store the cash a store is to hand back',
        description:
          'Store staff list only the cash an order she shows them is owed: `orderId` with `awaiting=cash_at_store` (403 otherwise).',
        querystring: RefundQuery,
        response: { 200: pageOf(Refund) },
      },
    },
    async (request) => {
      const principal = request.principal;
      // At a counter she shows her order; the store sees the cash owed on it, not the brand's refunds.
      if (
        (principal.role === 'store_manager' || principal.role === 'guide') &&
        (request.query.orderId === undefined || request.query.awaiting !== 'cash_at_store')
      ) {
        throw AuthErrors.forbidden(
          'Store staff read the cash owed on an order: give orderId and awaiting=cash_at_store',
        );
      }
      return searchRefunds(db, request.query);
    },
  );

  app.get(
    '/v1/refunds/:id',
    {
      config: { auth: { roles: READERS } },
      schema: {
        tags: ['payments'],
        summary: 'A refund: attempts so far and the last error',
        params: idParams,
        response: { 200: Refund },
      },
    },
    async (request) => getRefund(db, request.params.id),
  );

  app.post(
    '/v1/refunds/:id/retry',
    {
      config: { auth: { roles: HQ } },
      schema: {
        tags: ['payments'],
        summary: 'Attempt a failed refund again now instead of after its back-off',
        params: idParams,
        response: { 202: Refund },
      },
    },
    async (request, reply) => command(ctx, request, reply, 202, (trx) => retryRefund(trx, request.params.id)),
  );

  app.post(
    '/v1/refunds/:id/cash-handover',
    {
      // Only someone standing at that store's counter hands cash over.
      config: { auth: { roles: ['store_manager', 'guide'], store: (r) => (r.body as CashHandover).store } },
      schema: {
        tags: ['payments'],
        summary:
          'A cash refund waiting for a store (`awaiting: cash_at_store`) is handed back at this store’s counter',
        description:
          'For a cash payment’s refund that no counter could hand over when it started (the goods came back by courier): the customer collects the cash at a store, and the staff member who hands it over is recorded. Not waiting for cash → 409 PAYMENT.REFUND_NOT_AWAITING_CASH.',
        params: idParams,
        body: CashHandover,
        response: { 200: Refund },
      },
    },
    async (request, reply) =>
      command(ctx, request, reply, 200, (trx) =>
        handOverCashRefund(trx, request.params.id, {
          store: request.body.store,
          staff: actorName(actorOf(request)),
        }),
      ),
  );

  app.get(
    '/v1/payment-notifications',
    {
      config: { auth: { roles: HQ } },
      schema: {
        tags: ['payments'],
        summary: 'Every notification providers sent, verified or not, and what became of it (newest first)',
        querystring: NotificationQuery,
        response: { 200: pageOf(PaymentNotification) },
      },
    },
    async (request) => searchNotifications(db, request.query),
  );

  // The provider's callback. Signatures are over the exact bytes received, so this route (alone, in its own
  // plugin scope) keeps the raw body beside the parsed one.
  void app.register(async (scope: Api) => {
    const rawBodies = new WeakMap<FastifyRequest, string>();
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser(
      'application/json',
      { parseAs: 'string', bodyLimit: 64 * 1024 },
      (request, body, done) => {
        const raw = String(body);
        rawBodies.set(request, raw);
        let parsed: unknown = {};
        try {
          parsed = JSON.parse(raw);
        } catch {
          // Unreadable JSON is the provider adapter's to judge, after the signature.
        }
        done(null, typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? parsed : {});
      },
    );

    scope.post(
      '/v1/payments/:provider/notify',
      {
        // Providers do not carry our tokens: the signature is the authentication.
        config: { auth: 'public' },
        schema: {
          tags: ['payments'],
          summary: 'A payment provider’s signed notification (payment result or refund result)',
          description: `Signed with \`${SIGNATURE_HEADER}\` (hex HMAC-SHA256 of \`<timestamp>.<raw body>\`) and \`${TIMESTAMP_HEADER}\` (unix seconds; refused when more than five minutes away). Applied at most once per provider transaction: a repeated notification answers 200 and changes nothing.`,
          security: [],
          params: ProviderParams,
          headers: NotificationHeaders,
          body: ProviderNotificationBody,
          response: { 200: NotificationReceived },
        },
      },
      async (request, reply) => {
        const { receipt, refusal } = await command(ctx, request, reply, 200, (trx) =>
          receiveNotification(
            trx,
            {
              provider: request.params.provider,
              rawBody: rawBodies.get(request) ?? '',
              headers: request.headers,
            },
            ctx.config.secret,
            (outcome) => NOTIFY_STATUS[outcome],
          ),
        );
        // After the commit: a refused notification is still in the log for support staff.
        if (refusal) throw refusal;
        // Not refused: the outcome is one of those taken (refusalOf refuses every other).
        const outcome = receipt.outcome as (typeof TAKEN_OUTCOMES)[number];
        return { received: true, ...receipt, outcome };
      },
    );
  });
}
