import { Tag, Timeline, Typography } from 'antd';
import { useMemo } from 'react';
import { useLocations } from '../api/catalog';
import type { Fulfillment, FulfillmentStatus, OrderStatus, OrderSummary, TimelineEntry } from '../api/orders';
import { formatDateTime, formatFen } from '../format';
import { type Translate, useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/messages';
import { type TimelineFormat, timelineText } from './timelineText';

/**
 * A code the server sends (a status, a reason, a timeline kind) in the reader's language; a code this console
 * does not know yet (a context that landed later) is shown as it is rather than hidden.
 */
export function codeLabel(t: Translate, prefix: string, code: string | null | undefined): string {
  if (!code) return '—';
  const key = `${prefix}.${code}`;
  const text = t(key as MessageKey);
  return text === key ? code : text;
}

const ORDER_COLORS: Record<OrderStatus, string> = {
  pending_payment: 'gold',
  paid: 'blue',
  fulfilling: 'geekblue',
  completed: 'green',
  cancelled: 'default',
};

const FULFILLMENT_COLORS: Record<FulfillmentStatus, string> = {
  pending: 'gold',
  accepted: 'blue',
  awaiting_transfer: 'purple',
  ready_for_pickup: 'cyan',
  shipped: 'geekblue',
  delivered: 'green',
  picked_up: 'green',
  cancelled: 'default',
};

export function OrderStatusTag({ status }: { status: string }) {
  const { t } = useI18n();
  return (
    <Tag
      color={ORDER_COLORS[status as OrderStatus] ?? 'default'}
      data-testid="order-status"
      data-status={status}
    >
      {codeLabel(t, 'orderStatus', status)}
    </Tag>
  );
}

export function FulfillmentStatusTag({ status }: { status: string }) {
  const { t } = useI18n();
  return (
    <Tag
      color={FULFILLMENT_COLORS[status as FulfillmentStatus] ?? 'default'}
      data-testid="fulfillment-status"
      data-status={status}
    >
      {codeLabel(t, 'fulfillmentStatus', status)}
    </Tag>
  );
}

/** When a group is due: ready-by for a pickup, the deadline once it waits at the counter; else its parcel, or —. */
export function FulfillmentTimes({ f }: { f: Fulfillment }) {
  const { t, locale } = useI18n();
  return (
    <span style={{ color: '#595959' }}>
      {f.status === 'ready_for_pickup' && f.pickupDeadline
        ? `${t('fulfillment.pickupDeadline')} ${formatDateTime(f.pickupDeadline, locale, false)}`
        : f.readyBy && (f.status === 'pending' || f.status === 'accepted' || f.status === 'awaiting_transfer')
          ? `${t('fulfillment.readyBy')} ${formatDateTime(f.readyBy, locale, false)}`
          : f.trackingNumber
            ? // Shipped: no deadline left; the parcel's number is what people look for here.
              `${t('fulfillment.trackingNumber')} ${f.carrier ?? ''} ${f.trackingNumber}`
            : '—'}
    </span>
  );
}

/** How a timeline entry's params are shown to this reader (labels, money, the brand's time). */
export function useTimelineFormat(): TimelineFormat {
  const { t, locale } = useI18n();
  // Stores by name, as a customer knows them (the list is public and cached once per page load).
  const { locations } = useLocations();
  return useMemo(() => {
    const names = new Map((locations ?? []).map((l) => [l.code, l.name]));
    return {
      locale,
      label: (prefix, code) => codeLabel(t, prefix, code),
      money: formatFen,
      time: (iso) => formatDateTime(iso, locale, false),
      place: (code) => names.get(code) ?? code,
    };
  }, [t, locale, locations]);
}

/** Every step of the order, whichever context wrote it (after-sales steps included). */
export function OrderTimeline({ timeline }: { timeline: TimelineEntry[] }) {
  const { t, locale } = useI18n();
  const format = useTimelineFormat();
  const colors: Record<string, string> = {
    status: 'blue',
    payment: 'green',
    refund: 'orange',
    fulfillment: 'gray',
  };
  return (
    <Timeline
      data-testid="order-timeline"
      items={timeline.map((entry, i) => ({
        key: `${entry.at}-${i}`,
        color: colors[entry.kind] ?? 'purple',
        children: (
          <div data-kind={entry.kind}>
            <Typography.Text type="secondary" style={{ marginRight: 8 }}>
              {formatDateTime(entry.at, locale)}
            </Typography.Text>
            <Tag>{codeLabel(t, 'timeline', entry.kind)}</Tag>
            {entry.to ? (
              <span style={{ marginRight: 8 }}>
                {entry.from ? `${codeLabel(t, 'orderStatus', entry.from)} → ` : ''}
                <strong>{codeLabel(t, 'orderStatus', entry.to)}</strong>
              </span>
            ) : null}
            <div data-code={entry.code ?? undefined}>{timelineText(entry, format)}</div>
            {entry.actor ? (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {entry.actor}
              </Typography.Text>
            ) : null}
          </div>
        ),
      }))}
    />
  );
}

/** What an order bought, as a list row says it: its first lines, and how many more. */
export function OrderItems({ order }: { order: Pick<OrderSummary, 'lines' | 'lineCount'> }) {
  const { t, locale } = useI18n();
  const more = order.lineCount - order.lines.length;
  return (
    <Typography.Text data-testid="order-items">
      {order.lines.map((l) => `${l.name} × ${l.quantity}`).join(locale === 'zh-CN' ? '，' : ', ')}
      {more > 0 ? ` ${t('order.moreLines', { count: more })}` : ''}
    </Typography.Text>
  );
}

/** What an order costs, and what of it was refunded (all of it: a returned or cancelled order says so). */
export function OrderMoney({ order }: { order: Pick<OrderSummary, 'payableAmount' | 'refundedAmount'> }) {
  const { t } = useI18n();
  const refunded = order.refundedAmount;
  return (
    <span data-testid="order-money">
      <strong>{formatFen(order.payableAmount)}</strong>
      {refunded > 0 ? (
        <Tag color={refunded >= order.payableAmount ? 'red' : 'orange'} style={{ marginLeft: 8 }}>
          {refunded >= order.payableAmount
            ? t('order.refundedAll')
            : t('order.refundedPart', { amount: formatFen(refunded) })}
        </Tag>
      ) : null}
    </span>
  );
}
