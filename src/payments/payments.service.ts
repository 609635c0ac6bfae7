import { newId, nowIso, type Trx } from '../platform/index.js';
import { settlePayment } from './outcomes.service.js';
import { PaymentErrors } from './payments.errors.js';
import { type Counter, paymentProvider } from './payments.providers.js';
import { type Payment, requireAmount, toPayment } from './payments.rows.js';

export interface StartPayment {
  orderId: string;
  /** fen */
  amount: number;
  provider: 'simulated' | string;
  simulate?: 'approve' | 'decline' | undefined;
  /** Cash handed over at a store's counter: where, by whom (`role:username`) and how much (fen). */
  counter?: (Counter & { tendered: number }) | undefined;
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
  const { providerTxnId, decided } = await provider.createPayment(trx, {
    paymentId: id,
    orderId: input.orderId,
    amount: input.amount,
    simulate: input.simulate,
    counter: input.counter,
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
      tendered: input.counter?.tendered ?? null,
      change_given: decided?.change ?? null,
      counter_store: input.counter?.store ?? null,
      counter_staff: input.counter?.staff ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  if (!decided) return toPayment(row);
  // Decided at the counter: applied now, the same way a provider's notification is (payment.succeeded follows).
  await settlePayment(trx, row, decided.result, null);
  return toPayment(
    await trx.selectFrom('payments').selectAll().where('id', '=', id).executeTakeFirstOrThrow(),
  );
}
