import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPS, startTestApp, type TestApp } from '../../test/helpers/app.js';
import { startPayment } from './index.js';
import { eventually, paymentSteps } from './payments.testkit.js';

// The whole loop through a running node: the simulated provider decides in a durable job and calls back
// through the HTTP stack with a signed notification. Orders do not exist here: an order is just an id.

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const { pay, getPayment, settled, eventsOf } = paymentSteps(() => t);

describe('payments at the simulated provider', () => {
  it('starts pending and succeeds when the signed notification arrives', async () => {
    const started = Date.now();
    const payment = await pay({ orderId: 'ord_test1', amount: 12_900, provider: 'simulated' });
    expect(payment).toMatchObject({
      orderId: 'ord_test1',
      provider: 'simulated',
      amount: 12_900,
      status: 'pending',
      refundedAmount: 0,
      failureReason: null,
    });
    expect(payment.providerTxnId).toMatch(/^simpay_/);

    const done = await settled(payment.id);
    expect(done.status).toBe('succeeded');
    // The provider takes a moment, as a real one does.
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);

    const events = await eventsOf('payment.succeeded', 'paymentId', payment.id);
    expect(events).toHaveLength(1);
    expect(events[0]!.payload).toEqual({
      paymentId: payment.id,
      orderId: 'ord_test1',
      amount: 12_900,
      provider: 'simulated',
      providerTxnId: payment.providerTxnId,
    });

    // The callback came in through the notify route and is in the log, verified and applied.
    const log = (
      await t.request({ method: 'GET', url: `/v1/payment-notifications?paymentId=${payment.id}`, as: OPS })
    ).json().items;
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({
      signatureValid: true,
      outcome: 'applied',
      httpStatus: 200,
      type: 'payment',
    });

    const provider = await eventually(
      () =>
        t.runtime.database.db
          .selectFrom('simulated_provider_transactions')
          .selectAll()
          .where('id', '=', payment.providerTxnId)
          .executeTakeFirstOrThrow(),
      (row) => row.callback_status === 'delivered',
    );
    expect(Number(provider.callback_attempts)).toBe(1);
  });

  it('fails with a reason and a payment.failed event when the payer declines', async () => {
    const payment = await pay({
      orderId: 'ord_test2',
      amount: 5_000,
      provider: 'simulated',
      simulate: 'decline',
    });
    const done = await settled(payment.id);
    expect(done.status).toBe('failed');
    expect(done.failureReason).toMatch(/declined/i);
    const events = await eventsOf('payment.failed', 'paymentId', payment.id);
    expect(events).toHaveLength(1);
    expect(events[0]!.payload).toMatchObject({
      paymentId: payment.id,
      orderId: 'ord_test2',
      amount: 5_000,
      provider: 'simulated',
      failureReason: done.failureReason,
    });
    expect(await eventsOf('payment.succeeded', 'paymentId', payment.id)).toHaveLength(0);
  });

  it('sends the callback again, with back-off, until the notify route accepts it', async () => {
    // Our side disagrees on the amount at first (409), as when a callback arrives before a fix is deployed.
    const payment = await t.runtime.database.transaction(async (trx) => {
      const p = await startPayment(trx, { orderId: 'ord_retry_cb', amount: 4_000, provider: 'simulated' });
      await trx.updateTable('payments').set({ amount: 4_001 }).where('id', '=', p.id).execute();
      return p;
    });
    const refused = await eventually(
      () =>
        t.runtime.database.db
          .selectFrom('simulated_provider_transactions')
          .selectAll()
          .where('id', '=', payment.providerTxnId)
          .executeTakeFirstOrThrow(),
      (row) => row.last_callback_error !== null,
    );
    expect(refused.callback_status).toBe('scheduled');
    expect(refused.last_callback_error).toMatch(/^HTTP 409/);
    expect(await getPayment(payment.id)).toMatchObject({ status: 'pending' });

    await t.runtime.database.db
      .updateTable('payments')
      .set({ amount: 4_000 })
      .where('id', '=', payment.id)
      .execute();
    const done = await settled(payment.id);
    expect(done.status).toBe('succeeded');
    const provider = await eventually(
      () =>
        t.runtime.database.db
          .selectFrom('simulated_provider_transactions')
          .selectAll()
          .where('id', '=', payment.providerTxnId)
          .executeTakeFirstOrThrow(),
      (row) => row.callback_status === 'delivered',
    );
    expect(Number(provider.callback_attempts)).toBe(2);
    const log = (
      await t.request({ method: 'GET', url: `/v1/payment-notifications?paymentId=${payment.id}` })
    ).json().items;
    expect(log.map((n: { outcome: string }) => n.outcome)).toEqual(['applied', 'amount_mismatch']);
    expect(await eventsOf('payment.succeeded', 'paymentId', payment.id)).toHaveLength(1);
  });

  it('returns the same payment for the same reference, and refuses the reference for another payment', async () => {
    const first = await pay({
      orderId: 'ord_ref',
      amount: 100,
      provider: 'simulated',
      reference: 'till-7:0001',
    });
    const again = await pay({
      orderId: 'ord_ref',
      amount: 100,
      provider: 'simulated',
      reference: 'till-7:0001',
    });
    expect(again.id).toBe(first.id);
    await expect(
      pay({ orderId: 'ord_ref', amount: 200, provider: 'simulated', reference: 'till-7:0001' }),
    ).rejects.toMatchObject({ code: 'PAYMENT.REFERENCE_REUSED' });
    await expect(pay({ orderId: 'ord_ref', amount: 100, provider: 'unionpay' })).rejects.toMatchObject({
      code: 'PAYMENT.PROVIDER_UNKNOWN',
    });
    await expect(pay({ orderId: 'ord_ref', amount: 0, provider: 'simulated' })).rejects.toMatchObject({
      code: 'PAYMENT.INVALID_AMOUNT',
    });
  });
});
