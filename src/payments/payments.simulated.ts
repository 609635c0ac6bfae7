import { createHmac } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { deriveKey, safeEqual } from '../platform/crypto.js';
import {
  type AppContext,
  cancelJob,
  type Database,
  isoAfter,
  type Job,
  type JobHandler,
  newId,
  nowIso,
  scheduleJob,
  type Trx,
} from '../platform/index.js';
import type {
  IncomingNotification,
  PaymentProvider,
  ProviderContext,
  ProviderNotification,
  VerifiedNotification,
} from './payments.providers.js';
import {
  decideSimulatedPayment,
  decideSimulatedRefundAttempt,
  isFreshTimestamp,
  parseRate,
  retryDelayMs,
} from './payments.rules.js';

/**
 * The built-in provider. It behaves like WeChat Pay or Alipay as a merchant sees them: a payment is opened at
 * once and decided later on the provider's side (a durable job, 200–500 ms after); the decision arrives as an
 * HMAC-SHA256-signed notification POSTed to `/v1/payments/simulated/notify` through the node's own HTTP stack,
 * and an undelivered notification is sent again with back-off until it is acknowledged (15 attempts, as WeChat
 * Pay does). Refunds are accepted or refused per attempt and confirmed by a notification of their own.
 */
export const SIMULATED = 'simulated';
export const SIMULATED_CALLBACK_JOB = 'payments.simulated_callback';
export const SIGNATURE_HEADER = 'x-omniloop-signature';
export const TIMESTAMP_HEADER = 'x-omniloop-timestamp';
const MAX_CALLBACK_ATTEMPTS = 15;

/** The simulated provider's signing key, derived from the node's root secret. */
export function simulatedSigningKey(secret: string): Buffer {
  return deriveKey(secret, 'payments-simulated');
}

/**
 * The signature of a notification: hex HMAC-SHA256 over `<timestamp>.<raw body>`. The timestamp is inside the
 * signed text so that a captured notification cannot be replayed with a fresh timestamp after five minutes.
 */
export function signSimulatedNotification(secret: string, timestamp: string, rawBody: string): string {
  return createHmac('sha256', simulatedSigningKey(secret)).update(`${timestamp}.${rawBody}`).digest('hex');
}

export function declineRate(): number {
  return parseRate(process.env.OMNILOOP_SIMULATED_DECLINE_RATE);
}

export function refundFailureRate(): number {
  return parseRate(process.env.OMNILOOP_SIMULATED_REFUND_FAILURE_RATE);
}

/** The provider's "it takes a moment" delay before it decides and calls back. */
function callbackDelayMs(): number {
  return 200 + Math.floor(Math.random() * 300);
}

function callbackKey(transactionId: string, attempt: number): string {
  return `payments.simulated_callback:${transactionId}:${attempt}`;
}

async function scheduleCallback(trx: Trx, transactionId: string, attempt: number, delayMs: number) {
  await scheduleJob(trx, {
    kind: SIMULATED_CALLBACK_JOB,
    runAt: isoAfter(delayMs),
    key: callbackKey(transactionId, attempt),
    payload: { transactionId, attempt },
  });
}

function header(headers: IncomingNotification['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export const simulatedProvider: PaymentProvider = {
  name: SIMULATED,

  async createPayment(trx, request) {
    const id = newId('simpay');
    const now = nowIso();
    await trx
      .insertInto('simulated_provider_transactions')
      .values({
        id,
        kind: 'payment',
        payment_id: request.paymentId,
        refund_id: null,
        payment_txn_id: id,
        amount: request.amount,
        requested_outcome: request.simulate ?? null,
        outcome: null,
        failure_reason: null,
        notification_body: null,
        callback_status: 'scheduled',
        callback_attempts: 0,
        last_callback_error: null,
        created_at: now,
        updated_at: now,
        decided_at: null,
        delivered_at: null,
      })
      .execute();
    await scheduleCallback(trx, id, 1, callbackDelayMs());
    return { providerTxnId: id };
  },

  async refund(trx, request) {
    const refusal = decideSimulatedRefundAttempt(
      request.reason,
      request.attempt,
      refundFailureRate(),
      Math.random(),
    );
    if (refusal) return { accepted: false, error: refusal };
    // The provider keeps its own books: it refunds only a payment it took, and never more than it took.
    const paid = await trx
      .selectFrom('simulated_provider_transactions')
      .select(['amount', 'outcome'])
      .where('id', '=', request.providerTxnId)
      .where('kind', '=', 'payment')
      .executeTakeFirst();
    if (paid?.outcome !== 'succeeded') {
      return { accepted: false, error: 'The provider refused the refund: TRADE_NOT_EXIST (no such payment)' };
    }
    const refunded = await trx
      .selectFrom('simulated_provider_transactions')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount'), eb.lit(0)).as('total'))
      .where('payment_txn_id', '=', request.providerTxnId)
      .where('kind', '=', 'refund')
      .executeTakeFirstOrThrow();
    if (Number(refunded.total) + request.amount > Number(paid.amount)) {
      return { accepted: false, error: 'The provider refused the refund: REFUND_AMOUNT_EXCEEDS_PAYMENT' };
    }
    const id = newId('simref');
    const now = nowIso();
    await trx
      .insertInto('simulated_provider_transactions')
      .values({
        id,
        kind: 'refund',
        payment_id: request.paymentId,
        refund_id: request.refundId,
        payment_txn_id: request.providerTxnId,
        amount: request.amount,
        requested_outcome: null,
        outcome: 'succeeded',
        failure_reason: null,
        notification_body: null,
        callback_status: 'scheduled',
        callback_attempts: 0,
        last_callback_error: null,
        created_at: now,
        updated_at: now,
        decided_at: now,
        delivered_at: null,
      })
      .execute();
    await scheduleCallback(trx, id, 1, callbackDelayMs());
    return { accepted: true, providerRefundId: id };
  },

  verifyNotification(notification: IncomingNotification, context: ProviderContext): VerifiedNotification {
    const timestamp = header(notification.headers, TIMESTAMP_HEADER);
    const signature = header(notification.headers, SIGNATURE_HEADER);
    if (signature === undefined || timestamp === undefined) {
      return {
        valid: false,
        outcome: 'signature_invalid',
        detail: `Send ${SIGNATURE_HEADER} and ${TIMESTAMP_HEADER}`,
      };
    }
    const expected = signSimulatedNotification(context.secret, timestamp, notification.rawBody);
    if (!safeEqual(signature.toLowerCase(), expected)) {
      return { valid: false, outcome: 'signature_invalid', detail: 'The signature does not match the body' };
    }
    if (!isFreshTimestamp(timestamp, notification.receivedAtMs)) {
      return {
        valid: false,
        outcome: 'stale',
        detail: `The timestamp ${timestamp} is more than five minutes away from now`,
      };
    }
    const parsed = readNotification(notification.rawBody);
    return parsed
      ? { valid: true, notification: parsed }
      : { valid: false, outcome: 'malformed', detail: 'The body is not a notification of this provider' };
  },
};

function readNotification(rawBody: string): ProviderNotification | null {
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    return null;
  }
  if (typeof body !== 'object' || body === null) return null;
  const b = body as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
  const amount = typeof b.amount === 'number' && Number.isSafeInteger(b.amount) ? b.amount : null;
  const result = b.result === 'succeeded' || b.result === 'failed' ? b.result : null;
  const providerTxnId = text(b.providerTxnId);
  if (amount === null || result === null || providerTxnId === null) return null;
  const failureReason = text(b.failureReason);
  if (b.type === 'payment') return { type: 'payment', providerTxnId, amount, result, failureReason };
  const providerRefundId = text(b.providerRefundId);
  const refundId = text(b.refundId);
  if (b.type === 'refund' && providerRefundId !== null && refundId !== null) {
    return { type: 'refund', providerTxnId, providerRefundId, refundId, amount, result, failureReason };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------
// The provider's side: deciding and calling back.

interface Node {
  app: FastifyInstance | undefined;
  database: Database;
  secret: string;
  closing: boolean;
  deliveries: Set<Promise<void>>;
}

// Each running node calls back through its own HTTP stack: its job worker's handler and its routes meet here.
const nodes = new WeakMap<AppContext, Node>();

function nodeOf(ctx: AppContext): Node {
  let node = nodes.get(ctx);
  if (!node) {
    node = {
      app: undefined,
      database: ctx.database,
      secret: ctx.config.secret,
      closing: false,
      deliveries: new Set(),
    };
    nodes.set(ctx, node);
  }
  return node;
}

/** Lets the provider's side call back through this node's HTTP stack (the module's `routes` calls it). */
export function attachSimulatedProvider(app: FastifyInstance, ctx: AppContext): void {
  const node = nodeOf(ctx);
  node.app = app;
  app.addHook('preClose', async () => {
    node.closing = true;
  });
  app.addHook('onClose', async () => {
    await Promise.allSettled([...node.deliveries]);
  });
}

/** The provider side's callback job for one node. */
export function simulatedCallbackJob(ctx: AppContext): JobHandler {
  const node = nodeOf(ctx);
  return (trx, job) => runSimulatedCallback(trx, job, node);
}

/**
 * One delivery attempt of a simulated callback (a durable job). The first attempt decides the outcome and
 * fixes the notification body; every attempt schedules the next one before it sends, so a crash or a failed
 * delivery is followed by another attempt with back-off, and a delivery that succeeds cancels it.
 *
 * The HTTP call is not awaited inside this job's transaction: the receiving route needs the database too, and on
 * SQLite (one connection) a callback awaited inside the job's transaction would wait for that transaction
 * forever. Its result is recorded in a transaction of its own; the next attempt, scheduled here, is the retry.
 */
async function runSimulatedCallback(trx: Trx, job: Job, node: Node): Promise<void> {
  const app = node.app;
  // Thrown, so the platform retries the job later (this node is shutting down; another node or a restart sends it).
  if (!app || node.closing)
    throw new Error('No running HTTP stack to deliver the simulated callback through');
  const transactionId = String(job.payload.transactionId);
  const attempt = Number(job.payload.attempt);
  const row = await trx
    .selectFrom('simulated_provider_transactions')
    .selectAll()
    .where('id', '=', transactionId)
    .executeTakeFirst();
  if (row?.callback_status !== 'scheduled' || Number(row.callback_attempts) !== attempt - 1) return;

  const now = nowIso();
  let body = row.notification_body;
  let outcome = row.outcome;
  let failureReason = row.failure_reason;
  if (body === null) {
    if (row.kind === 'payment') {
      const decision = decideSimulatedPayment(row.requested_outcome, declineRate(), Math.random());
      outcome = decision.outcome;
      failureReason = decision.failureReason;
    }
    body = JSON.stringify(
      row.kind === 'payment'
        ? {
            type: 'payment',
            notificationId: newId('simntf'),
            providerTxnId: row.id,
            paymentId: row.payment_id,
            amount: Number(row.amount),
            result: outcome,
            failureReason,
            occurredAt: now,
          }
        : {
            type: 'refund',
            notificationId: newId('simntf'),
            providerTxnId: row.payment_txn_id,
            providerRefundId: row.id,
            refundId: row.refund_id,
            paymentId: row.payment_id,
            amount: Number(row.amount),
            result: outcome ?? 'succeeded',
            failureReason,
            occurredAt: now,
          },
    );
  }
  await trx
    .updateTable('simulated_provider_transactions')
    .set({
      callback_attempts: attempt,
      outcome,
      failure_reason: failureReason,
      notification_body: body,
      decided_at: row.decided_at ?? now,
      updated_at: now,
    })
    .where('id', '=', transactionId)
    .where('callback_attempts', '=', attempt - 1)
    .execute();
  if (attempt < MAX_CALLBACK_ATTEMPTS) {
    await scheduleCallback(trx, transactionId, attempt + 1, retryDelayMs(attempt, Math.random()));
  }
  const delivery = deliver(node, app, transactionId, attempt, body);
  node.deliveries.add(delivery);
  void delivery.finally(() => node.deliveries.delete(delivery));
}

async function deliver(
  node: Node,
  app: FastifyInstance,
  transactionId: string,
  attempt: number,
  body: string,
): Promise<void> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  let error: string | null = null;
  try {
    const response = await app.inject({
      method: 'POST',
      url: `/v1/payments/${SIMULATED}/notify`,
      headers: {
        'content-type': 'application/json',
        [TIMESTAMP_HEADER]: timestamp,
        [SIGNATURE_HEADER]: signSimulatedNotification(node.secret, timestamp, body),
      },
      payload: body,
    });
    if (response.statusCode < 200 || response.statusCode > 299) {
      error = `HTTP ${response.statusCode}: ${response.body.slice(0, 500)}`;
    }
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
  try {
    await node.database.transaction(async (trx) => {
      const now = nowIso();
      if (error === null) {
        await trx
          .updateTable('simulated_provider_transactions')
          .set({
            callback_status: 'delivered',
            delivered_at: now,
            last_callback_error: null,
            updated_at: now,
          })
          .where('id', '=', transactionId)
          .where('callback_status', '=', 'scheduled')
          .execute();
        await cancelJob(trx, callbackKey(transactionId, attempt + 1));
        return;
      }
      await trx
        .updateTable('simulated_provider_transactions')
        .set({
          last_callback_error: error,
          callback_status: attempt >= MAX_CALLBACK_ATTEMPTS ? 'gave_up' : 'scheduled',
          updated_at: now,
        })
        .where('id', '=', transactionId)
        .where('callback_status', '=', 'scheduled')
        .execute();
    });
  } catch {
    // The database is gone (the node stopped): the next attempt, already scheduled, sends it again.
  }
}
