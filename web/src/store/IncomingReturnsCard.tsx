import { App, Button, Card, Radio, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { type ItemCondition, listReturns, type ReturnView, receiveReturn } from '../api/aftersales';
import { useApi } from '../api/hooks';
import type { StreamStatus } from '../api/stream';
import { type SimpleColumn, SimpleTable } from '../components/SimpleTable';
import { ErrorAlert, StreamBadge } from '../components/States';
import { formatDateTime, formatFen } from '../format';
import { useMoreI18n } from '../i18n/more';

/**
 * The returns customers asked for from their phones that are heading to this store (requested, location here):
 * who (masked by the server), what, why, her photos and how it comes, and a button to receive it when she is at
 * the counter — graded, restocked and refunded as any receipt. Kept current by the page's live stream (`changes`
 * counts the return events it saw).
 */
export function IncomingReturnsCard({
  store,
  changes,
  stream,
  onReceived,
}: {
  store: string;
  changes: number;
  stream: StreamStatus;
  onReceived(): void;
}) {
  const { t, locale } = useMoreI18n();
  const { message } = App.useApp();
  const incoming = useApi(
    (signal) => listReturns({ location: store, status: 'requested', limit: 50 }, signal),
    [store],
  );
  const [conditions, setConditions] = useState<Record<string, ItemCondition>>({});
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<unknown>();
  const { reload } = incoming;
  // Every return event the stream saw after the first load reads the list again.
  useEffect(() => {
    if (changes > 0) reload();
  }, [changes, reload]);

  const receive = async (r: ReturnView) => {
    setBusy(r.id);
    setError(undefined);
    try {
      await receiveReturn(r.id, { location: store, condition: conditions[r.id] ?? 'resellable' });
      message.success(t('returns.received'));
      incoming.reload();
      onReceived();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(undefined);
    }
  };

  const columns: SimpleColumn<ReturnView>[] = [
    {
      key: 'who',
      title: t('returns.customer'),
      render: (r) => (
        <span data-testid="incoming-customer">
          {r.customer?.name ?? ''} {r.customer?.phone ?? '—'}
          <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
            {r.orderId}
          </Typography.Text>
        </span>
      ),
    },
    {
      key: 'lines',
      title: t('order.lines'),
      render: (r) => (
        <>
          {r.lines.map((l) => `${l.sku} × ${l.quantity}`).join(', ')}
          <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
            {formatFen(r.refundAmount)}
          </Typography.Text>
        </>
      ),
    },
    {
      key: 'reason',
      title: t('returns.why'),
      render: (r) => (
        <Space direction="vertical" size={4}>
          <span>{r.reason}</span>
          {r.photos.length > 0 ? (
            <Space wrap size={4} data-testid="incoming-photos">
              {r.photos.map((p) => (
                <a key={p} href={p} target="_blank" rel="noreferrer noopener" title={t('returns.photos')}>
                  <img
                    src={p}
                    alt=""
                    style={{ width: 40, height: 40, objectFit: 'cover', borderRadius: 4 }}
                  />
                </a>
              ))}
            </Space>
          ) : null}
        </Space>
      ),
    },
    {
      key: 'method',
      title: t('returns.method'),
      render: (r) => (
        <>
          <Tag data-testid="incoming-method">
            {t(
              r.method === 'store'
                ? 'returns.method.store'
                : `returns.method.${r.courier?.mode ?? 'drop_off'}`,
            )}
          </Tag>
          {r.courier?.trackingNumber ? (
            <Typography.Text style={{ display: 'block', fontSize: 12 }}>
              {r.courier.carrier} {r.courier.trackingNumber}
            </Typography.Text>
          ) : null}
          <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
            {formatDateTime(r.createdAt, locale)}
          </Typography.Text>
        </>
      ),
    },
    {
      key: 'receive',
      title: '',
      align: 'right',
      render: (r) => (
        <Space direction="vertical" size={4} align="end">
          <Radio.Group
            size="small"
            value={conditions[r.id] ?? 'resellable'}
            onChange={(e) => setConditions((all) => ({ ...all, [r.id]: e.target.value as ItemCondition }))}
            options={[
              { value: 'resellable', label: t('returns.condition.resellable') },
              { value: 'damaged', label: t('returns.condition.damaged') },
            ]}
          />
          <Button
            type="primary"
            loading={busy === r.id}
            disabled={busy !== undefined}
            onClick={() => receive(r)}
            data-testid="incoming-receive"
          >
            {t('returns.receive')}
          </Button>
        </Space>
      ),
    },
  ];

  return (
    <Card title={`${t('returns.incoming')} · ${store}`} extra={<StreamBadge status={stream} />}>
      <ErrorAlert error={error ?? incoming.error} />
      <SimpleTable<ReturnView>
        rows={incoming.data?.items ?? []}
        rowKey={(r) => r.id}
        testId="incoming-returns"
        empty={incoming.loading ? t('common.loading') : t('returns.incomingNone')}
        columns={columns}
      />
    </Card>
  );
}
