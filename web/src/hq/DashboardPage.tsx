import { Button, Card, Col, List, Row, Space, Statistic, Tag, Typography } from 'antd';
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useLocations } from '../api/catalog';
import { useApi } from '../api/hooks';
import { listLevels } from '../api/inventory';
import { GMV_STATUSES, listOrders, type OrderSummary } from '../api/orders';
import { type StreamMessage, useStream } from '../api/stream';
import type { LevelChanged } from '../api/types';
import { EmptyState, ErrorState, Loading, StreamBadge } from '../components/States';
import { formatDateTime, formatFen, startOfBrandDay } from '../format';
import { useI18n } from '../i18n/I18nProvider';
import type { ChannelDay } from './dashboard/ChannelChart';

// ECharts arrives with the chart, after the figures are on screen.
const ChannelChart = lazy(() => import('./dashboard/ChannelChart'));

const FEED_SIZE = 50;
const CELL: React.CSSProperties = { padding: '6px 8px', borderBottom: '1px solid #f0f0f0' };

type OrdersState =
  | { kind: 'loading' }
  | { kind: 'error'; error: unknown }
  | {
      kind: 'ready';
      byChannel: ChannelDay[];
      counted: number;
      more: boolean;
    };

/** At most this many orders are read for today's figures; beyond it the card says the figures are partial. */
const MAX_PAGES = 25;

/**
 * Today's orders by channel (today in the brand's time zone), paged through the order hub's list. Every order
 * placed today counts as an order; only paid, fulfilling and completed ones count toward GMV (their payable).
 */
function useTodaysOrders(version: number): OrdersState {
  const [state, setState] = useState<OrdersState>({ kind: 'loading' });
  // biome-ignore lint/correctness/useExhaustiveDependencies: version reloads on demand
  useEffect(() => {
    let live = true;
    (async () => {
      const orders: OrderSummary[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await listOrders({ from: startOfBrandDay(), limit: 200, cursor });
        orders.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor && ++pages < MAX_PAGES);
      const byChannel = new Map<string, ChannelDay>();
      for (const order of orders) {
        const row = byChannel.get(order.channel) ?? {
          channel: order.channel,
          orders: 0,
          paidOrders: 0,
          gmv: 0,
        };
        row.orders += 1;
        if (GMV_STATUSES.has(order.status)) {
          row.paidOrders += 1;
          row.gmv += order.payableAmount;
        }
        byChannel.set(order.channel, row);
      }
      const rows = [...byChannel.values()].sort((a, b) => b.gmv - a.gmv || b.orders - a.orders);
      return { byChannel: rows, counted: orders.length, more: cursor !== undefined };
    })()
      .then((r) => live && setState({ kind: 'ready', ...r }))
      .catch((error: unknown) => {
        if (!live) return;
        setState({ kind: 'error', error });
      });
    return () => {
      live = false;
    };
  }, [version]);
  return state;
}

/** HQ's first screen: the network, today's orders (when the order hub is there) and live stock changes. */
export default function DashboardPage() {
  const { t, locale } = useI18n();
  const { locations, error: locationsError } = useLocations();
  const [ordersVersion, setOrdersVersion] = useState(0);
  const orders = useTodaysOrders(ordersVersion);
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
  const soldOut = useApi((signal) => listLevels({ availableAtMost: 0, limit: 200 }, signal), []);
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
      <Card
        title={t('dashboard.ordersToday')}
        data-testid="orders-today"
        extra={
          <Space>
            <Link to="/hq/orders">{t('dashboard.allOrders')}</Link>
            <Button size="small" onClick={() => setOrdersVersion((v) => v + 1)}>
              {t('common.refresh')}
            </Button>
          </Space>
        }
      >
        {orders.kind === 'loading' ? (
          <Loading />
        ) : orders.kind === 'error' ? (
          <ErrorState error={orders.error} onRetry={() => setOrdersVersion((v) => v + 1)} />
        ) : orders.byChannel.length === 0 ? (
          <EmptyState description={t('dashboard.noOrdersToday')} />
        ) : (
          <Row gutter={[16, 16]}>
            <Col xs={24} lg={10}>
              <Space size="large" style={{ marginBottom: 12 }}>
                <Statistic
                  title={t('dashboard.orders')}
                  value={orders.counted}
                  suffix={orders.more ? '+' : undefined}
                />
                <Statistic
                  title="GMV"
                  value={formatFen(orders.byChannel.reduce((sum, r) => sum + r.gmv, 0))}
                  data-testid="gmv-today"
                />
              </Space>
              {/* A plain table: Ant Design's Table would double this first screen's JavaScript. */}
              <table
                style={{ width: '100%', borderCollapse: 'collapse', marginBottom: 8 }}
                data-testid="orders-by-channel"
              >
                <thead>
                  <tr style={{ background: '#fafafa', textAlign: 'right' }}>
                    <th style={{ ...CELL, textAlign: 'left' }}>{t('common.channel')}</th>
                    <th style={CELL}>{t('dashboard.orders')}</th>
                    <th style={CELL}>{t('dashboard.paidOrders')}</th>
                    <th style={CELL}>GMV</th>
                  </tr>
                </thead>
                <tbody>
                  {orders.byChannel.map((row) => (
                    <tr key={row.channel} data-channel={row.channel} style={{ textAlign: 'right' }}>
                      <td style={{ ...CELL, textAlign: 'left' }}>
                        {t(`channel.${row.channel}` as 'channel.online')}
                      </td>
                      <td style={CELL}>{row.orders}</td>
                      <td style={CELL}>{row.paidOrders}</td>
                      <td style={CELL} data-testid={`gmv-${row.channel}`}>
                        {formatFen(row.gmv)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('dashboard.gmvRule')}
                {orders.more ? ` ${t('dashboard.partial', { n: orders.counted })}` : ''}
              </Typography.Text>
            </Col>
            <Col xs={24} lg={14}>
              <Suspense fallback={<Loading />}>
                <ChannelChart rows={orders.byChannel} />
              </Suspense>
            </Col>
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
