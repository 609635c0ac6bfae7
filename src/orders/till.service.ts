import { type Kysely, sql } from 'kysely';
import type { DB } from '../platform/index.js';
import type { TillDay } from './till.contract.js';

/**
 * A store's till for one day, set-based over its `pos` orders of that day (the brand's calendar day, as each
 * order records it): sales (paid, fulfilling or completed), voided sales (cancelled), sales still to pay, the
 * payments taken by provider (cash apart from the QR payments: the drawer is counted against it) and the sales
 * credited to each guide.
 */
export async function tillDay(db: Kysely<DB>, store: string, day: string): Promise<TillDay> {
  const ofDay = db
    .selectFrom('orders')
    .where('channel', '=', 'pos')
    .where('store_code', '=', store)
    .where('local_day', '=', day);
  const SOLD = ['paid', 'fulfilling', 'completed'] as const;
  const [sales, voided, waiting, byPayment, byGuide] = await Promise.all([
    ofDay
      .where('status', 'in', SOLD)
      .select((eb) => [
        eb.fn.countAll<number>().as('orders'),
        eb.fn.coalesce(eb.fn.sum<number>('total_amount'), sql<number>`0`).as('total'),
        eb.fn.coalesce(eb.fn.sum<number>('discount_amount'), sql<number>`0`).as('discount'),
        eb.fn.coalesce(eb.fn.sum<number>('points_amount'), sql<number>`0`).as('points'),
        eb.fn.coalesce(eb.fn.sum<number>('paid_amount'), sql<number>`0`).as('paid'),
        sql<number>`count(distinct member_id)`.as('members'),
      ])
      .executeTakeFirstOrThrow(),
    ofDay
      .where('status', '=', 'cancelled')
      .select((eb) => [
        eb.fn.countAll<number>().as('orders'),
        eb.fn.coalesce(eb.fn.sum<number>('total_amount'), sql<number>`0`).as('total'),
      ])
      .executeTakeFirstOrThrow(),
    ofDay
      .where('status', '=', 'pending_payment')
      .select((eb) => [
        eb.fn.countAll<number>().as('orders'),
        eb.fn.coalesce(eb.fn.sum<number>('payable_amount'), sql<number>`0`).as('payable'),
      ])
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('payments')
      .innerJoin('orders', 'orders.id', 'payments.order_id')
      .where('orders.channel', '=', 'pos')
      .where('orders.store_code', '=', store)
      .where('orders.local_day', '=', day)
      // Taken that day, whatever was refunded since: a refund is money going out later (a cash refund leaves the
      // drawer on its own day), not a payment that was never taken.
      .where('payments.status', 'in', ['succeeded', 'partially_refunded', 'refunded'])
      .groupBy('payments.provider')
      .orderBy('payments.provider')
      .select((eb) => [
        'payments.provider as provider',
        eb.fn.countAll<number>().as('payments'),
        eb.fn.sum<number>('payments.amount').as('amount'),
      ])
      .execute(),
    ofDay
      .where('status', 'in', SOLD)
      .groupBy('guide')
      .orderBy('guide')
      .select((eb) => [
        'guide',
        eb.fn.countAll<number>().as('orders'),
        eb.fn.sum<number>('paid_amount').as('paid'),
      ])
      .execute(),
  ]);
  return {
    store,
    day,
    sales: {
      orders: Number(sales.orders),
      totalAmount: Number(sales.total),
      discountAmount: Number(sales.discount),
      pointsAmount: Number(sales.points),
      paidAmount: Number(sales.paid),
      members: Number(sales.members),
    },
    voided: { orders: Number(voided.orders), totalAmount: Number(voided.total) },
    awaitingPayment: { orders: Number(waiting.orders), payableAmount: Number(waiting.payable) },
    byPayment: byPayment.map((r) => ({
      provider: r.provider,
      payments: Number(r.payments),
      amount: Number(r.amount),
    })),
    byGuide: byGuide.map((r) => ({ guide: r.guide, orders: Number(r.orders), paidAmount: Number(r.paid) })),
  };
}
