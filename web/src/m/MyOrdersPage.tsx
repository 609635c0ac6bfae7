import { RightOutlined } from '@ant-design/icons';
import { Button, Card, List, Space, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { useLocations } from '../api/catalog';
import { getOrder, listOrders, type Order, type OrderSummary } from '../api/orders';
import { EmptyState, ErrorState, Loading } from '../components/States';
import { formatDateTime } from '../format';
import { useI18n } from '../i18n/I18nProvider';
import { codeLabel, OrderItems, OrderMoney, OrderStatusTag } from '../orders/OrderParts';
import { MobileHeader } from './MobileHeader';
import { PickupCode } from './PickupCode';

const REFRESH_MS = 10_000;

interface Loaded {
  orders: OrderSummary[];
  /** Full orders for pickups still under way: the list does not carry pickup codes. */
  details: Record<string, Order>;
  next: string | null;
}

/** My orders, newest first, with the pickup code in large type for every pickup that is ready. */
export default function MyOrdersPage() {
  const { t, locale } = useI18n();
  const navigate = useNavigate();
  const { locations } = useLocations();
  const [loaded, setLoaded] = useState<Loaded>();
  const [error, setError] = useState<unknown>();
  const [version, setVersion] = useState(0);
  const nameOf = (code: string | null) =>
    code ? (locations?.find((l) => l.code === code)?.name ?? code) : '';

  // biome-ignore lint/correctness/useExhaustiveDependencies: version reloads on demand
  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      try {
        const page = await listOrders({ limit: 30 });
        const active = page.items.filter(
          (o) => o.fulfillmentType === 'pickup' && (o.status === 'paid' || o.status === 'fulfilling'),
        );
        const details = Object.fromEntries(
          (await Promise.all(active.map((o) => getOrder(o.id)))).map((o) => [o.id, o]),
        );
        if (!live) return;
        setLoaded({ orders: page.items, details, next: page.nextCursor });
        setError(undefined);
      } catch (e) {
        if (live) setError(e);
      }
      if (live) timer = setTimeout(load, REFRESH_MS);
    };
    void load();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [version]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);

  return (
    <div style={{ paddingBottom: 24 }}>
      <MobileHeader title={t('m.myOrdersShort')} onBack={() => navigate('/m')} />
      {error && !loaded ? (
        <ErrorState error={error} onRetry={reload} />
      ) : !loaded ? (
        <Loading />
      ) : loaded.orders.length === 0 ? (
        <Card bordered={false} style={{ margin: 12 }}>
          <EmptyState description={t('m.noOrders')} />
        </Card>
      ) : (
        <List
          style={{ margin: 12 }}
          dataSource={loaded.orders}
          data-testid="m-orders"
          renderItem={(o) => {
            const detail = loaded.details[o.id];
            return (
              <Card
                key={o.id}
                size="small"
                style={{ marginBottom: 12 }}
                data-testid={`m-order-${o.id}`}
                onClick={() => navigate(`/m/orders/${encodeURIComponent(o.id)}`)}
                hoverable
              >
                <Space direction="vertical" size={8} style={{ width: '100%' }}>
                  <Space style={{ justifyContent: 'space-between', width: '100%' }}>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {formatDateTime(o.createdAt, locale, false)} ·{' '}
                      {codeLabel(t, 'fulfillmentType', o.fulfillmentType)}
                      {o.fulfillmentStore ? ` · ${nameOf(o.fulfillmentStore)}` : ''}
                    </Typography.Text>
                    <OrderStatusTag status={o.status} />
                  </Space>
                  <OrderItems order={o} />
                  {detail?.fulfillments.map((f) => (
                    <PickupCode key={f.id} f={f} storeName={nameOf(f.location)} />
                  ))}
                  <Space style={{ justifyContent: 'space-between', width: '100%' }}>
                    <OrderMoney order={o} />
                    <RightOutlined style={{ color: '#bfbfbf' }} />
                  </Space>
                </Space>
              </Card>
            );
          }}
        />
      )}
      {loaded?.next ? (
        <Typography.Paragraph type="secondary" style={{ textAlign: 'center' }}>
          {t('m.olderOrdersHint')}
        </Typography.Paragraph>
      ) : null}
      <div style={{ padding: '0 12px' }}>
        <Button block onClick={reload}>
          {t('common.refresh')}
        </Button>
      </div>
    </div>
  );
}
