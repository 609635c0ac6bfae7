import { Table, Tag, Typography } from 'antd';
import { useEffect } from 'react';
import { useApi } from '../../api/hooks';
import { type Movement, movementsOf } from '../../api/inventory';
import { ErrorState } from '../../components/States';
import { formatDateTime } from '../../format';
import { useI18n } from '../../i18n/I18nProvider';

/** The movement ledger of one SKU at one location, newest first. */
export function MovementHistory({
  sku,
  location,
  refreshKey,
}: {
  sku: string;
  location: string;
  refreshKey: number;
}) {
  const { t, locale } = useI18n();
  const movements = useApi((signal) => movementsOf(sku, location, { limit: 100 }, signal), [sku, location]);
  const { reload } = movements;
  // A live change of on hand means new ledger rows.
  // biome-ignore lint/correctness/useExhaustiveDependencies: refreshKey is the trigger
  useEffect(() => {
    reload();
  }, [refreshKey, reload]);

  if (movements.error) return <ErrorState error={movements.error} onRetry={movements.reload} />;
  const items = Array.isArray(movements.data) ? movements.data : (movements.data?.items ?? []);
  return (
    <div>
      <Typography.Title level={5}>{t('inventory.movements')}</Typography.Title>
      <Table<Movement>
        size="small"
        data-testid="movements"
        loading={movements.loading}
        rowKey={(m) => String(m.id)}
        dataSource={items}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: t('inventory.noMovements') }}
        columns={[
          {
            title: t('common.time'),
            dataIndex: 'occurredAt',
            render: (v: string) => formatDateTime(v, locale),
          },
          {
            title: t('inventory.delta'),
            dataIndex: 'delta',
            render: (d: number) => (
              <Tag color={d > 0 ? 'green' : d < 0 ? 'red' : 'default'}>{d > 0 ? `+${d}` : d}</Tag>
            ),
          },
          { title: t('inventory.onHandAfter'), dataIndex: 'onHandAfter', render: (v?: number) => v ?? '—' },
          {
            title: t('inventory.reason'),
            dataIndex: 'reason',
            render: (r: string) => t(`reason.${r}` as 'reason.count'),
          },
          {
            title: t('inventory.source'),
            key: 'source',
            render: (_: unknown, m: Movement) =>
              [m.source?.type, m.source?.id, m.actor].filter(Boolean).join(' · ') || '—',
          },
        ]}
      />
    </div>
  );
}
