import { App, Button, Card, Col, Descriptions, Input, Popconfirm, Row, Space, Tag, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { listExchanges, listReturns } from '../api/aftersales';
import { messageOf } from '../api/client';
import { useApi } from '../api/hooks';
import { cancellable, cancelOrder, type Fulfillment, getOrder, listRefunds } from '../api/orders';
import { type StreamMessage, useStream } from '../api/stream';
import { SimpleTable } from '../components/SimpleTable';
import { ErrorAlert, ErrorState, Loading, StreamBadge } from '../components/States';
import { formatDateTime } from '../format';
import { useMoreI18n } from '../i18n/more';
import { AfterSalesSection } from '../orders/AfterSalesSection';
import { FulfillmentActions } from '../orders/FulfillmentActions';
import {
  codeLabel,
  FulfillmentStatusTag,
  FulfillmentTimes,
  OrderStatusTag,
  OrderTimeline,
} from '../orders/OrderParts';
import { OrderLines, PaymentsTable, PlanExplanation, RefundsTable } from '../orders/OrderTables';
import { ScheduledDate } from '../orders/ScheduledDate';

/** The events that change what this page shows; each one for this order reloads it. */
export const ORDER_EVENT_TYPES = [
  'order.placed',
  'order.paid',
  'order.completed',
  'order.cancelled',
  'fulfillment.created',
  'fulfillment.accepted',
  'fulfillment.rejected',
  'fulfillment.awaiting_transfer',
  'fulfillment.transfer_arrived',
  'fulfillment.ready_for_pickup',
  'fulfillment.shipped',
  'fulfillment.delivered',
  'fulfillment.picked_up',
  'fulfillment.cancelled',
  'payment.succeeded',
  'payment.failed',
  'refund.succeeded',
  'refund.failed',
  'return.requested',
  'return.received',
  'return.refunded',
  'return.cancelled',
  'return.shipped',
  'exchange.created',
  'exchange.credit_refunded',
];

/** One order for HQ: lines and amounts, where it comes from and why, its groups, money and every step. */
export default function OrderDetailPage() {
  const { t, locale } = useMoreI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const { id = '' } = useParams();
  const order = useApi((signal) => getOrder(id, signal), [id]);
  const refunds = useApi((signal) => listRefunds({ orderId: id, limit: 100 }, signal), [id]);
  const returns = useApi((signal) => listReturns({ orderId: id, limit: 100 }, signal), [id]);
  const exchanges = useApi((signal) => listExchanges(id, signal), [id]);
  const [cancelReason, setCancelReason] = useState('');
  const [cancelError, setCancelError] = useState<unknown>();
  const [cancelling, setCancelling] = useState(false);

  const { reload: reloadOrder } = order;
  const { reload: reloadRefunds } = refunds;
  const { reload: reloadReturns } = returns;
  const { reload: reloadExchanges } = exchanges;
  const onEvent = useCallback(
    (m: StreamMessage) => {
      const payload = m.data as { orderId?: string; replacementOrderId?: string };
      if (payload.orderId !== id && payload.replacementOrderId !== id) return;
      reloadOrder();
      if (m.type.startsWith('refund.') || m.type === 'order.cancelled') reloadRefunds();
      // A return's refund state follows the provider's confirmation (refund.*) as well as its own events.
      if (m.type.startsWith('return.') || m.type.startsWith('refund.') || m.type.startsWith('exchange.')) {
        reloadReturns();
      }
      if (m.type.startsWith('exchange.')) reloadExchanges();
    },
    [id, reloadOrder, reloadRefunds, reloadReturns, reloadExchanges],
  );
  const status = useStream(
    ['order', 'fulfillment', 'payment', 'refund', 'return', 'exchange'],
    ORDER_EVENT_TYPES,
    onEvent,
  );

  if (order.loading && !order.data) return <Loading />;
  if (order.error || !order.data) {
    return (
      <>
        <Button onClick={() => navigate('/hq/orders')}>{t('order.backToList')}</Button>
        <ErrorState error={order.error} onRetry={order.reload} />
      </>
    );
  }
  const o = order.data;
  const replaceFulfillment = (f: Fulfillment) => {
    order.mutate(
      (cur) => cur && { ...cur, fulfillments: cur.fulfillments.map((x) => (x.id === f.id ? f : x)) },
    );
    order.reload();
  };
  const cancel = async () => {
    setCancelling(true);
    setCancelError(undefined);
    try {
      const updated = await cancelOrder(o.id, cancelReason.trim() || undefined);
      order.mutate(() => ({ ...updated, payments: o.payments ?? [] }));
      order.reload();
      refunds.reload();
      message.success(codeLabel(t, 'orderStatus', updated.status));
    } catch (e) {
      setCancelError(e);
    } finally {
      setCancelling(false);
    }
  };
  const address = o.fulfillment.address;

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }} data-testid="order-detail">
      <Space wrap align="center" style={{ justifyContent: 'space-between', width: '100%' }}>
        <Space wrap align="center">
          <Button onClick={() => navigate(-1)}>{t('order.backToList')}</Button>
          <Typography.Title level={3} style={{ margin: 0 }} copyable={{ text: o.id }}>
            {o.id}
          </Typography.Title>
          <OrderStatusTag status={o.status} />
        </Space>
        <StreamBadge status={status} />
      </Space>
      <Card>
        <Descriptions size="small" column={{ xs: 1, md: 3 }}>
          <Descriptions.Item label={t('common.channel')}>
            {codeLabel(t, 'channel', o.channel)}
          </Descriptions.Item>
          <Descriptions.Item label={t('order.sellingStore')}>{o.storeCode ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('order.member')}>
            {o.memberId ? (
              <Link to={`/hq/members/${encodeURIComponent(o.memberId)}`}>{o.memberId}</Link>
            ) : (
              '—'
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t('common.createdAt')}>
            {formatDateTime(o.createdAt, locale)}
          </Descriptions.Item>
          {o.status === 'pending_payment' ? (
            <Descriptions.Item label={t('order.expiresAt')}>
              {formatDateTime(o.expiresAt, locale)}
            </Descriptions.Item>
          ) : null}
          {o.completedAt ? (
            <Descriptions.Item label={t('order.completedAt')}>
              {formatDateTime(o.completedAt, locale)}
            </Descriptions.Item>
          ) : null}
          {o.cancelledAt ? (
            <Descriptions.Item label={t('order.cancelledAt')}>
              {formatDateTime(o.cancelledAt, locale)} {o.cancelReason ? `· ${o.cancelReason}` : ''}
            </Descriptions.Item>
          ) : null}
          {o.externalId ? (
            <Descriptions.Item label={t('order.externalId')}>{o.externalId}</Descriptions.Item>
          ) : null}
          {o.guide ? <Descriptions.Item label={t('order.guide')}>{o.guide}</Descriptions.Item> : null}
          {o.couponCodes.length ? (
            <Descriptions.Item label={t('member.coupons')}>{o.couponCodes.join(', ')}</Descriptions.Item>
          ) : null}
        </Descriptions>
        {cancellable(o) ? (
          <div style={{ marginTop: 12 }}>
            <ErrorAlert error={cancelError} />
            <Space wrap>
              <Input
                placeholder={t('order.cancelReason')}
                value={cancelReason}
                maxLength={200}
                onChange={(e) => setCancelReason(e.target.value)}
                style={{ width: 280 }}
              />
              <Popconfirm
                title={t('order.cancelConfirm')}
                okText={t('order.cancel')}
                cancelText={t('common.cancel')}
                okButtonProps={{ danger: true }}
                onConfirm={cancel}
              >
                <Button danger loading={cancelling} data-testid="order-cancel">
                  {t('order.cancel')}
                </Button>
              </Popconfirm>
            </Space>
          </div>
        ) : null}
      </Card>
      <Card title={t('order.linesAndAmounts')}>
        <OrderLines order={o} />
      </Card>
      <Card
        title={`${t('order.fulfillments')} · ${codeLabel(t, 'fulfillmentType', o.fulfillment.type)}${
          o.fulfillment.store ? ` · ${o.fulfillment.store}` : ''
        }`}
        extra={<ScheduledDate order={o} />}
      >
        {address ? (
          <Descriptions size="small" column={{ xs: 1, md: 3 }} style={{ marginBottom: 12 }}>
            <Descriptions.Item label={t('address.city')}>{address.city}</Descriptions.Item>
            <Descriptions.Item label={t('address.line1')}>{address.line1 ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('address.recipient')}>
              {[address.name, address.phone].filter(Boolean).join(' ') || '—'}
            </Descriptions.Item>
          </Descriptions>
        ) : null}
        <SimpleTable<Fulfillment>
          rows={o.fulfillments}
          rowKey={(f) => f.id}
          empty={t('order.noFulfillments')}
          testId="order-fulfillments"
          columns={[
            { key: 'location', title: t('inventory.location'), render: (f) => f.location },
            {
              key: 'type',
              title: t('order.fulfillmentType'),
              render: (f) => codeLabel(t, 'fulfillmentType', f.type),
            },
            {
              key: 'status',
              title: t('common.status'),
              render: (f) => <FulfillmentStatusTag status={f.status} />,
            },
            {
              key: 'lines',
              title: t('order.lines'),
              render: (f) => (
                <>
                  {f.lines.map((l) => `${l.sku} × ${l.quantity}`).join(', ')}
                  {f.transfers.map((tr) => (
                    <div key={tr.transferId} style={{ fontSize: 12, color: '#8c8c8c' }}>
                      {t('fulfillment.transferFrom', { from: tr.from, sku: tr.sku, n: tr.quantity })}{' '}
                      {tr.received ? <Tag color="green">{t('transfer.status.received')}</Tag> : null}
                    </div>
                  ))}
                </>
              ),
            },
            {
              key: 'code',
              title: t('fulfillment.pickupCode'),
              render: (f) =>
                f.pickupCode ? (
                  <Typography.Text code data-testid="hq-pickup-code">
                    {f.pickupCode}
                  </Typography.Text>
                ) : (
                  '—'
                ),
            },
            { key: 'due', title: t('fulfillment.due'), render: (f) => <FulfillmentTimes f={f} /> },
            {
              key: 'actions',
              title: t('common.actions'),
              render: (f) => <FulfillmentActions f={f} size="small" onDone={replaceFulfillment} />,
            },
          ]}
        />
      </Card>
      <Card title={t('plan.title')}>
        {o.fulfillmentPlan.groups.length ? (
          <Space wrap style={{ marginBottom: 12 }}>
            {o.fulfillmentPlan.groups.map((g) => (
              <Tag key={`${g.location}-${g.type}`} color="green">
                {g.location} · {codeLabel(t, 'fulfillmentType', g.type)} ·{' '}
                {g.lines.map((l) => `${l.sku}×${l.quantity}`).join(', ')}
                {g.transfers?.length ? ` · ${t('plan.transfers', { n: g.transfers.length })}` : ''}
                {g.readyBy
                  ? ` · ${t('fulfillment.readyBy')} ${formatDateTime(g.readyBy, locale, false)}`
                  : ''}
              </Tag>
            ))}
          </Space>
        ) : null}
        <PlanExplanation order={o} />
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} xxl={12}>
          <Card title={t('order.payments')}>
            <PaymentsTable payments={o.payments ?? []} />
          </Card>
        </Col>
        <Col xs={24} xxl={12}>
          <Card title={t('order.refunds')}>
            {refunds.error ? (
              <Typography.Text type="danger">{messageOf(refunds.error)}</Typography.Text>
            ) : (
              <RefundsTable refunds={refunds.data?.items ?? []} />
            )}
          </Card>
        </Col>
      </Row>
      <Card title={t('order.afterSales')} data-testid="order-after-sales">
        {returns.error ? (
          <Typography.Text type="danger">{messageOf(returns.error)}</Typography.Text>
        ) : (
          <AfterSalesSection orderId={o.id} returns={returns.data} exchanges={exchanges.data} />
        )}
        {exchanges.error ? (
          <Typography.Text type="danger">{messageOf(exchanges.error)}</Typography.Text>
        ) : null}
      </Card>
      <Card title={t('order.timeline')}>
        <OrderTimeline timeline={o.timeline} />
      </Card>
    </Space>
  );
}
