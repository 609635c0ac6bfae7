import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Input, InputNumber, Radio, Space, Tag, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { Link } from 'react-router';
import {
  createExchange,
  createReturn,
  type ExchangeView,
  getReturn,
  type ItemCondition,
  listReturns,
  type ReturnView,
} from '../api/aftersales';
import { ApiError, messageOf, uuid } from '../api/client';
import { useApi } from '../api/hooks';
import { getOrder, payOrder } from '../api/orders';
import { type StreamMessage, useStream } from '../api/stream';
import type { Sku } from '../api/types';
import { type SimpleColumn, SimpleTable } from '../components/SimpleTable';
import { SkuScanField } from '../components/SkuScanField';
import { ErrorAlert, ErrorState, StreamBadge } from '../components/States';
import { formatDateTime, formatFen } from '../format';
import { useMoreI18n } from '../i18n/more';
import { codeLabel } from '../orders/OrderParts';
import { CashRefundsCard } from './CashRefundsCard';
import { IncomingReturnsCard } from './IncomingReturnsCard';
import { useWorkbenchStore } from './tasks';

interface Line {
  sku: string;
  /** The product's name, for a line read from the order. */
  name?: string;
  bought: number | null;
  quantity: number;
}

interface Replacement {
  sku: Sku | undefined;
  quantity: number;
}

const RETURN_EVENTS = [
  'return.requested',
  'return.shipped',
  'return.received',
  'return.refunded',
  'return.cancelled',
  'exchange.created',
];

const REFUND_COLORS: Record<string, string> = { succeeded: 'green', pending: 'blue', failed: 'red' };

/**
 * Returns and exchanges at the counter (channel pos, received here at once) for an order of any channel: its
 * lines when this store may read the order, typed from the receipt otherwise — the server checks what was bought,
 * delivered and already returned, and the return window. The refund follows live until the provider confirms it.
 */
export default function StoreReturnsPage() {
  const { t, locale } = useMoreI18n();
  const { message } = App.useApp();
  const store = useWorkbenchStore();
  const [mode, setMode] = useState<'return' | 'exchange'>('return');
  const [orderId, setOrderId] = useState('');
  const [loadError, setLoadError] = useState<unknown>();
  const [lines, setLines] = useState<Line[]>([]);
  const [loadedOrder, setLoadedOrder] = useState<string>();
  const [condition, setCondition] = useState<ItemCondition>('resellable');
  const [reason, setReason] = useState('');
  const [replacements, setReplacements] = useState<Replacement[]>([{ sku: undefined, quantity: 1 }]);
  const [requestId, setRequestId] = useState(uuid);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<ReturnView>();
  const [exchange, setExchange] = useState<ExchangeView>();
  const [paying, setPaying] = useState(false);
  const recent = useApi((signal) => listReturns({ location: store, limit: 20 }, signal), [store]);

  // Each return event the stream brings: the incoming requests are read again too.
  const [changes, setChanges] = useState(0);
  const { reload: reloadRecent } = recent;
  const onEvent = useCallback(
    (m: StreamMessage) => {
      reloadRecent();
      setChanges((n) => n + 1);
      const payload = m.data as { returnId?: string };
      if (payload.returnId && payload.returnId === done?.id) {
        getReturn(payload.returnId).then(setDone, () => undefined);
      }
    },
    [reloadRecent, done?.id],
  );
  const stream = useStream(['return', 'exchange'], RETURN_EVENTS, onEvent, !recent.error);

  const load = async (id: string) => {
    const trimmed = id.trim();
    if (!trimmed) return;
    setLoadError(undefined);
    setDone(undefined);
    setExchange(undefined);
    setError(undefined);
    setRequestId(uuid());
    try {
      const order = await getOrder(trimmed);
      // Most returns at a counter bring everything back: each line starts at what was bought and not cancelled.
      setLines(
        order.lines.map((l) => {
          const bought = l.quantity - l.cancelledQuantity;
          return { sku: l.sku, name: l.name, bought, quantity: bought };
        }),
      );
    } catch (e) {
      if (!(e instanceof ApiError) || e.code !== 'AUTH.STORE_FORBIDDEN') {
        // A mistyped number (no such order) or a failure: said as it is, nothing to return against.
        setLoadError(e);
        setLoadedOrder(undefined);
        setLines([]);
        return;
      }
      // Another store's or channel's order this store may not read (bought online, delivered from a warehouse):
      // its lines are typed from the receipt, and the server checks them.
      setLoadError(e);
      setLines([{ sku: '', bought: null, quantity: 1 }]);
    }
    setLoadedOrder(trimmed);
  };

  const chosen = lines.filter((l) => l.sku.trim() && l.quantity > 0);
  const chosenReplacements = replacements.filter((r) => r.sku && r.quantity > 0);
  const ready = chosen.length > 0 && !!reason.trim() && (mode === 'return' || chosenReplacements.length > 0);

  const reset = () => {
    setLines([]);
    setLoadedOrder(undefined);
    setReason('');
    setReplacements([{ sku: undefined, quantity: 1 }]);
    setOrderId('');
  };

  const submit = async () => {
    if (!loadedOrder) return;
    setBusy(true);
    setError(undefined);
    const returnLines = chosen.map((l) => ({ sku: l.sku.trim(), quantity: l.quantity }));
    try {
      if (mode === 'return') {
        const created = await createReturn({
          orderId: loadedOrder,
          channel: 'pos',
          location: store,
          reason: reason.trim(),
          condition,
          lines: returnLines,
          clientRequestId: requestId,
        });
        setDone(created);
        setExchange(undefined);
        message.success(t('returns.created'));
      } else {
        const created = await createExchange({
          orderId: loadedOrder,
          channel: 'pos',
          location: store,
          reason: reason.trim(),
          condition,
          returnLines,
          replacementLines: chosenReplacements.map((r) => ({ sku: r.sku?.code ?? '', quantity: r.quantity })),
          fulfillment: { type: 'carry_out' },
          clientRequestId: requestId,
        });
        setExchange(created);
        setDone(created.return);
        message.success(t('exchange.created'));
      }
      reset();
      recent.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const payReplacement = async () => {
    if (!exchange) return;
    setPaying(true);
    setError(undefined);
    try {
      await payOrder(exchange.replacementOrderId, exchange.payableAmount);
      message.success(t('exchange.paymentStarted'));
    } catch (e) {
      setError(e);
    } finally {
      setPaying(false);
    }
  };

  const setLine = (index: number, change: Partial<Line>) =>
    setLines((all) => all.map((l, i) => (i === index ? { ...l, ...change } : l)));

  const lineColumns: SimpleColumn<Line>[] = [
    {
      key: 'sku',
      title: t('returns.item'),
      render: (l, i) =>
        l.bought === null ? (
          <Input
            size="large"
            value={l.sku}
            placeholder={t('returns.skuFromReceipt')}
            onChange={(e) => setLine(i, { sku: e.target.value })}
            style={{ width: 240 }}
            data-testid={`return-line-sku-${i}`}
          />
        ) : (
          <span data-testid={`return-line-name-${i}`}>
            {l.name ?? l.sku}
            <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
              {l.sku}
            </Typography.Text>
          </span>
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
          data-testid={`return-line-qty-${i}`}
        />
      ),
    },
  ];

  if (recent.error) return <ErrorState error={recent.error} onRetry={recent.reload} />;
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card
        title={`${mode === 'return' ? t('returns.counterTitle') : t('exchange.counterTitle')} · ${store}`}
        extra={
          <Radio.Group
            value={mode}
            onChange={(e) => setMode(e.target.value as 'return' | 'exchange')}
            optionType="button"
            buttonStyle="solid"
            size="large"
            data-testid="returns-mode"
            options={[
              { value: 'return', label: t('returns.modeReturn') },
              { value: 'exchange', label: t('returns.modeExchange') },
            ]}
          />
        }
      >
        <Space direction="vertical" size="middle" style={{ width: '100%' }}>
          <Input.Search
            size="large"
            placeholder={t('store.orderLookupPlaceholder')}
            enterButton={t('returns.loadOrder')}
            value={orderId}
            onChange={(e) => setOrderId(e.target.value)}
            onSearch={load}
            style={{ maxWidth: 560 }}
            data-testid="return-order-id"
          />
          {loadError && !loadedOrder ? <ErrorAlert error={loadError} /> : null}
          {loadError && loadedOrder ? (
            <Alert
              type="warning"
              showIcon
              data-testid="return-order-unreadable"
              message={t('returns.orderNotReadable')}
              description={messageOf(loadError)}
            />
          ) : null}
          {loadedOrder ? (
            <>
              <Typography.Text type="secondary">{t('returns.forOrder', { id: loadedOrder })}</Typography.Text>
              <SimpleTable
                columns={lineColumns}
                rows={lines}
                rowKey={(l, i) => `${i}-${l.bought === null ? 'typed' : l.sku}`}
              />
              {lines.some((l) => l.bought === null) ? (
                <Button
                  icon={<PlusOutlined />}
                  onClick={() => setLines((all) => [...all, { sku: '', bought: null, quantity: 1 }])}
                >
                  {t('returns.addLine')}
                </Button>
              ) : null}
              <Space wrap>
                <span>{t('returns.condition')}</span>
                <Radio.Group
                  value={condition}
                  onChange={(e) => setCondition(e.target.value as ItemCondition)}
                  optionType="button"
                  buttonStyle="solid"
                  size="large"
                  data-testid="return-condition"
                  options={[
                    { value: 'resellable', label: t('returns.condition.resellable') },
                    { value: 'damaged', label: t('returns.condition.damaged') },
                  ]}
                />
              </Space>
              {mode === 'exchange' ? (
                <Card size="small" title={t('exchange.replacement')}>
                  <Space direction="vertical" style={{ width: '100%' }}>
                    {replacements.map((r, i) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity until a SKU is chosen
                      <Space key={i} wrap style={{ width: '100%' }}>
                        <div style={{ width: 420 }}>
                          <SkuScanField
                            value={r.sku}
                            testId={`exchange-sku-${i}`}
                            onChange={(sku) =>
                              setReplacements((all) => all.map((x, j) => (j === i ? { ...x, sku } : x)))
                            }
                          />
                        </div>
                        <InputNumber
                          min={1}
                          max={999}
                          precision={0}
                          size="large"
                          value={r.quantity}
                          onChange={(v) =>
                            setReplacements((all) =>
                              all.map((x, j) =>
                                j === i ? { ...x, quantity: typeof v === 'number' ? v : 1 } : x,
                              ),
                            )
                          }
                        />
                        {replacements.length > 1 ? (
                          <Button
                            icon={<DeleteOutlined />}
                            onClick={() => setReplacements((all) => all.filter((_, j) => j !== i))}
                          />
                        ) : null}
                      </Space>
                    ))}
                    <Button
                      icon={<PlusOutlined />}
                      onClick={() => setReplacements((all) => [...all, { sku: undefined, quantity: 1 }])}
                    >
                      {t('exchange.addReplacement')}
                    </Button>
                    <Typography.Text type="secondary">{t('exchange.hint')}</Typography.Text>
                  </Space>
                </Card>
              ) : null}
              <Input.TextArea
                placeholder={t('returns.reason')}
                value={reason}
                maxLength={200}
                rows={2}
                onChange={(e) => setReason(e.target.value)}
                data-testid="return-reason"
              />
              <ErrorAlert error={error} />
              <Button
                type="primary"
                size="large"
                disabled={!ready}
                loading={busy}
                onClick={submit}
                data-testid="return-submit"
              >
                {mode === 'return' ? t('returns.submit') : t('exchange.submit')}
              </Button>
            </>
          ) : null}
          {!loadedOrder ? <ErrorAlert error={error} /> : null}
          {done ? (
            <Alert
              type="success"
              showIcon
              data-testid="return-done"
              data-return={done.id}
              data-refund-status={done.refundStatus}
              message={t('returns.createdDetail', { id: done.id, amount: formatFen(done.refundAmount) })}
              description={
                <Space direction="vertical" size={4}>
                  <span data-testid="return-done-status">
                    {/* A refunded return says so once, by its refund. */}
                    {done.status === 'refunded' ? null : (
                      <>{codeLabel(t, 'returns.status', done.status)} · </>
                    )}
                    <Tag color={REFUND_COLORS[done.refundStatus]}>
                      {codeLabel(t, 'returns.refundStatus', done.refundStatus)}
                    </Tag>
                    {done.refundLastError ? (
                      <Typography.Text type="danger">{done.refundLastError}</Typography.Text>
                    ) : null}
                  </span>
                  {done.loyalty?.pointsReversed ? (
                    <span>{t('order.pointsReversed', { n: done.loyalty.pointsReversed })}</span>
                  ) : null}
                  {done.loyalty?.pointsRestored ? (
                    <span>{t('order.pointsRestored', { n: done.loyalty.pointsRestored })}</span>
                  ) : null}
                  {exchange ? (
                    <span data-testid="exchange-done">
                      {t('exchange.createdDetail', {
                        credit: formatFen(exchange.creditAmount),
                        refund: formatFen(exchange.refundAmount),
                        payable: formatFen(exchange.payableAmount),
                      })}{' '}
                      <Link to={`/store/orders?id=${encodeURIComponent(exchange.replacementOrderId)}`}>
                        {exchange.replacementOrderId}
                      </Link>
                    </span>
                  ) : null}
                  {exchange && exchange.payableAmount > 0 ? (
                    <Button onClick={payReplacement} loading={paying}>
                      {t('exchange.collect', { amount: formatFen(exchange.payableAmount) })}
                    </Button>
                  ) : null}
                </Space>
              }
            />
          ) : null}
        </Space>
      </Card>
      <IncomingReturnsCard store={store} changes={changes} stream={stream} onReceived={recent.reload} />
      <CashRefundsCard store={store} />
      <Card title={t('returns.recent')} extra={<StreamBadge status={stream} />}>
        <SimpleTable<ReturnView>
          rows={recent.data?.items ?? []}
          rowKey={(r) => r.id}
          testId="store-returns"
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
              render: (r) => (
                <>
                  <Tag>{codeLabel(t, 'returns.status', r.status)}</Tag>
                  {r.exchangeId ? <Tag color="purple">{t('returns.modeExchange')}</Tag> : null}
                </>
              ),
            },
            {
              key: 'refund',
              title: t('order.refunds'),
              align: 'right',
              render: (r) => (
                <>
                  {formatFen(r.refundAmount)}{' '}
                  <Tag
                    color={REFUND_COLORS[r.refundStatus]}
                    data-testid="store-return-refund"
                    data-status={r.refundStatus}
                  >
                    {codeLabel(t, 'returns.refundStatus', r.refundStatus)}
                  </Tag>
                  {r.refundLastError ? (
                    <Typography.Text type="danger">{r.refundLastError}</Typography.Text>
                  ) : null}
                </>
              ),
            },
            { key: 'at', title: t('common.time'), render: (r) => formatDateTime(r.createdAt, locale) },
          ]}
        />
      </Card>
    </Space>
  );
}
