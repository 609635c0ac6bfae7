import { Descriptions, Tag, Tooltip, Typography } from 'antd';
import type { Explanation, Order, OrderLine, Payment, Refund } from '../api/orders';
import { type SimpleColumn, SimpleTable } from '../components/SimpleTable';
import { formatDateTime, formatFen } from '../format';
import { useI18n } from '../i18n/I18nProvider';
import { codeLabel } from './OrderParts';

/** The lines with their prices and what each was finally charged, and the order's totals below. */
export function OrderLines({ order, compact = false }: { order: Order; compact?: boolean }) {
  const { t } = useI18n();
  const columns: SimpleColumn<OrderLine>[] = [
    { key: 'sku', title: 'SKU', render: (l) => l.sku },
    ...(compact ? [] : [{ key: 'name', title: t('common.name'), render: (l: OrderLine) => l.name }]),
    { key: 'qty', title: t('order.quantity'), align: 'right', render: (l) => l.quantity },
    { key: 'price', title: t('order.unitPrice'), align: 'right', render: (l) => formatFen(l.unitPrice) },
    ...(compact
      ? []
      : [
          {
            key: 'discount',
            title: t('order.discount'),
            align: 'right' as const,
            render: (l: OrderLine) =>
              l.discountAmount + l.pointsAmount ? `-${formatFen(l.discountAmount + l.pointsAmount)}` : '—',
          },
        ]),
    { key: 'paid', title: t('order.lineAmount'), align: 'right', render: (l) => formatFen(l.paidAmount) },
  ];
  return (
    <>
      <SimpleTable
        columns={columns}
        rows={order.lines}
        rowKey={(l) => String(l.lineNo)}
        testId="order-lines"
      />
      <Descriptions size="small" column={compact ? 1 : 4} style={{ marginTop: 12 }}>
        <Descriptions.Item label={t('order.total')}>{formatFen(order.totalAmount)}</Descriptions.Item>
        <Descriptions.Item label={t('order.discount')}>
          {order.discountAmount ? `-${formatFen(order.discountAmount)}` : '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('order.points')}>
          {order.pointsAmount ? `-${formatFen(order.pointsAmount)}` : '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('order.payable')}>
          <Typography.Text strong data-testid="order-payable">
            {formatFen(order.payableAmount)}
          </Typography.Text>
          {order.paidAmount > 0 ? (
            <Typography.Text type="secondary">
              {' '}
              ({t('order.paid')} {formatFen(order.paidAmount)})
            </Typography.Text>
          ) : null}
        </Descriptions.Item>
      </Descriptions>
    </>
  );
}

const DECISION_COLORS: Record<Explanation['decision'], string> = {
  chosen: 'green',
  excluded: 'red',
  not_needed: 'default',
};

/** Every location the planner looked at: chosen, excluded or not needed, each with its reasons. */
export function PlanExplanation({ order }: { order: Order }) {
  const { t, locale } = useI18n();
  const rank = { chosen: 0, excluded: 1, not_needed: 2 } as const;
  const rows = [...order.fulfillmentPlan.explanation].sort(
    (a, b) => rank[a.decision] - rank[b.decision] || a.location.localeCompare(b.location),
  );
  return (
    <SimpleTable<Explanation>
      rows={rows}
      rowKey={(r) => r.location}
      testId="plan-explanation"
      columns={[
        { key: 'location', title: t('inventory.location'), width: 120, render: (r) => r.location },
        {
          key: 'decision',
          title: t('plan.decision'),
          width: 120,
          render: (r) => (
            <Tag color={DECISION_COLORS[r.decision]} data-decision={r.decision}>
              {codeLabel(t, 'plan.decision', r.decision)}
            </Tag>
          ),
        },
        {
          key: 'reasons',
          title: t('plan.reasons'),
          render: (r) => (
            // The server's own sentence (with quantities and distances) is one hover away.
            <Tooltip title={r.message}>
              <span>
                {r.reasons
                  .map((code) => codeLabel(t, 'sourcing', code))
                  .join(locale === 'zh-CN' ? '；' : '; ')}
                {r.distanceKm !== undefined ? ` · ${r.distanceKm.toFixed(1)} km` : ''}
              </span>
            </Tooltip>
          ),
        },
      ]}
    />
  );
}

export function PaymentsTable({ payments }: { payments: Payment[] }) {
  const { t, locale } = useI18n();
  return (
    <SimpleTable<Payment>
      rows={payments}
      rowKey={(p) => p.id}
      empty={t('order.noPayments')}
      testId="order-payments"
      columns={[
        { key: 'id', title: 'ID', render: (p) => p.id },
        { key: 'provider', title: t('payment.provider'), render: (p) => p.provider },
        { key: 'amount', title: t('order.amount'), align: 'right', render: (p) => formatFen(p.amount) },
        {
          key: 'status',
          title: t('common.status'),
          render: (p) => (
            <>
              <Tag color={p.status === 'succeeded' ? 'green' : p.status === 'failed' ? 'red' : 'default'}>
                {codeLabel(t, 'paymentStatus', p.status)}
              </Tag>
              {p.failureReason ? <Typography.Text type="danger">{p.failureReason}</Typography.Text> : null}
            </>
          ),
        },
        {
          key: 'refunded',
          title: t('payment.refunded'),
          align: 'right',
          render: (p) => (p.refundedAmount ? formatFen(p.refundedAmount) : '—'),
        },
        { key: 'at', title: t('common.time'), render: (p) => formatDateTime(p.createdAt, locale) },
      ]}
    />
  );
}

export function RefundsTable({ refunds }: { refunds: Refund[] }) {
  const { t, locale } = useI18n();
  return (
    <SimpleTable<Refund>
      rows={refunds}
      rowKey={(r) => r.id}
      empty={t('order.noRefunds')}
      testId="order-refunds"
      columns={[
        { key: 'id', title: 'ID', render: (r) => r.id },
        { key: 'amount', title: t('order.amount'), align: 'right', render: (r) => formatFen(r.amount) },
        {
          key: 'status',
          title: t('common.status'),
          render: (r) => (
            <>
              <Tag color={r.status === 'succeeded' ? 'green' : r.status === 'failed' ? 'red' : 'default'}>
                {codeLabel(t, 'refundStatus', r.status)}
              </Tag>
              {r.attempts > 1 ? `×${r.attempts}` : ''}
              {r.lastError ? <Typography.Text type="danger"> {r.lastError}</Typography.Text> : null}
            </>
          ),
        },
        { key: 'reason', title: t('refund.reason'), render: (r) => r.reason },
        { key: 'at', title: t('common.time'), render: (r) => formatDateTime(r.createdAt, locale) },
      ]}
    />
  );
}
