import { Button, Card, Input, Select, Space, Spin, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useLocations } from '../api/catalog';
import { oneOf } from '../api/client';
import { useApi } from '../api/hooks';
import { CHANNELS } from '../api/loyalty';
import { listOrders, ORDER_STATUSES, type OrderSummary } from '../api/orders';
import { SimpleTable } from '../components/SimpleTable';
import { ErrorState } from '../components/States';
import { formatDateTime } from '../format';
import { useI18n } from '../i18n/I18nProvider';
import { codeLabel, OrderItems, OrderMoney, OrderStatusTag } from '../orders/OrderParts';

const PAGE_SIZE = 20;

/** A calendar day picked in the console as the instant it starts in the brand's time zone (UTC+8, no DST). */
function brandDayStart(day: string): string {
  return new Date(`${day}T00:00:00+08:00`).toISOString();
}

/** The end of a picked day (exclusive): the start of the next one in the brand's time zone. */
function nextBrandDayStart(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00+08:00`) + 24 * 3600 * 1000).toISOString();
}

/** Orders of every channel, newest first: filters kept in the URL (so "back" from a detail keeps them). */
export default function OrdersPage() {
  const { t, locale } = useI18n();
  const navigate = useNavigate();
  const { locations } = useLocations();
  const [params, setParams] = useSearchParams();
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [jump, setJump] = useState('');
  const channel = oneOf(CHANNELS, params.get('channel'));
  const store = params.get('store') ?? undefined;
  const status = oneOf(ORDER_STATUSES, params.get('status'));
  const fromDay = params.get('from') ?? undefined;
  const toDay = params.get('to') ?? undefined;
  const cursor = cursors[cursors.length - 1] ?? null;
  const orders = useApi(
    (signal) =>
      listOrders(
        {
          channel,
          store,
          status,
          from: fromDay ? brandDayStart(fromDay) : undefined,
          to: toDay ? nextBrandDayStart(toDay) : undefined,
          limit: PAGE_SIZE,
          cursor: cursor ?? undefined,
        },
        signal,
      ),
    [channel, store, status, fromDay, toDay, cursor],
  );

  const setFilter = (name: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
    setCursors([null]);
  };

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }} data-testid="page-title">
        {t('nav.orders')}
      </Typography.Title>
      <Card size="small">
        <Space wrap>
          <Select
            allowClear
            placeholder={t('common.channel')}
            style={{ width: 160 }}
            value={channel}
            onChange={(v?: string) => setFilter('channel', v)}
            options={CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}`) }))}
            data-testid="orders-filter-channel"
          />
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            placeholder={t('common.store')}
            style={{ width: 200 }}
            value={store}
            onChange={(v?: string) => setFilter('store', v)}
            options={(locations ?? []).map((l) => ({ value: l.code, label: `${l.code} · ${l.name}` }))}
          />
          <Select
            allowClear
            placeholder={t('common.status')}
            style={{ width: 150 }}
            value={status}
            onChange={(v?: string) => setFilter('status', v)}
            options={ORDER_STATUSES.map((s) => ({ value: s, label: codeLabel(t, 'orderStatus', s) }))}
          />
          {/* Native date inputs: a date picker would add its calendar and dayjs to this first screen. */}
          <Space.Compact>
            <Input
              type="date"
              aria-label={t('order.fromDay')}
              style={{ width: 160 }}
              value={fromDay ?? ''}
              max={toDay}
              onChange={(e) => setFilter('from', e.target.value || undefined)}
              data-testid="orders-filter-from"
            />
            <Input
              type="date"
              aria-label={t('order.toDay')}
              style={{ width: 160 }}
              value={toDay ?? ''}
              min={fromDay}
              onChange={(e) => setFilter('to', e.target.value || undefined)}
              data-testid="orders-filter-to"
            />
          </Space.Compact>
          <Input.Search
            placeholder={t('order.openById')}
            style={{ width: 300 }}
            value={jump}
            onChange={(e) => setJump(e.target.value)}
            onSearch={(id) => id.trim() && navigate(`/hq/orders/${encodeURIComponent(id.trim())}`)}
            enterButton={t('common.open')}
          />
        </Space>
      </Card>
      <Card>
        {orders.error ? (
          <ErrorState error={orders.error} onRetry={orders.reload} />
        ) : (
          <>
            <Spin spinning={orders.loading}>
              <SimpleTable<OrderSummary>
                rows={orders.data?.items ?? []}
                rowKey={(o) => o.id}
                empty={orders.loading ? t('common.loading') : t('order.empty')}
                testId="orders-table"
                columns={[
                  {
                    key: 'id',
                    title: t('order.id'),
                    render: (o) => <Link to={`/hq/orders/${encodeURIComponent(o.id)}`}>{o.id}</Link>,
                  },
                  {
                    key: 'channel',
                    title: t('common.channel'),
                    render: (o) => codeLabel(t, 'channel', o.channel),
                  },
                  {
                    key: 'store',
                    title: t('common.store'),
                    render: (o) => o.fulfillmentStore ?? o.storeCode ?? '—',
                  },
                  {
                    key: 'type',
                    title: t('order.fulfillmentType'),
                    render: (o) => codeLabel(t, 'fulfillmentType', o.fulfillmentType),
                  },
                  {
                    key: 'status',
                    title: t('common.status'),
                    render: (o) => <OrderStatusTag status={o.status} />,
                  },
                  {
                    key: 'items',
                    title: t('order.items'),
                    render: (o) => <OrderItems order={o} />,
                  },
                  {
                    key: 'payable',
                    title: t('order.payable'),
                    align: 'right',
                    render: (o) => <OrderMoney order={o} />,
                  },
                  {
                    key: 'created',
                    title: t('common.createdAt'),
                    render: (o) => formatDateTime(o.createdAt, locale),
                  },
                ]}
              />
            </Spin>
            <Space style={{ marginTop: 16 }}>
              <Button disabled={cursors.length <= 1} onClick={() => setCursors([null])}>
                {t('common.firstPage')}
              </Button>
              <Button disabled={cursors.length <= 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
                {t('common.previousPage')}
              </Button>
              <Button
                disabled={!orders.data?.nextCursor}
                onClick={() => {
                  const next = orders.data?.nextCursor;
                  if (next) setCursors((c) => [...c, next]);
                }}
                data-testid="orders-next"
              >
                {t('common.nextPage')}
              </Button>
              <Typography.Text type="secondary">{t('order.pageN', { n: cursors.length })}</Typography.Text>
            </Space>
          </>
        )}
      </Card>
    </Space>
  );
}
