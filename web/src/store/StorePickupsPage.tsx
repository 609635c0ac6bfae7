import { Alert, Button, Card, Col, Input, List, Row, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { ApiError, messageOf } from '../api/client';
import { type Fulfillment, type FulfillmentStatus, verifyPickup } from '../api/orders';
import { EmptyState, ErrorState, Loading, StreamBadge } from '../components/States';
import { formatDateTime } from '../format';
import { useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/messages';
import { FulfillmentActions } from '../orders/FulfillmentActions';
import { FulfillmentStatusTag } from '../orders/OrderParts';
import { useStoreTasks, useWorkbenchStore } from './tasks';

const STATUSES: readonly FulfillmentStatus[] = [
  'pending',
  'accepted',
  'awaiting_transfer',
  'ready_for_pickup',
];

// A group of an unpaid order is not work yet: it waits apart, under "waiting for payment", without buttons.
const SECTIONS: { key: string; title: MessageKey; holds(f: Fulfillment): boolean }[] = [
  { key: 'pending', title: 'pickup.toAccept', holds: (f) => f.status === 'pending' && !f.awaitingPayment },
  { key: 'accepted', title: 'pickup.toPrepare', holds: (f) => f.status === 'accepted' },
  {
    key: 'awaiting_transfer',
    title: 'pickup.awaitingTransfer',
    holds: (f) => f.status === 'awaiting_transfer',
  },
  {
    key: 'ready_for_pickup',
    title: 'pickup.waitingForCustomer',
    holds: (f) => f.status === 'ready_for_pickup',
  },
  { key: 'awaiting_payment', title: 'pickup.awaitingPayment', holds: (f) => f.awaitingPayment },
];

type Verified = { kind: 'ok'; f: Fulfillment } | { kind: 'error'; error: unknown };

/** 核销: the customer shows the 6-digit code; the counter types it; the group is picked up or the reason shown. */
function VerifyPickup({ store, onVerified }: { store: string; onVerified(): void }) {
  const { t } = useI18n();
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Verified>();
  const valid = /^\d{6}$/.test(code);

  const verify = async () => {
    if (!valid) return;
    setBusy(true);
    setResult(undefined);
    try {
      const f = await verifyPickup(store, code);
      setResult({ kind: 'ok', f });
      setCode('');
      onVerified();
    } catch (error) {
      setResult({ kind: 'error', error });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title={t('pickup.verifyTitle')} data-testid="pickup-verify-card">
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <Space wrap align="center">
          <Input
            value={code}
            onChange={(e) => {
              setCode(e.target.value.replace(/\D/g, '').slice(0, 6));
              setResult(undefined);
            }}
            onPressEnter={verify}
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={6}
            placeholder="000000"
            aria-label={t('pickup.code')}
            data-testid="pickup-code-input"
            style={{
              width: 300,
              fontSize: 40,
              letterSpacing: 14,
              fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace',
              textAlign: 'center',
              padding: '8px 12px',
            }}
          />
          <Button
            type="primary"
            size="large"
            style={{ height: 72, minWidth: 140, fontSize: 22 }}
            disabled={!valid}
            loading={busy}
            onClick={verify}
            data-testid="pickup-verify"
          >
            {t('pickup.verify')}
          </Button>
        </Space>
        {result?.kind === 'ok' ? (
          <Alert
            type="success"
            showIcon
            data-testid="pickup-verified"
            message={<span style={{ fontSize: 20 }}>{t('pickup.verified')}</span>}
            description={
              <Space direction="vertical" size={0}>
                <span>
                  {t('order.id')}:{' '}
                  <Link to={`/store/orders?id=${encodeURIComponent(result.f.orderId)}`}>
                    {result.f.orderId}
                  </Link>
                </span>
                <span style={{ fontSize: 18 }}>
                  {t('pickup.handOver')}: {result.f.lines.map((l) => `${l.sku} × ${l.quantity}`).join('，')}
                </span>
              </Space>
            }
          />
        ) : result?.kind === 'error' ? (
          <Alert
            type="error"
            showIcon
            data-testid="pickup-verify-error"
            message={<span style={{ fontSize: 18 }}>{t('pickup.notVerified')}</span>}
            description={
              <span
                data-testid="error-detail"
                data-code={result.error instanceof ApiError ? result.error.code : undefined}
              >
                {messageOf(result.error)}
              </span>
            }
          />
        ) : (
          <Typography.Text type="secondary">{t('pickup.verifyHint')}</Typography.Text>
        )}
      </Space>
    </Card>
  );
}

/** Pickups at this store: to accept, to prepare, waiting for a transfer, waiting at the counter (with deadlines). */
export default function StorePickupsPage() {
  const { t, locale } = useI18n();
  const store = useWorkbenchStore();
  const tasks = useStoreTasks(store, STATUSES, ['pickup']);

  if (tasks.error) return <ErrorState error={tasks.error} onRetry={tasks.reload} />;
  const now = Date.now();
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <VerifyPickup store={store} onVerified={tasks.reload} />
      <Space style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('store.pickups')} · {store}
        </Typography.Title>
        <StreamBadge status={tasks.stream} />
      </Space>
      {tasks.items === undefined ? (
        <Loading />
      ) : (
        <Row gutter={[16, 16]}>
          {SECTIONS.map((section) => {
            const items = tasks.items?.filter(section.holds) ?? [];
            return (
              <Col xs={24} lg={12} key={section.key}>
                <Card
                  title={`${t(section.title)} (${items.length})`}
                  size="small"
                  data-testid={`pickups-${section.key}`}
                >
                  {items.length === 0 ? (
                    <EmptyState description={t('pickup.none')} />
                  ) : (
                    <List
                      dataSource={items}
                      renderItem={(f) => {
                        const due = f.status === 'ready_for_pickup' ? f.pickupDeadline : f.readyBy;
                        const late = due !== null && Date.parse(due) < now;
                        return (
                          <List.Item
                            key={f.id}
                            data-testid={`pickup-${f.orderId}`}
                            style={{ display: 'block' }}
                          >
                            <Space direction="vertical" size={4} style={{ width: '100%' }}>
                              <Space wrap>
                                <Link to={`/store/orders?id=${encodeURIComponent(f.orderId)}`}>
                                  {f.orderId}
                                </Link>
                                <FulfillmentStatusTag status={f.status} />
                              </Space>
                              <span style={{ fontSize: 16 }}>
                                {f.lines.map((l) => `${l.sku} × ${l.quantity}`).join('，')}
                              </span>
                              {due ? (
                                <span>
                                  {f.status === 'ready_for_pickup'
                                    ? t('fulfillment.pickupDeadline')
                                    : t('fulfillment.readyBy')}{' '}
                                  {formatDateTime(due, locale, false)}{' '}
                                  {late ? <Tag color="red">{t('pickup.overdue')}</Tag> : null}
                                </span>
                              ) : null}
                              {f.transfers.length ? (
                                <span style={{ color: '#8c8c8c' }}>
                                  {f.transfers
                                    .map((tr) =>
                                      t('fulfillment.transferFrom', {
                                        from: tr.from,
                                        sku: tr.sku,
                                        n: tr.quantity,
                                      }),
                                    )
                                    .join('；')}
                                </span>
                              ) : null}
                              <FulfillmentActions f={f} size="large" onDone={tasks.replace} />
                            </Space>
                          </List.Item>
                        );
                      }}
                    />
                  )}
                </Card>
              </Col>
            );
          })}
        </Row>
      )}
    </Space>
  );
}
