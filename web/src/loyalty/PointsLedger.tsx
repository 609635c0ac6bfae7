import { Button, Space, Statistic, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useApi } from '../api/hooks';
import { type PointsEntry, type PointsLot, pointsOf } from '../api/loyalty';
import { SimpleTable } from '../components/SimpleTable';
import { ErrorState, Loading } from '../components/States';
import { formatDateTime } from '../format';
import { useMoreI18n } from '../i18n/more';
import { codeLabel } from '../orders/OrderParts';

const signed = (n: number) => (n > 0 ? `+${n}` : n === 0 ? '0' : String(n));

/**
 * A member's points as the ledger has them (`GET /v1/members/{id}/points`): both balances, the open lots with
 * their expiry, and every entry with its source, older entries page by page.
 */
export function PointsLedger({ memberId, compact = false }: { memberId: string; compact?: boolean }) {
  const { t, locale } = useMoreI18n();
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const cursor = cursors[cursors.length - 1] ?? null;
  const points = useApi(
    (signal) => pointsOf(memberId, { limit: compact ? 20 : 50, cursor: cursor ?? undefined }, signal),
    [memberId, compact, cursor],
  );

  if (points.loading && !points.data) return <Loading />;
  if (points.error || !points.data) return <ErrorState error={points.error} onRetry={points.reload} />;
  const p = points.data;
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }} data-testid="points-ledger">
      <Space size="large" wrap>
        <Statistic
          title={t('points.available')}
          value={p.available}
          valueStyle={{ color: p.available < 0 ? '#cf1322' : undefined }}
        />
        <Statistic title={t('points.pending')} value={p.pending} />
      </Space>
      {p.lots.length > 0 ? (
        <div>
          <Typography.Title level={5}>{t('points.lots')}</Typography.Title>
          <SimpleTable<PointsLot>
            rows={p.lots}
            rowKey={(l) => l.id}
            columns={[
              {
                key: 'kind',
                title: t('points.lotKind'),
                render: (l) => (
                  <Tag color={l.kind === 'debt' ? 'red' : 'green'}>
                    {codeLabel(t, 'points.lotKind', l.kind)}
                  </Tag>
                ),
              },
              ...(compact
                ? []
                : [{ key: 'order', title: t('order.id'), render: (l: PointsLot) => l.orderId ?? '—' }]),
              { key: 'sku', title: 'SKU', render: (l) => l.sku ?? '—' },
              { key: 'points', title: t('points.earned'), align: 'right', render: (l) => l.points },
              { key: 'remaining', title: t('points.remaining'), align: 'right', render: (l) => l.remaining },
              { key: 'pending', title: t('points.pending'), align: 'right', render: (l) => l.pending || '—' },
              {
                key: 'availableAt',
                title: t('points.availableAt'),
                render: (l) => formatDateTime(l.availableAt, locale, false),
              },
              {
                key: 'expiresAt',
                title: t('points.expiresAt'),
                render: (l) => formatDateTime(l.expiresAt, locale, false),
              },
            ]}
          />
        </div>
      ) : null}
      <div>
        <Typography.Title level={5}>{t('points.ledger')}</Typography.Title>
        <SimpleTable<PointsEntry>
          rows={p.ledger}
          rowKey={(e) => e.id}
          empty={t('points.noEntries')}
          testId="points-entries"
          columns={[
            { key: 'at', title: t('common.time'), render: (e) => formatDateTime(e.createdAt, locale) },
            {
              key: 'kind',
              title: t('points.entryKind'),
              render: (e) => codeLabel(t, 'points.entry', e.kind),
            },
            {
              key: 'points',
              title: t('points.available'),
              align: 'right',
              render: (e) =>
                e.points ? (
                  <strong style={{ color: e.points < 0 ? '#cf1322' : '#389e0d' }}>{signed(e.points)}</strong>
                ) : (
                  '—'
                ),
            },
            {
              key: 'pending',
              title: t('points.pending'),
              align: 'right',
              render: (e) => (e.pendingPoints ? signed(e.pendingPoints) : '—'),
            },
            ...(compact
              ? []
              : [
                  {
                    key: 'source',
                    title: t('points.source'),
                    render: (e: PointsEntry) => (
                      <Typography.Text type="secondary">{e.source}</Typography.Text>
                    ),
                  },
                ]),
          ]}
        />
        <Space style={{ marginTop: 8 }}>
          <Button disabled={cursors.length <= 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
            {t('points.newer')}
          </Button>
          <Button disabled={!p.nextCursor} onClick={() => setCursors((c) => [...c, p.nextCursor])}>
            {t('points.older')}
          </Button>
        </Space>
      </div>
    </Space>
  );
}
