/**
 * What an order's timeline says, as data. Each entry has a stable `code` and the `params` it speaks of (location
 * codes, SKUs, amounts in fen, a person's free text); the sentence stored with it (`message`) is the English one
 * made from them here. The console says the same in its reader's language from the code and the params, so a
 * store in Shanghai reads its orders in Chinese whatever wrote them. Pure: no I/O.
 */

export interface TimelineLine {
  sku: string;
  quantity: number;
}

/**
 * Why the system, not a person, cancelled or refunded. A person's reason is their own words and is shown as
 * written; a system reason also carries one of these codes, which the console translates.
 */
export type SystemReason =
  | 'NOT_PAID_IN_TIME'
  | 'NOT_COLLECTED'
  | 'NOT_ACCEPTED_IN_TIME'
  | 'NO_SOURCE'
  | 'GROUP_NO_SOURCE'
  | 'NO_REASON_GIVEN';

const SYSTEM_REASON_TEXT: Record<Exclude<SystemReason, 'NO_REASON_GIVEN'>, string> = {
  NOT_PAID_IN_TIME: 'not paid in time',
  NOT_COLLECTED: 'not collected by the pickup deadline',
  NOT_ACCEPTED_IN_TIME: 'not accepted in time',
  NO_SOURCE: 'No location could fulfil the order',
  GROUP_NO_SOURCE: 'Nothing could fulfil the group',
};

/** A reason as an entry keeps it: the words, and their code (and location) when the system gave them. */
export interface Reason {
  reason: string;
  reasonCode: SystemReason | null;
  reasonAt?: string;
}

export interface TimelineParams {
  'order.placed': { channel: string; groups: number };
  'order.imported': { importId: string; externalId: string };
  'order.paid': { amount: number; provider: string };
  'order.paid_by_benefits': Record<string, never>;
  'order.fulfilling': Record<string, never>;
  'order.completed': Record<string, never>;
  'order.cancelled': Reason;
  'order.lines_cancelled': { lines: TimelineLine[] } & Reason;
  'fulfillment.accepted': { location: string; type: string };
  'fulfillment.rejected': { location: string; type: string } & Reason;
  'fulfillment.resourced': { locations: string[] };
  'fulfillment.transfer_arrived': { location: string; sku: string; quantity: number };
  'fulfillment.ready_for_pickup': { location: string; deadline: string };
  'fulfillment.shipped': { location: string; carrier: string | null; trackingNumber: string | null };
  'fulfillment.delivered': { location: string };
  'fulfillment.picked_up': { location: string };
  'fulfillment.not_collected': { location: string; deadline: string };
  'payment.declined': { paymentId: string; failureReason: string | null };
  'payment.late': { paymentId: string; status: string };
  'refund.started': { amount: number } & Partial<Reason>;
  'return.requested': {
    returnId: string;
    received: boolean;
    channel: string;
    location: string;
    lines: TimelineLine[];
    amount: number;
    points: number;
  };
  'return.received': {
    returnId: string;
    location: string;
    lines: TimelineLine[];
    damaged: TimelineLine[];
    pointsReversed: number;
    pointsRestored: number;
    couponsRestored: string[];
  };
  'return.refund_sent': { returnId: string; amount: number };
  'return.refund_declined': { returnId: string; amount: number; attempts: number; error: string | null };
  'return.settled': { returnId: string; amount: number; confirmed: boolean };
  'return.cancelled': { returnId: string; reason: string };
  'return.shipped': { returnId: string; carrier: string; trackingNumber: string };
  'exchange.created': {
    exchangeId: string;
    location: string;
    value: number;
    replacementOrderId: string;
    replacementTotal: number;
    payable: number;
    refund: number;
  };
  'exchange.replacement': {
    exchangeId: string;
    originalOrderId: string;
    credit: number;
    payable: number;
    refund: number;
  };
  'exchange.replacement_cancelled': { exchangeId: string; replacementOrderId: string; amount: number };
  'exchange.credit_refunded': { amount: number; reference: string };
  'exchange.credit_refund_declined': { amount: number; attempts: number; error: string | null };
}

export type TimelineCode = keyof TimelineParams;

/** An entry's code and params, typed together. */
export type TimelineSay = { [C in TimelineCode]: { code: C; params: TimelineParams[C] } }[TimelineCode];

function fen(amount: number): string {
  return `¥${(amount / 100).toFixed(2)}`;
}

function lines(list: readonly TimelineLine[]): string {
  return list.map((l) => `${l.quantity} × ${l.sku}`).join(', ');
}

function settlement(p: { payable: number; refund: number }): string {
  return p.payable > 0
    ? `the customer pays the difference of ${fen(p.payable)} on the replacement`
    : p.refund > 0
      ? `the difference of ${fen(p.refund)} is refunded`
      : 'no difference';
}

const ENGLISH: { [C in TimelineCode]: (p: TimelineParams[C]) => string } = {
  'order.placed': (p) => `Order placed in channel ${p.channel}; ${p.groups} fulfillment group(s) planned`,
  'order.imported': (p) => `Imported from the brand's history as ${p.externalId} (${p.importId})`,
  'order.paid': (p) => `Paid ${fen(p.amount)} (${p.provider})`,
  'order.paid_by_benefits': () => 'Nothing left to pay',
  'order.fulfilling': () => 'Fulfillment started',
  'order.completed': () => 'Every group delivered or picked up',
  'order.cancelled': (p) => `Cancelled: ${p.reason}`,
  'order.lines_cancelled': (p) => `Cancelled ${lines(p.lines)}: ${p.reason}`,
  'fulfillment.accepted': (p) => `${p.location} accepted the ${p.type} group`,
  'fulfillment.rejected': (p) => `${p.location} did not take the ${p.type} group: ${p.reason}`,
  'fulfillment.resourced': (p) => `Re-sourced to ${p.locations.join(', ')}`,
  'fulfillment.transfer_arrived': (p) => `Transfer of ${p.quantity} × ${p.sku} arrived at ${p.location}`,
  'fulfillment.ready_for_pickup': (p) => `Ready for pickup at ${p.location} until ${p.deadline}`,
  'fulfillment.shipped': (p) =>
    `Shipped from ${p.location}${p.trackingNumber ? ` (${p.carrier ?? 'carrier'} ${p.trackingNumber})` : ''}`,
  'fulfillment.delivered': (p) => `Delivered (from ${p.location})`,
  'fulfillment.picked_up': (p) => `Picked up at ${p.location}`,
  'fulfillment.not_collected': (p) => `Not collected at ${p.location} by ${p.deadline}`,
  'payment.declined': (p) =>
    `Payment ${p.paymentId} declined${p.failureReason ? `: ${p.failureReason}` : ''}; the order can still be paid`,
  'payment.late': (p) => `Payment ${p.paymentId} arrived while the order was ${p.status}: refunded`,
  'refund.started': (p) => `Refund of ${fen(p.amount)} started${p.reason ? `: ${p.reason}` : ''}`,
  'return.requested': (p) =>
    `Return ${p.returnId} ${p.received ? 'started' : 'requested'} in channel ${p.channel} at ${p.location}: ${lines(p.lines)}; worth ${fen(p.amount)}${p.points > 0 ? ` and ${fen(p.points)} in points` : ''}`,
  'return.received': (p) =>
    `Return ${p.returnId} received at ${p.location}: ${lines(p.lines)}${p.damaged.length > 0 ? ` (damaged, quarantined: ${lines(p.damaged)})` : ''}${
      p.pointsReversed > 0 ? `; ${p.pointsReversed} earned points taken back` : ''
    }${p.pointsRestored > 0 ? `; ${p.pointsRestored} points given back` : ''}${
      p.couponsRestored.length > 0 ? `; coupons restored: ${p.couponsRestored.join(', ')}` : ''
    }`,
  'return.refund_sent': (p) =>
    `Refund of ${fen(p.amount)} for return ${p.returnId} sent to the original payment; waiting for the provider`,
  'return.refund_declined': (p) =>
    `Refund of ${fen(p.amount)} for return ${p.returnId} declined by the provider (attempt ${p.attempts}): ${p.error ?? 'no reason given'}; it is retried`,
  'return.settled': (p) =>
    `Return ${p.returnId} settled: ${p.confirmed ? `${fen(p.amount)} refunded, confirmed by the provider` : 'nothing to refund to a payment'}`,
  'return.cancelled': (p) => `Return ${p.returnId} cancelled: ${p.reason}`,
  'return.shipped': (p) => `Return ${p.returnId} sent by courier: ${p.carrier} ${p.trackingNumber}`,
  'exchange.created': (p) =>
    `Exchange ${p.exchangeId} at ${p.location}: returned units worth ${fen(p.value)} replaced by order ${p.replacementOrderId} (${fen(p.replacementTotal)}); ${settlement(p)}`,
  'exchange.replacement': (p) =>
    `Replacement in exchange ${p.exchangeId} for order ${p.originalOrderId}: credit ${fen(p.credit)}; ${settlement(p)}`,
  'exchange.replacement_cancelled': (p) =>
    `Replacement ${p.replacementOrderId} of exchange ${p.exchangeId} was cancelled: the credit of ${fen(p.amount)} is refunded to the original payment`,
  'exchange.credit_refunded': (p) => `Exchange credit of ${fen(p.amount)} refunded (${p.reference})`,
  'exchange.credit_refund_declined': (p) =>
    `Refund of the exchange credit (${fen(p.amount)}) declined by the provider (attempt ${p.attempts}): ${p.error ?? 'no reason given'}; it is retried`,
};

/** The English sentence of an entry (stored as its `message`). */
export function timelineSentence(say: TimelineSay): string {
  return (ENGLISH[say.code] as (p: TimelineParams[typeof say.code]) => string)(say.params);
}

/** The codes there are (the console keeps a sentence for each: a test holds both lists together). */
export const TIMELINE_CODES = Object.keys(ENGLISH) as TimelineCode[];

/** A system reason: its words and its code, and the location it concerns. */
export function systemReason(code: Exclude<SystemReason, 'NO_REASON_GIVEN'>, at?: string): Reason {
  const text = SYSTEM_REASON_TEXT[code];
  return at === undefined
    ? { reason: text, reasonCode: code }
    : { reason: `${text} from ${at}`, reasonCode: code, reasonAt: at };
}

/**
 * A person's reason: their words, with no code. A person who gave none gets `otherwise` as the words (which the
 * API has always answered, e.g. "rejected by the store") and NO_REASON_GIVEN as the code.
 */
export function personReason(words: string | undefined, otherwise: string): Reason {
  return words === undefined
    ? { reason: otherwise, reasonCode: 'NO_REASON_GIVEN' }
    : { reason: words, reasonCode: null };
}
