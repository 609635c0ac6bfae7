import { describe, expect, it } from 'vitest';
import {
  allocateRefund,
  decideSimulatedPayment,
  decideSimulatedRefundAttempt,
  forcedRefundFailures,
  isFreshTimestamp,
  isValidAmount,
  parseRate,
  refusalOf,
  retryDelayMs,
  statusAfterRefund,
} from './payments.rules.js';

describe('allocateRefund', () => {
  const payments = [
    { id: 'new', refundable: 2_000 },
    { id: 'old', refundable: 3_000 },
  ];
  it.each([
    [1_500, [{ paymentId: 'new', amount: 1_500 }]],
    [2_000, [{ paymentId: 'new', amount: 2_000 }]],
    [
      4_500,
      [
        { paymentId: 'new', amount: 2_000 },
        { paymentId: 'old', amount: 2_500 },
      ],
    ],
    [5_001, null],
  ])('refunds %i as %j', (amount, expected) => {
    expect(allocateRefund(amount, payments)).toEqual(expected);
  });

  it('skips payments with nothing left to refund', () => {
    expect(
      allocateRefund(100, [
        { id: 'a', refundable: 0 },
        { id: 'b', refundable: 100 },
      ]),
    ).toEqual([{ paymentId: 'b', amount: 100 }]);
    expect(allocateRefund(1, [])).toBeNull();
  });
});

describe('payment rules', () => {
  it('accepts only positive whole fen', () => {
    expect([1, 100, 10_000_000_000].map(isValidAmount)).toEqual([true, true, true]);
    expect([0, -1, 1.5, Number.NaN, 10_000_000_001].map(isValidAmount)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('knows when a payment is fully refunded', () => {
    expect(statusAfterRefund(100, 40)).toBe('partially_refunded');
    expect(statusAfterRefund(100, 100)).toBe('refunded');
  });

  it('backs off exponentially with jitter, capped at an hour', () => {
    expect(retryDelayMs(1, 0.5)).toBe(1000);
    expect(retryDelayMs(3, 0.5)).toBe(4000);
    expect(retryDelayMs(1, 0)).toBe(800);
    expect(retryDelayMs(40, 0.5)).toBe(3_600_000);
  });

  it('accepts timestamps within five minutes either way', () => {
    const now = 1_800_000_000_000;
    expect(isFreshTimestamp('1800000000', now)).toBe(true);
    expect(isFreshTimestamp('1799999700', now)).toBe(true);
    expect(isFreshTimestamp('1799999699', now)).toBe(false);
    expect(isFreshTimestamp('1800000301', now)).toBe(false);
    expect(isFreshTimestamp(undefined, now)).toBe(false);
    expect(isFreshTimestamp('2026-11-22T08:00:00Z', now)).toBe(false);
  });

  it('reads rates from the environment safely', () => {
    expect(parseRate(undefined)).toBe(0);
    expect(parseRate('0.25')).toBe(0.25);
    expect(parseRate('7')).toBe(1);
    expect(parseRate('-1')).toBe(0);
    expect(parseRate('lots')).toBe(0);
  });
});

describe('the simulated provider’s decisions', () => {
  it('approves unless asked to decline or the random decline rate strikes', () => {
    expect(decideSimulatedPayment(null, 0, 0.99).outcome).toBe('succeeded');
    expect(decideSimulatedPayment('decline', 0, 0.99).outcome).toBe('failed');
    expect(decideSimulatedPayment(null, 0.3, 0.29).outcome).toBe('failed');
    expect(decideSimulatedPayment(null, 0.3, 0.3).outcome).toBe('succeeded');
    expect(decideSimulatedPayment('approve', 1, 0).outcome).toBe('succeeded');
  });

  it('fails the first N attempts of a refund whose reason says [fail:N]', () => {
    expect(forcedRefundFailures('broken [fail:2]')).toBe(2);
    expect(forcedRefundFailures('no hook')).toBe(0);
    expect(decideSimulatedRefundAttempt('x [fail:2]', 1, 0, 0.5)).toMatch(/failure 1 of 2/);
    expect(decideSimulatedRefundAttempt('x [fail:2]', 2, 0, 0.5)).toMatch(/failure 2 of 2/);
    expect(decideSimulatedRefundAttempt('x [fail:2]', 3, 0, 0.5)).toBeNull();
    expect(decideSimulatedRefundAttempt('x', 1, 0.5, 0.4)).toMatch(/NOT_ENOUGH/);
    expect(decideSimulatedRefundAttempt('x', 1, 0.5, 0.5)).toBeNull();
  });
});

describe('refusalOf', () => {
  it.each([
    ['applied', undefined],
    ['duplicate', undefined],
    ['conflicting', undefined],
    ['signature_invalid', 'PAYMENT.SIGNATURE_INVALID'],
    ['stale', 'PAYMENT.SIGNATURE_INVALID'],
    ['malformed', 'PAYMENT.NOTIFICATION_INVALID'],
    ['unknown_transaction', 'PAYMENT.NOT_FOUND'],
    ['amount_mismatch', 'PAYMENT.AMOUNT_MISMATCH'],
  ] as const)('answers %s with %s', (outcome, code) => {
    const refusal = refusalOf(outcome, 'why');
    expect(refusal?.code).toBe(code);
    if (refusal) expect(refusal.detail).toBe('why');
  });
});
