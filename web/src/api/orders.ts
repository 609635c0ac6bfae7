import { type Answer, allOf, type Body, call, client, type QueryOf } from './client';

/** The order hub as the console reads it (money in integer fen, times ISO 8601 UTC), typed from /openapi.json. */
export type Order = Answer<'/v1/orders/{id}'>;
export type OrderSummary = Answer<'/v1/orders'>['items'][number];
export type OrderStatus = Order['status'];
export type OrderLine = Order['lines'][number];
export type Fulfillment = Order['fulfillments'][number];
export type FulfillmentStatus = Fulfillment['status'];
export type FulfillmentType = Fulfillment['type'];
export type Explanation = Order['fulfillmentPlan']['explanation'][number];
export type PlannedGroup = Order['fulfillmentPlan']['groups'][number];
export type TimelineEntry = Order['timeline'][number];
export type Address = NonNullable<Order['fulfillment']['address']>;
export type Payment = Answer<'/v1/payments/{id}'>;
export type Refund = Answer<'/v1/refunds'>['items'][number];
export type NewOrder = Body<'/v1/orders'>;
export type QuoteRequest = Body<'/v1/orders/quote'>;
export type OrderQuote = Answer<'/v1/orders/quote', 'post'>;
export type CouponOffer = OrderQuote['coupons'][number];
export type FulfillmentAction = 'accept' | 'reject' | 'ready' | 'ship' | 'deliver';

export const ORDER_STATUSES = allOf<OrderStatus>()([
  'pending_payment',
  'paid',
  'fulfilling',
  'completed',
  'cancelled',
]);

/** Statuses whose order counts toward GMV: the money has been taken and not given back by a cancellation. */
export const GMV_STATUSES: ReadonlySet<string> = new Set<OrderStatus>(['paid', 'fulfilling', 'completed']);

/** Whether the order may still be cancelled (the server decides; this only hides a button that would fail). */
export function cancellable(order: Order): boolean {
  if (order.status === 'pending_payment' || order.status === 'paid') return true;
  if (order.status !== 'fulfilling') return false;
  return !order.fulfillments.some((f) => ['shipped', 'delivered', 'picked_up'].includes(f.status));
}

/** The actions a store or HQ may take on a group now (mirrors the server's lifecycle tables). */
export function fulfillmentActions(f: Fulfillment): FulfillmentAction[] {
  switch (f.status) {
    case 'pending':
      return f.type === 'carry_out' ? [] : ['accept', 'reject'];
    case 'accepted':
      return f.type === 'pickup' ? ['ready', 'reject'] : ['ship', 'reject'];
    case 'shipped':
      return ['deliver'];
    default:
      return [];
  }
}

export const getOrder = (id: string, signal?: AbortSignal) =>
  call(client.GET('/v1/orders/{id}', { params: { path: { id } }, signal }));

export const listOrders = (query: QueryOf<'/v1/orders'>, signal?: AbortSignal) =>
  call(client.GET('/v1/orders', { params: { query }, signal }));

export const placeOrder = (body: NewOrder) => call(client.POST('/v1/orders', { body }));

/** The checkout's price before she pays (reads only: nothing is reserved or spent). */
export const quoteOrder = (body: QuoteRequest, signal?: AbortSignal) =>
  call(client.POST('/v1/orders/quote', { body, signal }));

/** A store's till for one day (today when no day is given). */
export const tillDayOf = (store: string, day?: string, signal?: AbortSignal) =>
  call(
    client.GET('/v1/stores/{code}/till', {
      params: { path: { code: store }, query: day ? { day } : {} },
      signal,
    }),
  );

export const cancelOrder = (id: string, reason?: string) =>
  call(client.POST('/v1/orders/{id}/cancel', { params: { path: { id } }, body: reason ? { reason } : {} }));

/** Pays what is due with the built-in simulated provider (the order is paid when its notification arrives). */
export const payOrder = (id: string, amount: number) =>
  call(
    client.POST('/v1/orders/{id}/payments', {
      params: { path: { id } },
      body: { provider: 'simulated', amount },
    }),
  );

/** Cash counted at this store's till: `tendered` fen handed over; the answer says the change to give back. */
export const payOrderInCash = (id: string, amount: number, tendered: number) =>
  call(
    client.POST('/v1/orders/{id}/payments', {
      params: { path: { id } },
      body: { provider: 'cash', amount, tendered },
    }),
  );

export const listRefunds = (query: QueryOf<'/v1/refunds'>, signal?: AbortSignal) =>
  call(client.GET('/v1/refunds', { params: { query }, signal }));

export const listTasks = (query: QueryOf<'/v1/fulfillments'>, signal?: AbortSignal) =>
  call(client.GET('/v1/fulfillments', { params: { query }, signal }));

export function actOnFulfillment(
  id: string,
  action: FulfillmentAction,
  body: { reason?: string; carrier?: string; trackingNumber?: string } = {},
): Promise<Fulfillment> {
  const params = { path: { id } };
  switch (action) {
    case 'accept':
      return call(client.POST('/v1/fulfillments/{id}/accept', { params, body }));
    case 'reject':
      return call(client.POST('/v1/fulfillments/{id}/reject', { params, body }));
    case 'ready':
      return call(client.POST('/v1/fulfillments/{id}/ready', { params, body }));
    case 'ship':
      return call(client.POST('/v1/fulfillments/{id}/ship', { params, body }));
    case 'deliver':
      return call(client.POST('/v1/fulfillments/{id}/deliver', { params, body }));
  }
}

/** 核销: the customer's pickup code at the counter. */
export const verifyPickup = (store: string, code: string) =>
  call(client.POST('/v1/pickups/verify', { body: { store, code } }));

/** Her cart (购物车), kept on the server: the same after a reload, on another device, after the next login. */
export type Cart = Answer<'/v1/members/{id}/cart'>;
export type CartLine = Cart['lines'][number];
export const cartOf = (memberId: string, signal?: AbortSignal) =>
  call(client.GET('/v1/members/{id}/cart', { params: { path: { id: memberId } }, signal }));
export const setCartLine = (memberId: string, sku: string, quantity: number, store?: string) =>
  call(
    client.PUT('/v1/members/{id}/cart/{sku}', {
      params: { path: { id: memberId, sku } },
      body: { quantity, ...(store ? { store } : {}) },
    }),
  );
export const removeCartLine = (memberId: string, sku: string) =>
  call(client.DELETE('/v1/members/{id}/cart/{sku}', { params: { path: { id: memberId, sku } } }));

/** What sourcing can offer a basket now (pickup where, delivery, same-day), before she chooses; reads only. */
export type FulfillmentOptionsRequest = Body<'/v1/orders/fulfillment-options'>;
export type FulfillmentOption = Answer<'/v1/orders/fulfillment-options', 'post'>['items'][number];
export const fulfillmentOptions = (body: FulfillmentOptionsRequest, signal?: AbortSignal) =>
  call(client.POST('/v1/orders/fulfillment-options', { body, signal }));

/** Cash a courier return left owed: handed back across this store's counter, by whoever hands it. */
export const handOverCashRefund = (refundId: string, store: string) =>
  call(
    client.POST('/v1/refunds/{id}/cash-handover', { params: { path: { id: refundId } }, body: { store } }),
  );
