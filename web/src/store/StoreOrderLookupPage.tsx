import { Card, Descriptions, Input, List, Space, Typography } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { useApi } from '../api/hooks';
import { getOrder } from '../api/orders';
import { EmptyState, ErrorState, Loading } from '../components/States';
import { formatDateTime } from '../format';
import { useI18n } from '../i18n/I18nProvider';
import { FulfillmentActions } from '../orders/FulfillmentActions';
import {
  codeLabel,
  FulfillmentStatusTag,
  FulfillmentTimes,
  OrderStatusTag,
  OrderTimeline,
} from '../orders/OrderParts';
import { OrderLines } from '../orders/OrderTables';
import { useWorkbenchStore } from './tasks';

/**
 * The counter's order lookup by order number: what was bought, where each part stands, what happened. The server
 * shows store staff only orders that concern their store, and never the pickup code.
 */
export default function StoreOrderLookupPage() {
  const { t, locale } = useI18n();
  const store = useWorkbenchStore();
  const [params, setParams] = useSearchParams();
  const id = params.get('id')?.trim() || null;
  const [text, setText] = useState(id ?? '');
  const order = useApi(id ? (signal) => getOrder(id, signal) : null, [id]);

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card>
        <Input.Search
          size="large"
          placeholder={t('store.orderLookupPlaceholder')}
          enterButton={t('common.search')}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onSearch={(value) => setParams(value.trim() ? { id: value.trim() } : {})}
          data-testid="store-order-lookup"
          style={{ maxWidth: 560 }}
        />
      </Card>
      {!id ? (
        <Card>
          <EmptyState description={t('store.orderLookupPrompt')} />
        </Card>
      ) : order.loading && !order.data ? (
        <Loading />
      ) : order.error || !order.data ? (
        <ErrorState error={order.error} onRetry={order.reload} />
      ) : (
        <>
          <Card
            title={
              <Space wrap>
                <span>{order.data.id}</span>
                <OrderStatusTag status={order.data.status} />
              </Space>
            }
            data-testid="store-order"
          >
            <Descriptions size="small" column={{ xs: 1, md: 3 }} style={{ marginBottom: 12 }}>
              <Descriptions.Item label={t('common.channel')}>
                {codeLabel(t, 'channel', order.data.channel)}
              </Descriptions.Item>
              <Descriptions.Item label={t('order.fulfillmentType')}>
                {codeLabel(t, 'fulfillmentType', order.data.fulfillment.type)}
                {order.data.fulfillment.store ? ` · ${order.data.fulfillment.store}` : ''}
              </Descriptions.Item>
              <Descriptions.Item label={t('common.createdAt')}>
                {formatDateTime(order.data.createdAt, locale)}
              </Descriptions.Item>
            </Descriptions>
            <OrderLines order={order.data} compact />
          </Card>
          <Card title={t('order.fulfillments')}>
            <List
              dataSource={order.data.fulfillments}
              locale={{ emptyText: t('order.noFulfillments') }}
              renderItem={(f) => (
                <List.Item key={f.id} style={{ display: 'block' }}>
                  <Space wrap>
                    <strong>{f.location}</strong>
                    <span>{codeLabel(t, 'fulfillmentType', f.type)}</span>
                    <FulfillmentStatusTag status={f.status} />
                    <span>{f.lines.map((l) => `${l.sku} × ${l.quantity}`).join('，')}</span>
                    <FulfillmentTimes f={f} />
                  </Space>
                  {f.location === store ? (
                    <div style={{ marginTop: 8 }}>
                      <FulfillmentActions f={f} onDone={() => order.reload()} />
                    </div>
                  ) : null}
                </List.Item>
              )}
            />
          </Card>
          <Card title={t('order.timeline')}>
            <OrderTimeline timeline={order.data.timeline} />
          </Card>
          <Typography.Text type="secondary">{t('store.pickupCodeHidden')}</Typography.Text>
        </>
      )}
    </Space>
  );
}
