import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, TEST_SECRET, type TestApp } from '../../test/helpers/app.js';
import {
  type Payment,
  SIGNATURE_HEADER,
  signSimulatedNotification,
  startPayment,
  TIMESTAMP_HEADER,
} from './index.js';

// The notify route as an attacker, a confused provider and an impatient one see it. The job worker is off, so
// the simulated provider never calls back by itself: every notification here is one we send.

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ workers: false });
});
// The restart test reopens this file's database in a second node, which does not own it and so would leave it
// behind on close: whichever node is the last, the database goes with it.
afterAll(async () => {
  const database = t.database;
  try {
    await t.close();
  } finally {
    await database.drop();
  }
});

async function pending(orderId: string, amount: number): Promise<Payment> {
  return t.runtime.database.transaction((trx) =>
    startPayment(trx, { orderId, amount, provider: 'simulated' }),
  );
}

function body(payment: Payment, overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    type: 'payment',
    notificationId: `ntf_${payment.id}`,
    providerTxnId: payment.providerTxnId,
    paymentId: payment.id,
    amount: payment.amount,
    result: 'succeeded',
    failureReason: null,
    occurredAt: new Date().toISOString(),
    ...overrides,
  });
}

function nowS(): string {
  return String(Math.floor(Date.now() / 1000));
}

function notify(raw: string, headers: Record<string, string>) {
  return t.request({
    method: 'POST',
    url: '/v1/payments/simulated/notify',
    as: null,
    headers: { 'content-type': 'application/json', ...headers },
    body: raw,
  });
}

function signed(raw: string, timestamp = nowS()) {
  return notify(raw, {
    [TIMESTAMP_HEADER]: timestamp,
    [SIGNATURE_HEADER]: signSimulatedNotification(TEST_SECRET, timestamp, raw),
  });
}

async function statusOf(id: string): Promise<string> {
  return (await t.request({ method: 'GET', url: `/v1/payments/${id}` })).json().status;
}

async function paymentEvents(paymentId: string): Promise<string[]> {
  const rows = await t.runtime.database.db
    .selectFrom('outbox_events')
    .select(['type', 'payload'])
    .where('stream', '=', `payment:${paymentId}`)
    .orderBy('seq')
    .execute();
  return rows.map((r) => r.type);
}

async function logOf(paymentId: string): Promise<{ outcome: string; signatureValid: boolean }[]> {
  return (
    await t.request({ method: 'GET', url: `/v1/payment-notifications?paymentId=${paymentId}&limit=100` })
  ).json().items;
}

describe('forged and stale notifications', () => {
  it('refuses a bad or missing signature and changes nothing', async () => {
    const payment = await pending('ord_forged', 9_900);
    const raw = body(payment);

    const forged = await notify(raw, { [TIMESTAMP_HEADER]: nowS(), [SIGNATURE_HEADER]: 'ab'.repeat(32) });
    expect(forged.statusCode).toBe(401);
    expect(forged.json().code).toBe('PAYMENT.SIGNATURE_INVALID');

    // Signed with someone else's key.
    const ts = nowS();
    const otherKey = await notify(raw, {
      [TIMESTAMP_HEADER]: ts,
      [SIGNATURE_HEADER]: signSimulatedNotification('another-secret-0123456789abcdef0123456789', ts, raw),
    });
    expect(otherKey.statusCode).toBe(401);

    // A valid signature over a different body (the amount changed in flight).
    const tampered = await notify(body(payment, { amount: 1 }), {
      [TIMESTAMP_HEADER]: ts,
      [SIGNATURE_HEADER]: signSimulatedNotification(TEST_SECRET, ts, raw),
    });
    expect(tampered.statusCode).toBe(401);

    const unsigned = await notify(raw, {});
    expect(unsigned.statusCode).toBe(401);
    expect(unsigned.json().code).toBe('PAYMENT.SIGNATURE_INVALID');

    expect(await statusOf(payment.id)).toBe('pending');
    expect(await paymentEvents(payment.id)).toEqual([]);
    // Logged for support staff all the same.
    const log = (
      await t.request({ method: 'GET', url: '/v1/payment-notifications?outcome=signature_invalid' })
    ).json().items;
    expect(log.length).toBeGreaterThanOrEqual(4);
    expect(log.every((n: { signatureValid: boolean }) => !n.signatureValid)).toBe(true);
  });

  it('refuses a correctly signed notification older than five minutes (a replay)', async () => {
    const payment = await pending('ord_stale', 4_200);
    const sixMinutesAgo = String(Math.floor(Date.now() / 1000) - 360);
    const stale = await signed(body(payment), sixMinutesAgo);
    expect(stale.statusCode).toBe(401);
    expect(stale.json().code).toBe('PAYMENT.SIGNATURE_INVALID');
    expect(await statusOf(payment.id)).toBe('pending');
    expect(await paymentEvents(payment.id)).toEqual([]);

    const fromTheFuture = await signed(body(payment), String(Math.floor(Date.now() / 1000) + 3600));
    expect(fromTheFuture.statusCode).toBe(401);
    expect(await statusOf(payment.id)).toBe('pending');
  });

  it('refuses a signed notification with another amount (409) and changes nothing', async () => {
    const payment = await pending('ord_amount', 15_000);
    const wrong = await signed(body(payment, { amount: 1_500 }));
    expect(wrong.statusCode).toBe(409);
    expect(wrong.json().code).toBe('PAYMENT.AMOUNT_MISMATCH');
    expect(await statusOf(payment.id)).toBe('pending');
    expect(await paymentEvents(payment.id)).toEqual([]);
    expect((await logOf(payment.id)).map((n) => n.outcome)).toEqual(['amount_mismatch']);
  });

  it('answers 404 for a transaction it does not know, and 400 for a signed body it cannot read', async () => {
    const payment = await pending('ord_unknown', 100);
    const unknown = await signed(body(payment, { providerTxnId: 'simpay_nope' }));
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('PAYMENT.NOT_FOUND');
    const unreadable = await signed('{"type":"payment","amount":"lots"}');
    expect(unreadable.statusCode).toBe(400);
    expect(unreadable.json().code).toBe('PAYMENT.NOTIFICATION_INVALID');
    const notJson = await signed('not json at all');
    expect(notJson.statusCode).toBe(400);
    expect(await statusOf(payment.id)).toBe('pending');
  });
});

describe('duplicate notifications', () => {
  it('applies a notification delivered twice once, and answers 200 both times', async () => {
    const payment = await pending('ord_twice', 3_300);
    const raw = body(payment);
    const first = await signed(raw);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ received: true, outcome: 'applied', paymentId: payment.id });
    const second = await signed(raw);
    expect(second.statusCode).toBe(200);
    expect(second.json()).toMatchObject({ received: true, outcome: 'duplicate', paymentId: payment.id });
    expect(await statusOf(payment.id)).toBe('succeeded');
    expect(await paymentEvents(payment.id)).toEqual(['payment.succeeded']);

    // A later, contradicting notice does not undo it; support staff find it in the log.
    const contradicting = await signed(body(payment, { result: 'failed', failureReason: 'late decline' }));
    expect(contradicting.statusCode).toBe(200);
    expect(contradicting.json().outcome).toBe('conflicting');
    expect(await statusOf(payment.id)).toBe('succeeded');
    expect((await logOf(payment.id)).map((n) => n.outcome).sort()).toEqual([
      'applied',
      'conflicting',
      'duplicate',
    ]);
  });

  it('applies ten concurrent deliveries of one notification exactly once', async () => {
    const payment = await pending('ord_ten', 7_700);
    const raw = body(payment);
    const answers = await Promise.all(Array.from({ length: 10 }, () => signed(raw)));
    expect(answers.map((a) => a.statusCode)).toEqual(Array(10).fill(200));
    const outcomes = answers.map((a) => a.json().outcome).sort();
    expect(outcomes).toEqual(['applied', ...Array(9).fill('duplicate')]);
    expect(await statusOf(payment.id)).toBe('succeeded');
    expect(await paymentEvents(payment.id)).toEqual(['payment.succeeded']);
  });

  it('applies a decline once, with its reason', async () => {
    const payment = await pending('ord_decline', 2_000);
    const raw = body(payment, { result: 'failed', failureReason: 'NOTENOUGH: insufficient balance' });
    const answers = await Promise.all([signed(raw), signed(raw), signed(raw)]);
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200]);
    const after = (await t.request({ method: 'GET', url: `/v1/payments/${payment.id}` })).json();
    expect(after).toMatchObject({ status: 'failed', failureReason: 'NOTENOUGH: insufficient balance' });
    expect(await paymentEvents(payment.id)).toEqual(['payment.failed']);
  });
});

describe('the notification log', () => {
  it('keeps beside each outcome the status the provider was answered with', async () => {
    const payment = await pending('ord_answers', 1_200);
    const db = t.runtime.database.db;
    const seen = new Set(
      (await db.selectFrom('payment_notifications').select('id').execute()).map((r) => r.id),
    );
    async function logged(answer: { statusCode: number }) {
      const rows = await db
        .selectFrom('payment_notifications')
        .select(['id', 'outcome', 'http_status'])
        .execute();
      const fresh = rows.filter((r) => !seen.has(r.id));
      for (const row of fresh) seen.add(row.id);
      expect(fresh).toHaveLength(1);
      return [fresh[0]!.outcome, Number(fresh[0]!.http_status), answer.statusCode];
    }
    const sixMinutesAgo = String(Math.floor(Date.now() / 1000) - 360);
    expect([
      await logged(await notify(body(payment), {})),
      await logged(await signed(body(payment), sixMinutesAgo)),
      await logged(await signed('not json at all')),
      await logged(await signed(body(payment, { providerTxnId: 'simpay_nope' }))),
      await logged(await signed(body(payment, { amount: 1 }))),
      await logged(await signed(body(payment))),
      await logged(await signed(body(payment))),
      await logged(await signed(body(payment, { result: 'failed', failureReason: 'late decline' }))),
    ]).toEqual([
      ['signature_invalid', 401, 401],
      ['stale', 401, 401],
      ['malformed', 400, 400],
      ['unknown_transaction', 404, 404],
      ['amount_mismatch', 409, 409],
      ['applied', 200, 200],
      ['duplicate', 200, 200],
      ['conflicting', 200, 200],
    ]);
  });
});

describe('documentation', () => {
  it('describes the payment routes in the OpenAPI document', async () => {
    const doc = (await t.request({ method: 'GET', url: '/openapi.json', as: null })).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/payments/{provider}/notify',
        '/v1/payments/{id}',
        '/v1/payments',
        '/v1/refunds',
        '/v1/refunds/{id}',
        '/v1/refunds/{id}/retry',
        '/v1/payment-notifications',
      ]),
    );
    expect(doc.paths['/v1/payments/{provider}/notify'].post.security).toEqual([]);
  });
});

describe('durability', () => {
  it('keeps the provider’s pending callback across a restart', async () => {
    const payment = await pending('ord_restart', 8_800);
    await t.close({ drop: false });
    t = await startTestApp({ database: t.database });
    const until = Date.now() + 15_000;
    while ((await statusOf(payment.id)) === 'pending' && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await statusOf(payment.id)).toBe('succeeded');
    expect(await paymentEvents(payment.id)).toEqual(['payment.succeeded']);
  });
});
