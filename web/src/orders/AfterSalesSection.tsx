import { Space, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import type { ExchangeView, ReturnView } from '../api/aftersales';
import type { Page } from '../api/types';
import { SimpleTable } from '../components/SimpleTable';
import { formatDateTime, formatFen } from '../format';
import { useMoreI18n } from '../i18n/more';
import { codeLabel } from './OrderParts';

const REFUND_COLORS: Record<string, string> = {
  succeeded: 'green',
  pending: 'blue',
  failed: 'red',
  not_needed: 'default',
  not_started: 'default',
};

/**
 * The order's after-sales from every channel: its returns (lines, grading, refund state with the provider's
 * attempts, the loyalty reversal) and the exchanges it took part in, linked to the other order.
 */
export function AfterSalesSection({
  orderId,
  returns,
  exchanges,
}: {
  orderId: string;
  returns: Page<ReturnView> | undefined;
  exchanges: { items: ExchangeView[] } | undefined;
}) {
  const { t, locale } = useMoreI18n();
  const exchangeRows = exchanges?.items ?? [];
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <SimpleTable<ReturnView>
        rows={returns?.items ?? []}
        rowKey={(r) => r.id}
        empty={t('returns.none')}
        testId="order-returns"
        columns={[
          {
            key: 'id',
            title: t('order.returnId'),
            render: (r) => (
              <span data-testid="order-return" data-return={r.id} data-refund-status={r.refundStatus}>
                {r.id}
                {r.exchangeId ? <Tag style={{ marginLeft: 4 }}>{t('timeline.exchange')}</Tag> : null}
              </span>
            ),
          },
          {
            key: 'where',
            title: t('order.returnWhere'),
            render: (r) => `${codeLabel(t, 'channel', r.channel)} · ${r.receivedLocation ?? r.location}`,
          },
          {
            key: 'lines',
            title: t('order.lines'),
            render: (r) =>
              r.lines.map((l) => (
                <div key={l.lineNo}>
                  {l.sku} × {l.quantity}
                  {l.condition ? ` · ${codeLabel(t, 'returns.condition', l.condition)}` : ''}
                </div>
              )),
          },
          {
            key: 'status',
            title: t('common.status'),
            render: (r) => <Tag>{codeLabel(t, 'returns.status', r.status)}</Tag>,
          },
          {
            key: 'refund',
            title: t('order.refunds'),
            align: 'right',
            render: (r) => (
              <>
                {formatFen(r.refundAmount)}{' '}
                <Tag color={REFUND_COLORS[r.refundStatus] ?? 'default'}>
                  {codeLabel(t, 'returns.refundStatus', r.refundStatus)}
                </Tag>
                {r.refundAttempts > 1 ? `×${r.refundAttempts}` : ''}
                {r.refundLastError ? (
                  <div>
                    <Typography.Text type="danger">{r.refundLastError}</Typography.Text>
                  </div>
                ) : null}
                {r.pointsAmount ? (
                  <div style={{ fontSize: 12, color: '#8c8c8c' }}>
                    {t('order.returnPoints', { amount: formatFen(r.pointsAmount) })}
                  </div>
                ) : null}
                {r.creditAmount ? (
                  <div style={{ fontSize: 12, color: '#8c8c8c' }}>
                    {t('order.returnCredit', { amount: formatFen(r.creditAmount) })}
                  </div>
                ) : null}
              </>
            ),
          },
          {
            key: 'loyalty',
            title: t('timeline.loyalty'),
            render: (r) =>
              r.loyalty
                ? [
                    r.loyalty.pointsReversed
                      ? t('order.pointsReversed', { n: r.loyalty.pointsReversed })
                      : '',
                    r.loyalty.pointsRestored
                      ? t('order.pointsRestored', { n: r.loyalty.pointsRestored })
                      : '',
                    r.loyalty.couponsRestored.length ? r.loyalty.couponsRestored.join(', ') : '',
                  ]
                    .filter(Boolean)
                    .join('；') || '—'
                : '—',
          },
          { key: 'reason', title: t('refund.reason'), render: (r) => r.reason },
          { key: 'at', title: t('common.time'), render: (r) => formatDateTime(r.createdAt, locale) },
        ]}
      />
      {exchangeRows.length > 0 ? (
        <SimpleTable<ExchangeView>
          rows={exchangeRows}
          rowKey={(x) => x.id}
          testId="order-exchanges"
          columns={[
            { key: 'id', title: t('order.exchangeId'), render: (x) => x.id },
            {
              key: 'other',
              title: t('order.exchangeOther'),
              render: (x) => {
                const other = x.orderId === orderId ? x.replacementOrderId : x.orderId;
                return (
                  <>
                    {x.orderId === orderId ? t('order.replacementOrder') : t('order.originalOrder')}{' '}
                    <Link to={`/hq/orders/${encodeURIComponent(other)}`}>{other}</Link>
                  </>
                );
              },
            },
            { key: 'where', title: t('common.store'), render: (x) => x.location },
            {
              key: 'credit',
              title: t('order.exchangeCredit'),
              align: 'right',
              render: (x) => formatFen(x.creditAmount),
            },
            {
              key: 'refund',
              title: t('order.exchangeRefund'),
              align: 'right',
              render: (x) => formatFen(x.refundAmount),
            },
            {
              key: 'payable',
              title: t('order.exchangePayable'),
              align: 'right',
              render: (x) => formatFen(x.payableAmount),
            },
            { key: 'at', title: t('common.time'), render: (x) => formatDateTime(x.createdAt, locale) },
          ]}
        />
      ) : null}
    </Space>
  );
}
