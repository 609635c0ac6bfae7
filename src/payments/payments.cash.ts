import { newId } from '../platform/index.js';
import { PaymentErrors } from './payments.errors.js';
import type { PaymentProvider } from './payments.providers.js';

/**
 * Cash at a store's counter. No remote party decides anything: the cashier counts what the customer hands over,
 * so the payment is decided the moment it is taken (with the change to give back), and a refund is money the
 * staff member hands back across a counter — at once when the refund is asked for at a store, otherwise it waits
 * for a store (`cash_at_store`: a courier's parcel has nobody to hand cash to). It sends no notifications.
 */
export const CASH = 'cash';

export const cashProvider: PaymentProvider = {
  name: CASH,

  async createPayment(_trx, request) {
    // The route lets only the selling store's staff get here; this is the provider's own refusal of cash from
    // anywhere else (a channel's key, a service), not a second place that decides who may.
    if (!request.counter) {
      throw PaymentErrors.cashNotAtCounter('Cash is taken at a store’s counter by its staff');
    }
    const { tendered } = request.counter;
    if (tendered < request.amount) {
      throw PaymentErrors.cashTenderedShort(
        `${tendered} fen handed over for ${request.amount} fen due: ${request.amount - tendered} fen short`,
        { errors: [{ path: 'tendered', message: `at least ${request.amount}` }] },
      );
    }
    return {
      providerTxnId: newId('cash'),
      decided: { result: 'succeeded', change: tendered - request.amount },
    };
  },

  async refund(_trx, request) {
    const providerRefundId = newId('cashref');
    return request.counter
      ? { accepted: true, providerRefundId, settled: true }
      : { accepted: true, providerRefundId, awaiting: 'cash_at_store' };
  },

  verifyNotification() {
    return {
      valid: false,
      outcome: 'signature_invalid',
      detail: 'Cash is recorded at the counter by store staff; it sends no notifications',
    };
  },
};
