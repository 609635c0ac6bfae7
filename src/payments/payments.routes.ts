import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  type AppContext,
  codeString,
  command,
  idParams,
  pageOf,
  pageQuery,
  shortListQuery,
} from '../platform/index.js';
import { receiveNotification } from './notifications.service.js';
import {
  NOTIFICATION_OUTCOMES,
  type NotificationOutcome,
  PAYMENT_STATUSES,
  type PaymentStatus,
  REFUND_STATUSES,
  type RefundStatus,
} from './payments.schema.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER } from './payments.simulated.js';
import {
  getPayment,
  getRefund,
  searchNotifications,
  searchPayments,
  searchRefunds,
} from './reads.service.js';
import { retryRefund } from './refunds.service.js';

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

const paymentSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    orderId: { type: 'string' },
    provider: { type: 'string' },
    amount: { type: 'integer', description: 'fen' },
    status: { type: 'string', enum: [...PAYMENT_STATUSES] },
    providerTxnId: { type: 'string' },
    refundedAmount: { type: 'integer', description: 'fen confirmed refunded by the provider' },
    failureReason: { type: ['string', 'null'] },
    reference: { type: ['string', 'null'] },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
  },
} as const;

const refundSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    paymentId: { type: 'string' },
    orderId: { type: 'string' },
    amount: { type: 'integer', description: 'fen' },
    status: { type: 'string', enum: [...REFUND_STATUSES] },
    attempts: { type: 'integer' },
    lastError: { type: ['string', 'null'] },
    reference: { type: 'string' },
    reason: { type: 'string' },
    providerRefundId: { type: ['string', 'null'] },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
  },
} as const;

const notificationSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    provider: { type: 'string' },
    receivedAt: { type: 'string' },
    signatureValid: { type: 'boolean' },
    outcome: { type: 'string' },
    httpStatus: { type: 'integer' },
    type: { type: ['string', 'null'] },
    providerTxnId: { type: ['string', 'null'] },
    paymentId: { type: ['string', 'null'] },
    refundId: { type: ['string', 'null'] },
    detail: { type: ['string', 'null'] },
    body: { type: 'string' },
  },
} as const;

export function registerPaymentRoutes(app: FastifyInstance, ctx: AppContext): void {
  const db = ctx.database.db;

  app.get<{ Params: { id: string } }>(
    '/v1/payments/:id',
    {
      config: { auth: { roles: READERS } },
      schema: {
        tags: ['payments'],
        summary: 'A payment: its status at the provider and what has been refunded',
        params: idParams,
        response: { 200: paymentSchema },
      },
    },
    async (request) => getPayment(db, request.params.id),
  );

  app.get<{
    Querystring: {
      orderId?: string;
      status?: PaymentStatus;
      limit: number;
      cursor?: string;
    };
  }>(
    '/v1/payments',
    {
      config: { auth: { roles: READERS } },
      schema: {
        tags: ['payments'],
        summary: 'Payments, newest first (of one order with ?orderId=)',
        querystring: pageQuery(
          { orderId: codeString, status: { type: 'string', enum: [...PAYMENT_STATUSES] } },
          shortListQuery,
        ),
        response: { 200: pageOf(paymentSchema) },
      },
    },
    async (request) => searchPayments(db, request.query),
  );

  app.get<{
    Querystring: {
      orderId?: string;
      status?: RefundStatus;
      limit: number;
      cursor?: string;
    };
  }>(
    '/v1/refunds',
    {
      config: { auth: { roles: READERS } },
      schema: {
        tags: ['payments'],
        summary: 'Refunds, newest first; ?status=failed lists the ones waiting for their next attempt',
        querystring: pageQuery(
          { orderId: codeString, status: { type: 'string', enum: [...REFUND_STATUSES] } },
          shortListQuery,
        ),
        response: { 200: pageOf(refundSchema) },
      },
    },
    async (request) => searchRefunds(db, request.query),
  );

  app.get<{ Params: { id: string } }>(
    '/v1/refunds/:id',
    {
      config: { auth: { roles: READERS } },
      schema: {
        tags: ['payments'],
        summary: 'A refund: attempts so far and the last error',
        params: idParams,
        response: { 200: refundSchema },
      },
    },
    async (request) => getRefund(db, request.params.id),
  );

  app.post<{ Params: { id: string } }>(
    '/v1/refunds/:id/retry',
    {
      config: { auth: { roles: HQ } },
      schema: {
        tags: ['payments'],
        summary: 'Attempt a failed refund again now instead of after its back-off',
        params: idParams,
        response: { 202: refundSchema },
      },
    },
    async (request, reply) => command(ctx, request, reply, 202, (trx) => retryRefund(trx, request.params.id)),
  );

  app.get<{
    Querystring: {
      paymentId?: string;
      providerTxnId?: string;
      outcome?: NotificationOutcome;
      limit: number;
      cursor?: string;
    };
  }>(
    '/v1/payment-notifications',
    {
      config: { auth: { roles: HQ } },
      schema: {
        tags: ['payments'],
        summary: 'Every notification providers sent, verified or not, and what became of it (newest first)',
        querystring: pageQuery(
          {
            paymentId: codeString,
            providerTxnId: codeString,
            outcome: { type: 'string', enum: [...NOTIFICATION_OUTCOMES] },
          },
          shortListQuery,
        ),
        response: { 200: pageOf(notificationSchema) },
      },
    },
    async (request) => searchNotifications(db, request.query),
  );

  // The provider's callback. Signatures are over the exact bytes received, so this route (alone, in its own
  // plugin scope) keeps the raw body beside the parsed one.
  void app.register(async (scope) => {
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

    scope.post<{ Params: { provider: string } }>(
      '/v1/payments/:provider/notify',
      {
        // Providers do not carry our tokens: the signature is the authentication.
        config: { auth: 'public' },
        schema: {
          tags: ['payments'],
          summary: 'A payment provider’s signed notification (payment result or refund result)',
          description: `Signed with \`${SIGNATURE_HEADER}\` (hex HMAC-SHA256 of \`<timestamp>.<raw body>\`) and \`${TIMESTAMP_HEADER}\` (unix seconds; refused when more than five minutes away). Applied at most once per provider transaction: a repeated notification answers 200 and changes nothing.`,
          security: [],
          params: {
            type: 'object',
            required: ['provider'],
            properties: { provider: { type: 'string', minLength: 1, maxLength: 32 } },
          },
          headers: {
            type: 'object',
            properties: {
              [SIGNATURE_HEADER]: { type: 'string', maxLength: 512 },
              [TIMESTAMP_HEADER]: { type: 'string', maxLength: 32 },
            },
          },
          // Not validated here: every notification, however wrong, reaches the log; the provider's adapter reads it.
          body: {
            type: 'object',
            description:
              'Each provider sends its own format. The simulated provider: `{type: "payment"|"refund", providerTxnId, paymentId, amount, result: "succeeded"|"failed", failureReason?, providerRefundId?, refundId?, occurredAt}`.',
          },
          response: {
            200: {
              type: 'object',
              properties: {
                received: { type: 'boolean' },
                notificationId: { type: 'string' },
                outcome: { type: 'string', enum: ['applied', 'duplicate', 'conflicting'] },
                paymentId: { type: ['string', 'null'] },
                refundId: { type: ['string', 'null'] },
              },
            },
          },
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
        return { received: true, ...receipt };
      },
    );
  });
}
