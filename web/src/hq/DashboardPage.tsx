import { Card, Col, List, Row, Space, Statistic, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useLocations } from '../api/catalog';
import { ApiError, api } from '../api/client';
import { useResource } from '../api/hooks';
import { type StreamMessage, useStream } from '../api/stream';
import type { LevelChanged, Page } from '../api/types';
import { EmptyState, ErrorState, Loading, NotYetAvailable, StreamBadge } from '../components/States';
import { formatDateTime, formatFen, startOfBrandDay } from '../format';
import { useI18n } from '../i18n/I18nProvider';

const FEED_SIZE = 50;

interface OrderSummary {
  id: string;
  channel: string;
  status: string;
  payableAmount?: number;
  totalAmount?: number;
  createdAt?: string;
}

type OrdersState =
  | { kind: 'loading' }
  | { kind: 'absent' }
  | { kind: 'error'; error: unknown }
  | {
      kind: 'ready';
      byChannel: { channel: string; orders: number; gmv: number }[];
      counted: number;
      more: boolean;
    };

/** Today's orders by channel, from the order hub's list; "absent" while the order hub has not landed. */
function useTodaysOrders(): OrdersState {
  const [state, setState] = useState<OrdersState>({ kind: 'loading' });
  useEffect(() => {
    let live = true;
    (async () => {
      const orders: OrderSummary[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: Page<OrderSummary> = await api.get<Page<OrderSummary>>('/v1/orders', {
          createdFrom: startOfBrandDay(),
          limit: 200,
          cursor,
        });
        orders.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor && ++pages < 10);
      const byChannel = new Map<string, { channel: string; orders: number; gmv: number }>();
      for (const order of orders) {
        if (order.status === 'cancelled') continue;
        const row = byChannel.get(order.channel) ?? { channel: order.channel, orders: 0, gmv: 0 };
        row.orders += 1;
        row.gmv += order.payableAmount ?? order.totalAmount ?? 0;
        byChannel.set(order.channel, row);
      }
      return { byChannel: [...byChannel.values()], counted: orders.length, more: cursor !== null };
    })()
      .then((r) => live && setState({ kind: 'ready', ...r }))
      .catch((error: unknown) => {
        if (!live) return;
        setState(
          error instanceof ApiError && error.routeMissing ? { kind: 'absent' } : { kind: 'error', error },
        );
      });
    return () => {
      live = false;
    };
  }, []);
  return state;
}

/** HQ's first screen: the network, today's orders (when the order hub is there) and live stock changes. */
export default function DashboardPage() {
  const { t, locale } = useI18n();
  const { locations, error: locationsError } = useLocations();
  const orders = useTodaysOrders();
  const [feed, setFeed] = useState<(LevelChanged & { id: string })[]>([]);
  const [changes, setChanges] = useState(0);

  const onEvent = useCallback((message: StreamMessage) => {
    const change = message.data as LevelChanged;
    setChanges((n) => n + 1);
    setFeed((items) => [{ ...change, id: message.id }, ...items].slice(0, FEED_SIZE));
  }, []);
  const status = useStream(['inventory'], ['inventory.level_changed'], onEvent);
  const alerts = feed.filter((c) => c.available <= 0);
  // Every SKU × location with nothing left to promise, as the server counts it now.
  const soldOut = useResource<Page<LevelChanged>>('/v1/inventory', { availableAtMost: 0, limit: 200 });
  const soldOutCount = soldOut.data
    ? `${soldOut.data.items.length}${soldOut.data.nextCursor ? '+' : ''}`
    : '—';

  const stores = locations?.filter((l) => l.kind === 'store').length;
  const warehouses = locations?.filter((l) => l.kind === 'warehouse').length;

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }} data-testid="page-title">
        {t('dashboard.title')}
      </Typography.Title>
      <Row gutter={[16, 16]}>
        <Col xs={12} md={6}>
          <Card>
            <Statistic
              title={t('dashboard.stores')}
              value={stores ?? '—'}
              loading={!locations && !locationsError}
            />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card>
            <Statistic
              title={t('dashboard.warehouses')}
              value={warehouses ?? '—'}
              loading={!locations && !locationsError}
            />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card>
            <Statistic title={t('dashboard.changesSinceOpen')} value={changes} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card>
            <Statistic
              title={t('dashboard.soldOutAlerts')}
              value={soldOutCount}
              loading={soldOut.loading}
              valueStyle={soldOut.data?.items.length || alerts.length ? { color: '#cf1322' } : undefined}
            />
          </Card>
        </Col>
      </Row>
      {locationsError ? <ErrorState error={locationsError} /> : null}
      <Card title={t('dashboard.ordersToday')}>
        {orders.kind === 'loading' ? (
          <Loading />
        ) : orders.kind === 'absent' ? (
          <NotYetAvailable title="dashboard.ordersToday" reason="common.ordersComing" />
        ) : orders.kind === 'error' ? (
          <ErrorState error={orders.error} />
        ) : orders.byChannel.length === 0 ? (
          <EmptyState description={t('dashboard.noOrdersToday')} />
        ) : (
          <Row gutter={[16, 16]}>
            {orders.byChannel.map((row) => (
              <Col xs={12} md={6} key={row.channel}>
                <Card size="small" title={t(`channel.${row.channel}` as 'channel.online')}>
                  <Statistic title={t('dashboard.orders')} value={row.orders} />
                  <Statistic title="GMV" value={formatFen(row.gmv)} />
                </Card>
              </Col>
            ))}
          </Row>
        )}
      </Card>
      <Card title={t('dashboard.liveFeed')} extra={<StreamBadge status={status} />} data-testid="live-feed">
        {feed.length === 0 ? (
          <EmptyState description={t('dashboard.feedEmpty')} />
        ) : (
          <List
            size="small"
            dataSource={feed}
            renderItem={(c) => (
              <List.Item key={c.id}>
                <Space wrap>
                  <Typography.Text type="secondary">{formatDateTime(c.occurredAt, locale)}</Typography.Text>
                  <Link to={`/hq/inventory/${encodeURIComponent(c.sku)}`}>{c.sku}</Link>
                  <Tag>{c.location}</Tag>
                  <span>
                    {t('inventory.onHand')} {c.onHand} · {t('inventory.reserved')} {c.reserved} ·{' '}
                    {t('inventory.available')} {c.available}
                  </span>
                  {c.available <= 0 ? <Tag color="red">{t('dashboard.soldOut')}</Tag> : null}
                </Space>
              </List.Item>
            )}
          />
        )}
      </Card>
    </Space>
  );
}
