import { api, seg } from './client';
import type { Page } from './types';

/** The order hub's shapes as the console reads them (money in integer fen, times ISO 8601 UTC). */
export type OrderStatus = 'pending_payment' | 'paid' | 'fulfilling' | 'completed' | 'cancelled';
export const ORDER_STATUSES: readonly OrderStatus[] = [
  'pending_payment',
  'paid',
  'fulfilling',
  'completed',
  'cancelled',
];

export type FulfillmentStatus =
  | 'pending'
  | 'accepted'
  | 'awaiting_transfer'
  | 'ready_for_pickup'
  | 'shipped'
  | 'delivered'
  | 'picked_up'
  | 'cancelled';

export type FulfillmentType = 'ship' | 'pickup' | 'same_day' | 'carry_out';
export type FulfillmentAction = 'accept' | 'reject' | 'ready' | 'ship' | 'deliver';

/** Statuses whose order counts toward GMV: the money has been taken and not given back by a cancellation. */
export const GMV_STATUSES: ReadonlySet<string> = new Set(['paid', 'fulfilling', 'completed']);

export interface OrderSummary {
  id: string;
  channel: string;
  externalId: string | null;
  storeCode: string | null;
  memberId: string | null;
  status: OrderStatus;
  fulfillmentType: string;
  fulfillmentStore: string | null;
  totalAmount: number;
  payableAmount: number;
  paidAmount: number;
  createdAt: string;
}

export interface OrderLine {
  lineNo: number;
  sku: string;
  name: string;
  category: string;
  quantity: number;
  unitPrice: number;
  lineAmount: number;
  discountAmount: number;
  pointsAmount: number;
  paidAmount: number;
}

export interface Fulfillment {
  id: string;
  orderId: string;
  location: string;
  type: FulfillmentType;
  status: FulfillmentStatus;
  /** Only HQ and the customer receive it; store staff verify a code, they never read it. */
  pickupCode?: string | null;
  readyBy: string | null;
  readyAt: string | null;
  pickupDeadline: string | null;
  carrier: string | null;
  trackingNumber: string | null;
  lines: { sku: string; quantity: number }[];
  transfers: { transferId: string; from: string; sku: string; quantity: number; received: boolean }[];
  createdAt: string;
  updatedAt: string;
}

export interface Explanation {
  location: string;
  decision: 'chosen' | 'excluded' | 'not_needed';
  reasons: string[];
  message: string;
  distanceKm?: number;
}

export interface PlannedGroup {
  location: string;
  type: FulfillmentType;
  lines: { sku: string; quantity: number }[];
  transfers?: { from: string; sku: string; quantity: number }[];
  readyBy?: string;
  distanceKm?: number;
}

export interface TimelineEntry {
  at: string;
  kind: string;
  from: string | null;
  to: string | null;
  /** What happened, as a code with its params (null on entries older than codes): see orders/timelineText. */
  code: string | null;
  params: Record<string, unknown> | null;
  /** The same in English, as the server wrote it. */
  message: string;
  actor: string | null;
  data: unknown;
}

export interface Payment {
  id: string;
  orderId: string;
  provider: string;
  amount: number;
  status: string;
  providerTxnId: string;
  refundedAmount: number;
  failureReason: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Refund {
  id: string;
  paymentId: string;
  orderId: string;
  amount: number;
  status: string;
  attempts: number;
  lastError: string | null;
  reference: string;
  reason: string;
  createdAt: string;
  updatedAt: string;
}

export interface Address {
  city: string;
  lat: number;
  lng: number;
  line1?: string;
  name?: string;
  phone?: string;
  masked?: boolean;
}

export interface Order {
  id: string;
  channel: string;
  externalId: string | null;
  storeCode: string | null;
  guide: string | null;
  memberId: string | null;
  status: OrderStatus;
  lines: OrderLine[];
  totalAmount: number;
  discountAmount: number;
  pointsAmount: number;
  payableAmount: number;
  paidAmount: number;
  couponCodes: string[];
  fulfillment: { type: string; store: string | null; address: Address | null };
  fulfillmentPlan: { groups: PlannedGroup[]; explanation: Explanation[] };
  fulfillments: Fulfillment[];
  timeline: TimelineEntry[];
  payments?: Payment[];
  expiresAt: string;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
  cancelledAt: string | null;
  cancelReason: string | null;
}

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

export function getOrder(id: string): Promise<Order> {
  return api.get<Order>(`/v1/orders/${seg(id)}`);
}

export function listOrders(query: Record<string, string | number | null | undefined>) {
  return api.get<Page<OrderSummary>>('/v1/orders', query);
}

export function actOnFulfillment(
  id: string,
  action: FulfillmentAction,
  body: { reason?: string; carrier?: string; trackingNumber?: string } = {},
): Promise<Fulfillment> {
  return api.post<Fulfillment>(`/v1/fulfillments/${seg(id)}/${action}`, body);
}
