import type { TimelineEntry } from '../api/orders';

/**
 * An order's timeline in the reader's language. The server keeps each entry as a code and its params
 * (src/orders/orders.timeline.ts) with an English sentence; here each code has a sentence in Chinese and in
 * English, with amounts, times, channels and group types shown the console's way. An entry older than the codes,
 * or of a code this console does not know yet, shows the server's sentence.
 */
export interface TimelineFormat {
  locale: 'zh-CN' | 'en-US';
  /** A code's label in the reader's language (`channel.online`, `fulfillmentType.ship`, `orderStatus.paid`). */
  label(prefix: string, code: string): string;
  money(fen: number): string;
  time(iso: string): string;
  /** A store's or warehouse's name for its code (the code itself when the name is not known here). */
  place(code: string): string;
}

type Params = Record<string, unknown>;
type Sentence = (p: Params, f: TimelineFormat) => string;

interface Line {
  sku: string;
  quantity: number;
}

const str = (value: unknown): string => (value === null || value === undefined ? '' : String(value));
const num = (value: unknown): number => Number(value ?? 0);
const list = (value: unknown): Line[] => (Array.isArray(value) ? (value as Line[]) : []);
const lines = (value: unknown): string =>
  list(value)
    .map((l) => `${l.quantity} × ${l.sku}`)
    .join(', ');
const words = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);

/** Why the system cancelled or refunded, from its code; a person's reason as they wrote it. */
const SYSTEM_REASONS: Record<'zh-CN' | 'en-US', Record<string, (at: string) => string>> = {
  'zh-CN': {
    NOT_PAID_IN_TIME: () => '超时未支付',
    NOT_COLLECTED: () => '超过取货期限未取货',
    NOT_ACCEPTED_IN_TIME: () => '未在时限内接单',
    NO_REASON_GIVEN: () => '未说明原因',
    NO_SOURCE: () => '没有门店或仓库能履约该订单',
    GROUP_NO_SOURCE: (at) => `${at} 无法履约该组，也没有其他地点可改派`,
  },
  'en-US': {
    NOT_PAID_IN_TIME: () => 'not paid in time',
    NOT_COLLECTED: () => 'not collected by the pickup deadline',
    NOT_ACCEPTED_IN_TIME: () => 'not accepted in time',
    NO_REASON_GIVEN: () => 'no reason given',
    NO_SOURCE: () => 'no location could fulfil the order',
    GROUP_NO_SOURCE: (at) => `nothing could fulfil the group from ${at}`,
  },
};

function reason(p: Params, f: TimelineFormat): string {
  const code = str(p.reasonCode);
  const system = code ? SYSTEM_REASONS[f.locale][code] : undefined;
  return system ? system(str(p.reasonAt)) : str(p.reason);
}

function settlementZh(p: Params, f: TimelineFormat): string {
  return num(p.payable) > 0
    ? `顾客在换新订单补差价 ${f.money(num(p.payable))}`
    : num(p.refund) > 0
      ? `差价 ${f.money(num(p.refund))} 原路退回`
      : '无差价';
}

function settlementEn(p: Params, f: TimelineFormat): string {
  return num(p.payable) > 0
    ? `the customer pays the difference of ${f.money(num(p.payable))} on the replacement`
    : num(p.refund) > 0
      ? `the difference of ${f.money(num(p.refund))} is refunded`
      : 'no difference';
}

export const TIMELINE_ZH: Record<string, Sentence> = {
  'order.placed': (p, f) => `在${f.label('channel', str(p.channel))}下单，规划了 ${num(p.groups)} 个履约组`,
  'order.imported': (p) => `从品牌历史数据导入（原单号 ${str(p.externalId)}）`,
  'order.paid': (p, f) => `已支付 ${f.money(num(p.amount))}（${str(p.provider)}）`,
  'order.paid_by_benefits': () => '优惠券、积分或换货抵扣已付清，无需再支付',
  'order.fulfilling': () => '开始履约',
  'order.completed': () => '所有履约组均已送达或取货',
  'order.cancelled': (p, f) => `订单已取消：${reason(p, f)}`,
  'order.lines_cancelled': (p, f) => `取消了 ${lines(p.lines)}：${reason(p, f)}`,
  'fulfillment.accepted': (p, f) =>
    `${f.place(str(p.location))} 已接单（${f.label('fulfillmentType', str(p.type))}）`,
  'fulfillment.rejected': (p, f) =>
    `${f.place(str(p.location))} 未接受${f.label('fulfillmentType', str(p.type))}任务：${reason(p, f)}`,
  'fulfillment.resourced': (p) => `已改派至 ${words(p.locations).join('、')}`,
  'fulfillment.transfer_arrived': (p, f) =>
    `调拨的 ${num(p.quantity)} × ${str(p.sku)} 已到达 ${f.place(str(p.location))}`,
  'fulfillment.ready_for_pickup': (p, f) =>
    `${f.place(str(p.location))} 已备好货，可取货至 ${f.time(str(p.deadline))}`,
  'fulfillment.shipped': (p, f) =>
    `已从 ${f.place(str(p.location))} 发货${p.trackingNumber ? `（${str(p.carrier) || '快递'} ${str(p.trackingNumber)}）` : ''}`,
  'fulfillment.delivered': (p, f) => `已送达（自 ${f.place(str(p.location))} 发出）`,
  'fulfillment.picked_up': (p, f) => `顾客已在 ${f.place(str(p.location))} 取货`,
  'fulfillment.not_collected': (p, f) =>
    `顾客未在 ${f.time(str(p.deadline))} 前到 ${f.place(str(p.location))} 取货`,
  'payment.declined': (p) =>
    `支付 ${str(p.paymentId)} 被拒绝${p.failureReason ? `：${str(p.failureReason)}` : ''}；订单仍可支付`,
  'payment.late': (p, f) =>
    `支付 ${str(p.paymentId)} 到账时订单已${f.label('orderStatus', str(p.status))}，已原路退款`,
  'refund.started': (p, f) =>
    `已发起退款 ${f.money(num(p.amount))}${p.reason || p.reasonCode ? `：${reason(p, f)}` : ''}`,
  'return.requested': (p, f) =>
    `退货 ${str(p.returnId)} 已${p.received ? '受理' : '申请'}（${f.label('channel', str(p.channel))}，${f.place(str(p.location))}）：${lines(p.lines)}；价值 ${f.money(num(p.amount))}${num(p.points) > 0 ? `，另有积分抵扣 ${f.money(num(p.points))}` : ''}`,
  'return.received': (p, f) =>
    `退货 ${str(p.returnId)} 已在 ${f.place(str(p.location))} 收货：${lines(p.lines)}${list(p.damaged).length > 0 ? `（破损，已隔离：${lines(p.damaged)}）` : ''}${
      num(p.pointsReversed) > 0 ? `；扣回已发放积分 ${num(p.pointsReversed)}` : ''
    }${num(p.pointsRestored) > 0 ? `；退回抵扣积分 ${num(p.pointsRestored)}` : ''}${
      words(p.couponsRestored).length > 0 ? `；恢复优惠券 ${words(p.couponsRestored).join('、')}` : ''
    }`,
  'return.refund_sent': (p, f) =>
    `退货 ${str(p.returnId)} 的退款 ${f.money(num(p.amount))} 已原路退回，等待支付渠道确认`,
  'return.refund_declined': (p, f) =>
    `退货 ${str(p.returnId)} 的退款 ${f.money(num(p.amount))} 被支付渠道拒绝（第 ${num(p.attempts)} 次）：${str(p.error) || '未说明原因'}；将自动重试`,
  'return.settled': (p, f) =>
    `退货 ${str(p.returnId)} 已结清：${p.confirmed ? `退款 ${f.money(num(p.amount))} 已由支付渠道确认` : '无需退回支付'}`,
  'return.cancelled': (p) => `退货 ${str(p.returnId)} 已取消：${str(p.reason)}`,
  'return.shipped': (p) => `退货已寄出：${str(p.carrier)} ${str(p.trackingNumber)}`,
  'exchange.created': (p, f) =>
    `换货 ${str(p.exchangeId)}（${f.place(str(p.location))}）：退回商品价值 ${f.money(num(p.value))}，换为订单 ${str(p.replacementOrderId)}（${f.money(num(p.replacementTotal))}）；${settlementZh(p, f)}`,
  'exchange.replacement': (p, f) =>
    `换货 ${str(p.exchangeId)} 的换新订单（原订单 ${str(p.originalOrderId)}）：抵扣 ${f.money(num(p.credit))}；${settlementZh(p, f)}`,
  'exchange.replacement_cancelled': (p, f) =>
    `换货 ${str(p.exchangeId)} 的换新订单 ${str(p.replacementOrderId)} 已取消：抵扣额 ${f.money(num(p.amount))} 退回原支付方式`,
  'exchange.credit_refunded': (p, f) => `换货抵扣额 ${f.money(num(p.amount))} 已退款（${str(p.reference)}）`,
  'exchange.credit_refund_declined': (p, f) =>
    `换货抵扣额 ${f.money(num(p.amount))} 的退款被支付渠道拒绝（第 ${num(p.attempts)} 次）：${str(p.error) || '未说明原因'}；将自动重试`,
};

export const TIMELINE_EN: Record<string, Sentence> = {
  'order.imported': (p) => `Imported from the brand's history (was ${str(p.externalId)})`,
  'order.placed': (p, f) =>
    `Placed in ${f.label('channel', str(p.channel))}; ${num(p.groups) === 1 ? 'one fulfillment group' : `${num(p.groups)} fulfillment groups`} planned`,
  'order.paid': (p, f) => `Paid ${f.money(num(p.amount))} (${str(p.provider)})`,
  'order.paid_by_benefits': () => 'Coupons, points or an exchange credit paid it all: nothing left to pay',
  'order.fulfilling': () => 'Fulfillment started',
  'order.completed': () => 'Every group delivered or picked up',
  'order.cancelled': (p, f) => `Cancelled: ${reason(p, f)}`,
  'order.lines_cancelled': (p, f) => `Cancelled ${lines(p.lines)}: ${reason(p, f)}`,
  'fulfillment.accepted': (p, f) =>
    `${f.place(str(p.location))} accepted the ${f.label('fulfillmentType', str(p.type)).toLowerCase()} group`,
  'fulfillment.rejected': (p, f) =>
    `${f.place(str(p.location))} did not take the ${f.label('fulfillmentType', str(p.type)).toLowerCase()} group: ${reason(p, f)}`,
  'fulfillment.resourced': (p) => `Re-sourced to ${words(p.locations).join(', ')}`,
  'fulfillment.transfer_arrived': (p, f) =>
    `Transfer of ${num(p.quantity)} × ${str(p.sku)} arrived at ${f.place(str(p.location))}`,
  'fulfillment.ready_for_pickup': (p, f) =>
    `Ready for pickup at ${f.place(str(p.location))} until ${f.time(str(p.deadline))}`,
  'fulfillment.shipped': (p, f) =>
    `Shipped from ${f.place(str(p.location))}${p.trackingNumber ? ` (${str(p.carrier) || 'carrier'} ${str(p.trackingNumber)})` : ''}`,
  'fulfillment.delivered': (p, f) => `Delivered (from ${f.place(str(p.location))})`,
  'fulfillment.picked_up': (p, f) => `Picked up at ${f.place(str(p.location))}`,
  'fulfillment.not_collected': (p, f) =>
    `Not collected at ${f.place(str(p.location))} by ${f.time(str(p.deadline))}`,
  'payment.declined': (p) =>
    `Payment ${str(p.paymentId)} declined${p.failureReason ? `: ${str(p.failureReason)}` : ''}; the order can still be paid`,
  'payment.late': (p, f) =>
    `Payment ${str(p.paymentId)} arrived while the order was ${f.label('orderStatus', str(p.status)).toLowerCase()}: refunded`,
  'refund.started': (p, f) =>
    `Refund of ${f.money(num(p.amount))} started${p.reason || p.reasonCode ? `: ${reason(p, f)}` : ''}`,
  'return.requested': (p, f) =>
    `Return ${str(p.returnId)} ${p.received ? 'started' : 'requested'} in ${f.label('channel', str(p.channel))} at ${f.place(str(p.location))}: ${lines(p.lines)}; worth ${f.money(num(p.amount))}${num(p.points) > 0 ? ` and ${f.money(num(p.points))} in points` : ''}`,
  'return.received': (p, f) =>
    `Return ${str(p.returnId)} received at ${f.place(str(p.location))}: ${lines(p.lines)}${list(p.damaged).length > 0 ? ` (damaged, quarantined: ${lines(p.damaged)})` : ''}${
      num(p.pointsReversed) > 0 ? `; ${num(p.pointsReversed)} earned points taken back` : ''
    }${num(p.pointsRestored) > 0 ? `; ${num(p.pointsRestored)} points given back` : ''}${
      words(p.couponsRestored).length > 0 ? `; coupons restored: ${words(p.couponsRestored).join(', ')}` : ''
    }`,
  'return.refund_sent': (p, f) =>
    `Refund of ${f.money(num(p.amount))} for return ${str(p.returnId)} sent to the original payment; waiting for the provider`,
  'return.refund_declined': (p, f) =>
    `Refund of ${f.money(num(p.amount))} for return ${str(p.returnId)} declined by the provider (attempt ${num(p.attempts)}): ${str(p.error) || 'no reason given'}; it is retried`,
  'return.settled': (p, f) =>
    `Return ${str(p.returnId)} settled: ${p.confirmed ? `${f.money(num(p.amount))} refunded, confirmed by the provider` : 'nothing to refund to a payment'}`,
  'return.cancelled': (p) => `Return ${str(p.returnId)} cancelled: ${str(p.reason)}`,
  'return.shipped': (p) => `Return sent: ${str(p.carrier)} ${str(p.trackingNumber)}`,
  'exchange.created': (p, f) =>
    `Exchange ${str(p.exchangeId)} at ${f.place(str(p.location))}: returned units worth ${f.money(num(p.value))} replaced by order ${str(p.replacementOrderId)} (${f.money(num(p.replacementTotal))}); ${settlementEn(p, f)}`,
  'exchange.replacement': (p, f) =>
    `Replacement in exchange ${str(p.exchangeId)} for order ${str(p.originalOrderId)}: credit ${f.money(num(p.credit))}; ${settlementEn(p, f)}`,
  'exchange.replacement_cancelled': (p, f) =>
    `Replacement ${str(p.replacementOrderId)} of exchange ${str(p.exchangeId)} was cancelled: the credit of ${f.money(num(p.amount))} is refunded to the original payment`,
  'exchange.credit_refunded': (p, f) =>
    `Exchange credit of ${f.money(num(p.amount))} refunded (${str(p.reference)})`,
  'exchange.credit_refund_declined': (p, f) =>
    `Refund of the exchange credit (${f.money(num(p.amount))}) declined by the provider (attempt ${num(p.attempts)}): ${str(p.error) || 'no reason given'}; it is retried`,
};

/** The entry's sentence in the reader's language (the server's English one when its code is unknown here). */
export function timelineText(
  entry: Pick<TimelineEntry, 'code' | 'params' | 'message'>,
  f: TimelineFormat,
): string {
  const sentence = entry.code ? (f.locale === 'zh-CN' ? TIMELINE_ZH : TIMELINE_EN)[entry.code] : undefined;
  return sentence ? sentence(entry.params ?? {}, f) : entry.message;
}
