import { Alert, App, Button, Card, Input, InputNumber, Radio, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { ApiError, api, messageOf, seg } from '../api/client';
import { useResource } from '../api/hooks';
import type { Order } from '../api/orders';
import type { Page } from '../api/types';
import { type SimpleColumn, SimpleTable } from '../components/SimpleTable';
import { ErrorAlert, ErrorState } from '../components/States';
import { formatDateTime, formatFen } from '../format';
import { useI18n } from '../i18n/I18nProvider';
import { codeLabel } from '../orders/OrderParts';
import { useWorkbenchStore } from './tasks';

interface ReturnView {
  id: string;
  orderId: string;
  status: string;
  location: string;
  reason: string;
  condition: string;
  lines: { lineNo: number; sku: string; quantity: number; refundAmount: number }[];
  refundAmount: number;
  pointsAmount: number;
  refundStatus: string;
  refundLastError: string | null;
  createdAt: string;
}

interface Line {
  sku: string;
  bought: number | null;
  quantity: number;
}

/**
 * A return at the counter (channel pos, received here at once): the order's lines when this store may read the
 * order, typed by hand otherwise; the server checks what was bought, collected and already returned.
 */
export default function StoreReturnsPage() {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const store = useWorkbenchStore();
  const [orderId, setOrderId] = useState('');
  const [loadError, setLoadError] = useState<unknown>();
  const [lines, setLines] = useState<Line[]>([]);
  const [loadedOrder, setLoadedOrder] = useState<string>();
  const [condition, setCondition] = useState<'resellable' | 'damaged'>('resellable');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<ReturnView>();
  const recent = useResource<Page<ReturnView>>('/v1/returns', { location: store, limit: 20 });

  const load = async (id: string) => {
    const trimmed = id.trim();
    if (!trimmed) return;
    setLoadError(undefined);
    setDone(undefined);
    setError(undefined);
    try {
      const order = await api.get<Order>(`/v1/orders/${seg(trimmed)}`);
      setLines(order.lines.map((l) => ({ sku: l.sku, bought: l.quantity, quantity: 0 })));
    } catch (e) {
      // Staff may return an order their store never saw: the lines are then typed from the receipt.
      setLoadError(e);
      setLines([{ sku: '', bought: null, quantity: 1 }]);
    }
    setLoadedOrder(trimmed);
  };

  const chosen = lines.filter((l) => l.sku.trim() && l.quantity > 0);
  const submit = async () => {
    if (!loadedOrder) return;
    setBusy(true);
    setError(undefined);
    try {
      const created = await api.post<ReturnView>('/v1/returns', {
        orderId: loadedOrder,
        channel: 'pos',
        location: store,
        reason: reason.trim(),
        condition,
        lines: chosen.map((l) => ({ sku: l.sku.trim(), quantity: l.quantity })),
      });
      setDone(created);
      setLines([]);
      setLoadedOrder(undefined);
      setReason('');
      recent.reload();
      message.success(t('returns.created'));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const setLine = (index: number, change: Partial<Line>) =>
    setLines((all) => all.map((l, i) => (i === index ? { ...l, ...change } : l)));

  const lineColumns: SimpleColumn<Line>[] = [
    {
      key: 'sku',
      title: 'SKU',
      render: (l, i) =>
        l.bought === null ? (
          <Input value={l.sku} onChange={(e) => setLine(i, { sku: e.target.value })} style={{ width: 220 }} />
        ) : (
          l.sku
        ),
    },
    { key: 'bought', title: t('returns.bought'), align: 'right', render: (l) => l.bought ?? '—' },
    {
      key: 'qty',
      title: t('returns.quantity'),
      align: 'right',
      render: (l, i) => (
        <InputNumber
          min={0}
          max={l.bought ?? 999}
          precision={0}
          size="large"
          value={l.quantity}
          onChange={(v) => setLine(i, { quantity: typeof v === 'number' ? v : 0 })}
        />
      ),
    },
  ];

  if (recent.error instanceof ApiError && recent.error.status === 403) {
    return <ErrorState error={recent.error} onRetry={recent.reload} />;
  }
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card title={`${t('returns.counterTitle')} · ${store}`}>
        <Space direction="vertical" size="middle" style={{ width: '100%' }}>
          <Input.Search
            size="large"
            placeholder={t('store.orderLookupPlaceholder')}
            enterButton={t('returns.loadOrder')}
            value={orderId}
            onChange={(e) => setOrderId(e.target.value)}
            onSearch={load}
            style={{ maxWidth: 560 }}
          />
          {loadError ? (
            <Alert
              type="warning"
              showIcon
              message={t('returns.orderNotReadable')}
              description={messageOf(loadError)}
            />
          ) : null}
          {loadedOrder ? (
            <>
              <SimpleTable columns={lineColumns} rows={lines} rowKey={(l, i) => `${i}-${l.sku}`} />
              {lines.some((l) => l.bought === null) ? (
                <Button onClick={() => setLines((all) => [...all, { sku: '', bought: null, quantity: 1 }])}>
                  {t('returns.addLine')}
                </Button>
              ) : null}
              <Space wrap>
                <span>{t('returns.condition')}</span>
                <Radio.Group
                  value={condition}
                  onChange={(e) => setCondition(e.target.value as 'resellable' | 'damaged')}
                  optionType="button"
                  buttonStyle="solid"
                  size="large"
                  options={[
                    { value: 'resellable', label: t('returns.condition.resellable') },
                    { value: 'damaged', label: t('returns.condition.damaged') },
                  ]}
                />
              </Space>
              <Input.TextArea
                placeholder={t('returns.reason')}
                value={reason}
                maxLength={200}
                rows={2}
                onChange={(e) => setReason(e.target.value)}
              />
              <ErrorAlert error={error} />
              <Button
                type="primary"
                size="large"
                disabled={chosen.length === 0 || !reason.trim()}
                loading={busy}
                onClick={submit}
              >
                {t('returns.submit')}
              </Button>
            </>
          ) : null}
          {done ? (
            <Alert
              type="success"
              showIcon
              message={t('returns.createdDetail', { id: done.id, amount: formatFen(done.refundAmount) })}
              description={`${codeLabel(t, 'returns.status', done.status)} · ${codeLabel(t, 'returns.refundStatus', done.refundStatus)}`}
            />
          ) : null}
        </Space>
      </Card>
      <Card title={t('returns.recent')}>
        {recent.error ? (
          <ErrorState error={recent.error} onRetry={recent.reload} />
        ) : (
          <SimpleTable<ReturnView>
            rows={recent.data?.items ?? []}
            rowKey={(r) => r.id}
            empty={recent.loading ? t('common.loading') : t('returns.none')}
            columns={[
              { key: 'id', title: 'ID', render: (r) => r.id },
              { key: 'order', title: t('order.id'), render: (r) => r.orderId },
              {
                key: 'lines',
                title: t('order.lines'),
                render: (r) => r.lines.map((l) => `${l.sku} × ${l.quantity}`).join(', '),
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
                    <Tag>{codeLabel(t, 'returns.refundStatus', r.refundStatus)}</Tag>
                    {r.refundLastError ? (
                      <Typography.Text type="danger">{r.refundLastError}</Typography.Text>
                    ) : null}
                  </>
                ),
              },
              { key: 'at', title: t('common.time'), render: (r) => formatDateTime(r.createdAt, locale) },
            ]}
          />
        )}
      </Card>
    </Space>
  );
}
