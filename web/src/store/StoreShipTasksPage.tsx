import { Card, Col, List, Row, Space, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import type { Fulfillment, FulfillmentStatus } from '../api/orders';
import { EmptyState, ErrorState, Loading, StreamBadge } from '../components/States';
import { formatDateTime } from '../format';
import { useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/messages';
import { FulfillmentActions } from '../orders/FulfillmentActions';
import { codeLabel, FulfillmentStatusTag } from '../orders/OrderParts';
import { useStoreTasks, useWorkbenchStore } from './tasks';

const STATUSES: readonly FulfillmentStatus[] = ['pending', 'accepted', 'shipped'];

// A group of an unpaid order is not work yet: it waits apart, under "waiting for payment", without buttons.
const SECTIONS: { key: string; title: MessageKey; holds(f: Fulfillment): boolean }[] = [
  { key: 'pending', title: 'shipTask.toAccept', holds: (f) => f.status === 'pending' && !f.awaitingPayment },
  { key: 'accepted', title: 'shipTask.toShip', holds: (f) => f.status === 'accepted' },
  { key: 'shipped', title: 'shipTask.onTheWay', holds: (f) => f.status === 'shipped' },
  { key: 'awaiting_payment', title: 'shipTask.awaitingPayment', holds: (f) => f.awaitingPayment },
];

/**
 * Ship-from-store and same-day tasks: accept or reject (the group then goes to the next best location), pack and
 * hand to the carrier with a tracking number; a same-day courier's delivery is confirmed here too.
 */
export default function StoreShipTasksPage() {
  const { t, locale } = useI18n();
  const store = useWorkbenchStore();
  const tasks = useStoreTasks(store, STATUSES, ['ship', 'same_day']);

  if (tasks.error) return <ErrorState error={tasks.error} onRetry={tasks.reload} />;
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Space style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('store.shipFromStore')} · {store}
        </Typography.Title>
        <StreamBadge status={tasks.stream} />
      </Space>
      {tasks.items === undefined ? (
        <Loading />
      ) : (
        <Row gutter={[16, 16]}>
          {SECTIONS.map((section) => {
            const items: Fulfillment[] = tasks.items?.filter(section.holds) ?? [];
            return (
              <Col xs={24} lg={8} key={section.key}>
                <Card
                  title={`${t(section.title)} (${items.length})`}
                  size="small"
                  data-testid={`ship-${section.key}`}
                >
                  {items.length === 0 ? (
                    <EmptyState description={t('shipTask.none')} />
                  ) : (
                    <List
                      dataSource={items}
                      renderItem={(f) => (
                        <List.Item key={f.id} style={{ display: 'block' }}>
                          <Space direction="vertical" size={4} style={{ width: '100%' }}>
                            <Space wrap>
                              <Link to={`/store/orders?id=${encodeURIComponent(f.orderId)}`}>
                                {f.orderId}
                              </Link>
                              <Tag color={f.type === 'same_day' ? 'magenta' : 'blue'}>
                                {codeLabel(t, 'fulfillmentType', f.type)}
                              </Tag>
                              <FulfillmentStatusTag status={f.status} />
                            </Space>
                            <span style={{ fontSize: 16 }}>
                              {f.lines.map((l) => `${l.sku} × ${l.quantity}`).join('，')}
                            </span>
                            <span style={{ color: '#8c8c8c' }}>
                              {f.trackingNumber
                                ? `${f.carrier ?? ''} ${f.trackingNumber}`
                                : `${t('common.createdAt')} ${formatDateTime(f.createdAt, locale, false)}`}
                            </span>
                            <FulfillmentActions
                              f={f}
                              size="large"
                              onDone={tasks.replace}
                              // A parcel is delivered by the carrier (its scan reaches HQ); a same-day courier is the store's.
                              {...(f.type === 'ship' ? { only: ['accept', 'reject', 'ship'] as const } : {})}
                            />
                          </Space>
                        </List.Item>
                      )}
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
