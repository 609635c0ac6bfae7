import { Alert, Button, Card, List, Space, Steps, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { useLocations } from '../api/catalog';
import { type Order, payOrder } from '../api/orders';
import { ErrorAlert, ErrorState, Loading } from '../components/States';
import { formatDateTime, formatFen } from '../format';
import { useI18n } from '../i18n/I18nProvider';
import { codeLabel, FulfillmentStatusTag, OrderStatusTag, useTimelineFormat } from '../orders/OrderParts';
import { ScheduledDate } from '../orders/ScheduledDate';
import { timelineText } from '../orders/timelineText';
import { MobileHeader } from './MobileHeader';
import { OrderReturnsCard } from './OrderReturns';
import { PickupCode } from './PickupCode';
import { useLiveOrder } from './useLiveOrder';

const STEPS = ['pending_payment', 'paid', 'fulfilling', 'completed'] as const;

/** The customer's order: pay it (simulated provider), then follow it live to the pickup code and completion. */
export default function OrderPage() {
  const { t, locale } = useI18n();
  const timelineFormat = useTimelineFormat();
  const navigate = useNavigate();
  const { id = '' } = useParams();
  const [paying, setPaying] = useState(false);
  const [payError, setPayError] = useState<unknown>();
  const [submitting, setSubmitting] = useState(false);
  const { order, error, reload } = useLiveOrder(id, paying);
  const { locations } = useLocations();
  const nameOf = (code: string) => locations?.find((l) => l.code === code)?.name;

  if (!order && !error) return <Loading />;
  if (!order) {
    return (
      <>
        <MobileHeader title={t('m.order')} onBack={() => navigate('/m/orders')} />
        <ErrorState error={error} onRetry={reload} />
      </>
    );
  }
  const o: Order = order;
  const due = o.payableAmount - o.paidAmount;
  const lastPayment = o.payments?.[o.payments.length - 1];
  const waiting = o.status === 'pending_payment' && lastPayment?.status === 'pending';

  const pay = async () => {
    setPayError(undefined);
    setSubmitting(true);
    try {
      await payOrder(o.id, due);
      setPaying(true);
      reload();
    } catch (e) {
      setPayError(e);
    } finally {
      setSubmitting(false);
    }
  };

  const step = o.status === 'cancelled' ? -1 : STEPS.indexOf(o.status);
  return (
    <div style={{ paddingBottom: 24 }} data-testid="m-order-page">
      <MobileHeader title={t('m.orderDetail')} onBack={() => navigate('/m/orders')} />
      <Card bordered={false} style={{ borderRadius: 0 }}>
        <Space direction="vertical" size={8} style={{ width: '100%' }}>
          <Space style={{ justifyContent: 'space-between', width: '100%' }}>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {o.id}
            </Typography.Text>
            <OrderStatusTag status={o.status} />
          </Space>
          <ScheduledDate order={o} />
          {o.status === 'cancelled' ? (
            <Alert
              type="warning"
              showIcon
              message={t('m.orderCancelled')}
              description={o.cancelReason ?? undefined}
            />
          ) : (
            <Steps
              size="small"
              current={step}
              direction="horizontal"
              responsive={false}
              items={STEPS.map((s) => ({ title: codeLabel(t, 'orderStatus', s) }))}
            />
          )}
        </Space>
      </Card>
      {o.status === 'pending_payment' ? (
        <Card size="small" style={{ margin: 12 }}>
          <ErrorAlert error={payError} />
          {lastPayment?.status === 'failed' ? (
            <Alert
              type="error"
              showIcon
              style={{ marginBottom: 12 }}
              message={t('m.paymentFailed')}
              description={lastPayment.failureReason ?? undefined}
            />
          ) : null}
          <Space direction="vertical" style={{ width: '100%' }}>
            <Space style={{ justifyContent: 'space-between', width: '100%' }}>
              <span>{t('order.payable')}</span>
              <strong style={{ fontSize: 22, color: '#c8102e' }}>{formatFen(due)}</strong>
            </Space>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('m.payBefore', { time: formatDateTime(o.expiresAt, locale, false) })}
            </Typography.Text>
            <Button
              type="primary"
              size="large"
              block
              loading={waiting || submitting}
              disabled={waiting || submitting}
              onClick={pay}
              data-testid="m-pay"
            >
              {waiting ? t('m.paying') : t('m.paySimulated')}
            </Button>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('m.simulatedHint')}
            </Typography.Text>
          </Space>
        </Card>
      ) : null}
      {o.fulfillments.length > 0 ? (
        <Card size="small" style={{ margin: 12 }} title={t('order.fulfillments')}>
          <List
            dataSource={o.fulfillments}
            renderItem={(f) => (
              <List.Item key={f.id} style={{ display: 'block' }}>
                <Space direction="vertical" size={8} style={{ width: '100%' }}>
                  <Space wrap>
                    <span>{codeLabel(t, 'fulfillmentType', f.type)}</span>
                    <span>{nameOf(f.location) ?? f.location}</span>
                    <FulfillmentStatusTag status={f.status} />
                  </Space>
                  <PickupCode f={f} storeName={nameOf(f.location)} />
                  {f.type === 'pickup' &&
                  (f.status === 'pending' || f.status === 'accepted' || f.status === 'awaiting_transfer') &&
                  f.readyBy ? (
                    <Typography.Text type="secondary">
                      {t('m.readyAround', { time: formatDateTime(f.readyBy, locale, false) })}
                    </Typography.Text>
                  ) : null}
                  {f.trackingNumber ? (
                    <Typography.Text>
                      {f.carrier} {f.trackingNumber}
                    </Typography.Text>
                  ) : null}
                </Space>
              </List.Item>
            )}
          />
        </Card>
      ) : null}
      <Card size="small" style={{ margin: 12 }} title={t('order.lines')}>
        <List
          dataSource={o.lines}
          renderItem={(l) => (
            <List.Item key={l.lineNo} extra={formatFen(l.paidAmount)}>
              <List.Item.Meta
                title={l.name}
                description={`${l.sku} · ${formatFen(l.unitPrice)} × ${l.quantity}`}
              />
            </List.Item>
          )}
        />
        <Space style={{ justifyContent: 'space-between', width: '100%' }}>
          <span>{t('order.payable')}</span>
          <strong>{formatFen(o.payableAmount)}</strong>
        </Space>
      </Card>
      <OrderReturnsCard order={o} />
      <Card size="small" style={{ margin: 12 }} title={t('order.timeline')} data-testid="m-order-timeline">
        <List
          size="small"
          dataSource={[...o.timeline].reverse()}
          renderItem={(e, i) => (
            <List.Item key={`${e.at}-${i}`}>
              <Space direction="vertical" size={0}>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {formatDateTime(e.at, locale)}
                </Typography.Text>
                <span>
                  {e.to ? codeLabel(t, 'orderStatus', e.to) : codeLabel(t, 'timeline', e.kind)}
                  {e.to ? '' : ` · ${timelineText(e, timelineFormat)}`}
                </span>
              </Space>
            </List.Item>
          )}
        />
      </Card>
    </div>
  );
}
