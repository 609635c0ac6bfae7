import { newId, nowIso, type Trx } from '../platform/index.js';
import { PaymentErrors } from './payments.errors.js';
import { paymentProvider } from './payments.providers.js';
import { type Payment, requireAmount, toPayment } from './payments.rows.js';

export interface StartPayment {
  orderId: string;
  /** fen */
  amount: number;
  provider: 'simulated' | string;
  simulate?: 'approve' | 'decline';
  /** Unique; starting again with the same reference returns the same payment. */
  reference?: string;
}

export async function startPayment(trx: Trx, input: StartPayment): Promise<Payment> {
  requireAmount(input.amount, 'amount');
  const provider = paymentProvider(input.provider);
  if (input.reference !== undefined) {
    const existing = await trx
      .selectFrom('payments')
      .selectAll()
      .where('reference', '=', input.reference)
      .executeTakeFirst();
    if (existing) {
      if (
        existing.order_id !== input.orderId ||
        Number(existing.amount) !== input.amount ||
        existing.provider !== input.provider
      ) {
        throw PaymentErrors.referenceReused(
          `The reference "${input.reference}" belongs to payment ${existing.id} of order ${existing.order_id}`,
        );
      }
      return toPayment(existing);
    }
  }
  const id = newId('pay');
  const { providerTxnId } = await provider.createPayment(trx, {
    paymentId: id,
    orderId: input.orderId,
    amount: input.amount,
    simulate: input.simulate,
  });
  const now = nowIso();
  const row = await trx
    .insertInto('payments')
    .values({
      id,
      order_id: input.orderId,
      provider: provider.name,
      amount: input.amount,
      status: 'pending',
      provider_txn_id: providerTxnId,
      refund_claimed_amount: 0,
      refunded_amount: 0,
      failure_reason: null,
      reference: input.reference ?? null,
      created_at: now,
      updated_at: now,
      settled_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toPayment(row);
}
