import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guideOf, OPS, startTestApp, type TestApp } from '../../test/helpers/app.js';
import type { Refund } from './index.js';
import { eventually, paymentSteps } from './payments.testkit.js';

// The whole loop through a running node: payments are decided by the simulated provider, refunds are attempted by
// durable jobs and confirmed the same way, by a signed notification through the HTTP stack. Orders do not exist
// here: an order is just an id.

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const { pay, refund, getPayment, getRefund, settled, eventsOf, paid } = paymentSteps(() => t);

describe('refunds', () => {
  it('refunds partly, then fully, each confirmed by the provider', async () => {
    const payment = await paid('ord_r1', 10_000);

    const [part] = await refund({
      orderId: 'ord_r1',
      amount: 3_000,
      reason: 'one item returned',
      reference: 'ret_1',
    });
    expect(part).toMatchObject({ paymentId: payment.id, amount: 3_000, status: 'pending', attempts: 0 });
    const partDone = await eventually(
      () => getRefund(part!.id),
      (r) => r.status === 'succeeded',
    );
    expect(partDone.attempts).toBe(1);
    expect(await getPayment(payment.id)).toMatchObject({
      status: 'partially_refunded',
      refundedAmount: 3_000,
    });

    const [rest] = await refund({
      orderId: 'ord_r1',
      amount: 7_000,
      reason: 'order cancelled',
      reference: 'ret_2',
    });
    await eventually(
      () => getRefund(rest!.id),
      (r) => r.status === 'succeeded',
    );
    expect(await getPayment(payment.id)).toMatchObject({ status: 'refunded', refundedAmount: 10_000 });

    const events = await eventsOf('refund.succeeded', 'orderId', 'ord_r1');
    expect(events.map((e) => e.payload)).toEqual([
      {
        refundId: part!.id,
        paymentId: payment.id,
        orderId: 'ord_r1',
        amount: 3_000,
        reference: 'ret_1',
        attempts: 1,
      },
      {
        refundId: rest!.id,
        paymentId: payment.id,
        orderId: 'ord_r1',
        amount: 7_000,
        reference: 'ret_2',
        attempts: 1,
      },
    ]);
    // Nothing left to refund.
    await expect(
      refund({ orderId: 'ord_r1', amount: 1, reason: 'one more', reference: 'ret_3' }),
    ).rejects.toMatchObject({ code: 'PAYMENT.REFUND_EXCEEDS_PAID' });
  });

  it('refuses more than was paid minus what is already refunded or pending', async () => {
    const payment = await paid('ord_r2', 5_000);
    await expect(
      refund({ orderId: 'ord_r2', amount: 5_001, reason: 'too much', reference: 'ret_r2a' }),
    ).rejects.toMatchObject({ code: 'PAYMENT.REFUND_EXCEEDS_PAID' });
    await refund({ orderId: 'ord_r2', amount: 4_000, reason: 'most of it', reference: 'ret_r2b' });
    // The pending 4000 counts even before the provider confirms it.
    await expect(
      refund({
        orderId: 'ord_r2',
        paymentId: payment.id,
        amount: 1_001,
        reason: 'rest',
        reference: 'ret_r2c',
      }),
    ).rejects.toMatchObject({ code: 'PAYMENT.REFUND_EXCEEDS_PAID' });
    const ok = await refund({
      orderId: 'ord_r2',
      paymentId: payment.id,
      amount: 1_000,
      reason: 'rest',
      reference: 'ret_r2d',
    });
    expect(ok).toHaveLength(1);
    // A declined payment has paid nothing; another order's payment is not this order's.
    const declined = await pay({
      orderId: 'ord_r2x',
      amount: 900,
      provider: 'simulated',
      simulate: 'decline',
    });
    await settled(declined.id);
    await expect(
      refund({ orderId: 'ord_r2x', amount: 1, reason: 'x', reference: 'ret_r2x' }),
    ).rejects.toMatchObject({ code: 'PAYMENT.REFUND_EXCEEDS_PAID' });
    await expect(
      refund({ orderId: 'ord_r2x', paymentId: payment.id, amount: 1, reason: 'x', reference: 'ret_r2y' }),
    ).rejects.toMatchObject({ code: 'PAYMENT.NOT_FOUND' });
  });

  it('never refunds more than was paid, under concurrent refunds', async () => {
    const payment = await paid('ord_race', 10_000);
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        refund({ orderId: 'ord_race', amount: 2_000, reason: 'race', reference: `ret_race_${i}` }),
      ),
    );
    const granted = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected');
    expect(granted).toHaveLength(5);
    expect(refused.map((r) => (r.reason as { code: string }).code)).toEqual(
      Array(5).fill('PAYMENT.REFUND_EXCEEDS_PAID'),
    );
    const row = await t.runtime.database.db
      .selectFrom('payments')
      .select(['refund_claimed_amount'])
      .where('id', '=', payment.id)
      .executeTakeFirstOrThrow();
    expect(Number(row.refund_claimed_amount)).toBe(10_000);
    const done = await eventually(
      () => getPayment(payment.id),
      (p) => p.status === 'refunded',
    );
    expect(done.refundedAmount).toBe(10_000);
  });

  it('is idempotent by reference: the same reference twice is the same refund', async () => {
    await paid('ord_r3', 8_000);
    const input = { orderId: 'ord_r3', amount: 2_500, reason: 'damaged', reference: 'ret_r3' };
    const first = await refund(input);
    const second = await refund(input);
    expect(second.map((r) => r.id)).toEqual(first.map((r) => r.id));
    const all = (await t.request({ method: 'GET', url: '/v1/refunds?orderId=ord_r3' })).json().items;
    expect(all).toHaveLength(1);
    await expect(refund({ ...input, amount: 2_600 })).rejects.toMatchObject({
      code: 'PAYMENT.REFUND_REFERENCE_REUSED',
    });
    // Concurrent starts with one reference make one refund too.
    const racing = await Promise.all(
      Array.from({ length: 5 }, () =>
        refund({ orderId: 'ord_r3', amount: 1_000, reason: 'race', reference: 'ret_r3_race' }),
      ),
    );
    expect(new Set(racing.map((r) => r.map((x) => x.id).join()))).toHaveProperty('size', 1);
    const after = (await t.request({ method: 'GET', url: '/v1/refunds?orderId=ord_r3' })).json().items;
    expect(after).toHaveLength(2);
  });

  it('spreads a refund over the order’s payments, newest first', async () => {
    const older = await paid('ord_r4', 3_000);
    const newer = await paid('ord_r4', 2_000);
    const parts = await refund({
      orderId: 'ord_r4',
      amount: 4_500,
      reason: 'cancelled',
      reference: 'cancel:ord_r4',
    });
    expect(parts.map((r) => [r.paymentId, r.amount]).sort()).toEqual(
      [
        [newer.id, 2_000],
        [older.id, 2_500],
      ].sort(),
    );
    for (const part of parts) {
      await eventually(
        () => getRefund(part.id),
        (r) => r.status === 'succeeded',
      );
    }
    expect(await getPayment(newer.id)).toMatchObject({ status: 'refunded', refundedAmount: 2_000 });
    expect(await getPayment(older.id)).toMatchObject({ status: 'partially_refunded', refundedAmount: 2_500 });
  });

  it('retries a refund the provider refuses, with back-off, until it succeeds', async () => {
    const payment = await paid('ord_r5', 6_000);
    const [r] = await refund({
      orderId: 'ord_r5',
      amount: 6_000,
      reason: 'customer changed mind [fail:2]',
      reference: 'ret_r5',
    });

    const firstFailure = await eventually(
      () => getRefund(r!.id),
      (x) => x.attempts >= 1,
    );
    expect(firstFailure).toMatchObject({ status: 'failed', attempts: 1 });
    expect(firstFailure.lastError).toMatch(/simulated failure 1 of 2/);
    const failedList = (
      await t.request({ method: 'GET', url: '/v1/refunds?orderId=ord_r5&status=failed' })
    ).json().items;
    expect(failedList.map((x: Refund) => x.id)).toEqual([r!.id]);
    // Not refunded while the provider has not confirmed.
    expect(await getPayment(payment.id)).toMatchObject({ status: 'succeeded', refundedAmount: 0 });

    const secondFailure = await eventually(
      () => getRefund(r!.id),
      (x) => x.attempts >= 2,
    );
    expect(secondFailure).toMatchObject({ status: 'failed', attempts: 2 });
    expect(secondFailure.lastError).toMatch(/simulated failure 2 of 2/);

    const done = await eventually(
      () => getRefund(r!.id),
      (x) => x.status === 'succeeded',
    );
    expect(done.attempts).toBe(3);
    expect(await getPayment(payment.id)).toMatchObject({ status: 'refunded', refundedAmount: 6_000 });

    const failures = await eventsOf('refund.failed', 'refundId', r!.id);
    expect(failures.map((e) => [e.payload.attempts, e.payload.lastError])).toEqual([
      [1, firstFailure.lastError],
      [2, secondFailure.lastError],
    ]);
    const successes = await eventsOf('refund.succeeded', 'refundId', r!.id);
    expect(successes).toHaveLength(1);
    expect(successes[0]!.payload).toMatchObject({ attempts: 3, amount: 6_000, reference: 'ret_r5' });
  });

  it('lets HQ retry a failed refund at once', async () => {
    await paid('ord_r6', 1_000);
    const [r] = await refund({
      orderId: 'ord_r6',
      amount: 1_000,
      reason: 'test [fail:1]',
      reference: 'ret_r6',
    });
    await eventually(
      () => getRefund(r!.id),
      (x) => x.status === 'failed',
    );
    const byGuide = await t.request({
      method: 'POST',
      url: `/v1/refunds/${r!.id}/retry`,
      as: guideOf('SH01'),
    });
    expect(byGuide.statusCode).toBe(403);
    const retried = await t.request({ method: 'POST', url: `/v1/refunds/${r!.id}/retry`, as: OPS });
    expect(retried.statusCode).toBe(202);
    expect(retried.json()).toMatchObject({ id: r!.id, status: 'failed', attempts: 1 });
    const done = await eventually(
      () => getRefund(r!.id),
      (x) => x.status === 'succeeded',
    );
    expect(done.attempts).toBe(2);
    const again = await t.request({ method: 'POST', url: `/v1/refunds/${r!.id}/retry`, as: OPS });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('PAYMENT.REFUND_NOT_RETRYABLE');
    // Pending (not refused): nothing to retry either.
    await paid('ord_r6b', 500);
    const [p] = await refund({ orderId: 'ord_r6b', amount: 500, reason: 'fine', reference: 'ret_r6b' });
    const pendingRetry = await t.request({ method: 'POST', url: `/v1/refunds/${p!.id}/retry`, as: OPS });
    expect(pendingRetry.statusCode).toBe(409);
    const unknown = await t.request({ method: 'POST', url: '/v1/refunds/rfd_nope/retry', as: OPS });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('PAYMENT.REFUND_NOT_FOUND');
  });
});
