import { api } from './client';

/** After-sales as the console reads it: returns, exchanges, service slots and appointments. */
export type ReturnStatus = 'requested' | 'received' | 'refunded' | 'cancelled';
export type ReturnRefundStatus = 'not_started' | 'not_needed' | 'pending' | 'failed' | 'succeeded';
export type ItemCondition = 'resellable' | 'damaged';

export interface ReturnLine {
  lineNo: number;
  sku: string;
  quantity: number;
  condition: ItemCondition | null;
  refundAmount: number;
  pointsAmount: number;
}

export interface ReturnView {
  id: string;
  orderId: string;
  memberId: string | null;
  exchangeId: string | null;
  status: ReturnStatus;
  channel: string;
  location: string;
  receivedLocation: string | null;
  reason: string;
  condition: ItemCondition;
  lines: ReturnLine[];
  moneyValue: number;
  creditAmount: number;
  refundAmount: number;
  pointsAmount: number;
  refundStatus: ReturnRefundStatus;
  refundAttempts: number;
  refundLastError: string | null;
  loyalty: { pointsReversed: number; pointsRestored: number; couponsRestored: string[] } | null;
  requestedBy: string;
  receivedBy: string | null;
  createdAt: string;
  updatedAt: string;
  receivedAt: string | null;
  refundedAt: string | null;
}

export interface ExchangeView {
  id: string;
  orderId: string;
  returnId: string;
  replacementOrderId: string;
  channel: string;
  location: string;
  creditAmount: number;
  refundAmount: number;
  payableAmount: number;
  creditRefunded: boolean;
  createdBy: string;
  createdAt: string;
  return?: ReturnView;
}

export const SERVICE_KINDS = ['skin_test', 'makeup', 'facial', 'after_sales_check'] as const;
export type ServiceKind = (typeof SERVICE_KINDS)[number];

export interface Slot {
  id: string;
  store: string;
  service: ServiceKind | string;
  startsAt: string;
  endsAt: string;
  localDay: string;
  capacity: number;
  booked: number;
  available: number;
}

export interface Appointment {
  id: string;
  slotId: string;
  store: string;
  service: ServiceKind | string;
  startsAt: string;
  endsAt: string;
  localDay: string;
  memberId: string;
  channel: string;
  note: string | null;
  status: 'booked' | 'cancelled';
  bookedBy: string;
  createdAt: string;
  cancelledAt: string | null;
  cancelReason: string | null;
}

export interface StoreCalendar {
  date: string;
  store: string;
  slots: Slot[];
  items: Appointment[];
  nextCursor: string | null;
}

export interface LineInput {
  sku: string;
  quantity: number;
}

export const createReturn = (body: {
  orderId: string;
  lines: LineInput[];
  channel: 'pos';
  location: string;
  reason: string;
  condition: ItemCondition;
  clientRequestId: string;
}) => api.post<ReturnView>('/v1/returns', body);

export const createExchange = (body: {
  orderId: string;
  returnLines: LineInput[];
  replacementLines: LineInput[];
  location: string;
  channel: 'pos';
  fulfillment: { type: 'carry_out' };
  condition: ItemCondition;
  reason?: string;
  clientRequestId: string;
}) => api.post<ExchangeView & { return: ReturnView }>('/v1/exchanges', body);
