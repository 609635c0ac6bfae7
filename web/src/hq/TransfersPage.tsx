import { App, Button, Card, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useLocations } from '../api/catalog';
import { messageOf } from '../api/client';
import { useApi } from '../api/hooks';
import {
  listTransfers,
  moveTransfer,
  type Transfer,
  type TransferMove,
  type TransferStatus,
} from '../api/inventory';
import { SkuPicker } from '../components/SkuPicker';
import { ErrorState } from '../components/States';
import { formatDateTime } from '../format';
import { useI18n } from '../i18n/I18nProvider';
import TransferForm from './inventory/TransferForm';

const STATUS_COLORS: Record<TransferStatus, string> = {
  awaiting_source: 'gold',
  requested: 'blue',
  in_transit: 'orange',
  received: 'green',
  cancelled: 'default',
  declined: 'red',
};
const TRANSFER_STATUSES = Object.keys(STATUS_COLORS) as TransferStatus[];

/** What can be done with a transfer in each status (the server decides who may). */
const MOVES: Partial<Record<TransferStatus, TransferMove[]>> = {
  awaiting_source: ['accept', 'decline', 'cancel'],
  requested: ['ship', 'cancel'],
  in_transit: ['receive'],
};

/** Transfers (调拨): request (or ask another store), accept, ship from the source, receive at the destination. */
export default function TransfersPage() {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const { locations } = useLocations();
  const [status, setStatus] = useState<TransferStatus>();
  const [location, setLocation] = useState<string>();
  const [busy, setBusy] = useState<string>();
  const [newSku, setNewSku] = useState<string>();
  const transfers = useApi(
    (signal) =>
      listTransfers({ ...(status ? { status } : {}), ...(location ? { location } : {}), limit: 200 }, signal),
    [status, location],
  );

  const move = async (transfer: Transfer, action: TransferMove) => {
    setBusy(`${transfer.id}:${action}`);
    try {
      const moved = await moveTransfer(transfer.id, action);
      transfers.mutate(
        (page) => page && { ...page, items: page.items.map((x) => (x.id === moved.id ? moved : x)) },
      );
      message.success(t(`transfer.status.${moved.status}`));
    } catch (e) {
      message.error(messageOf(e));
    } finally {
      setBusy(undefined);
    }
  };

  const locationOptions = (locations ?? []).map((l) => ({ value: l.code, label: `${l.code} · ${l.name}` }));

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('transfer.title')}
      </Typography.Title>
      <Card size="small">
        <Space wrap>
          <Select
            allowClear
            placeholder={t('transfer.filterStatus')}
            style={{ width: 160 }}
            value={status}
            onChange={setStatus}
            options={TRANSFER_STATUSES.map((s) => ({
              value: s,
              label: t(`transfer.status.${s}`),
            }))}
          />
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            placeholder={t('transfer.filterLocation')}
            style={{ width: 240 }}
            value={location}
            onChange={setLocation}
            options={locationOptions}
          />
          <Typography.Text type="secondary">{t('transfer.newForSku')}</Typography.Text>
          <div style={{ width: 420 }}>
            <SkuPicker onPick={(pick) => pick.kind === 'sku' && setNewSku(pick.code)} />
          </div>
        </Space>
      </Card>
      {transfers.error ? (
        <ErrorState error={transfers.error} onRetry={transfers.reload} />
      ) : (
        <Table<Transfer>
          rowKey="id"
          loading={transfers.loading}
          dataSource={transfers.data?.items ?? []}
          locale={{ emptyText: t('transfer.empty') }}
          scroll={{ x: 'max-content' }}
          columns={[
            { title: 'ID', dataIndex: 'id' },
            { title: 'SKU', dataIndex: 'sku' },
            { title: t('transfer.from'), dataIndex: 'from' },
            { title: t('transfer.to'), dataIndex: 'to' },
            { title: t('transfer.quantity'), dataIndex: 'quantity' },
            {
              title: t('common.status'),
              dataIndex: 'status',
              render: (s: TransferStatus) => <Tag color={STATUS_COLORS[s]}>{t(`transfer.status.${s}`)}</Tag>,
            },
            {
              title: t('common.createdAt'),
              dataIndex: 'createdAt',
              render: (v?: string) => formatDateTime(v, locale),
            },
            {
              title: t('common.actions'),
              key: 'actions',
              render: (_: unknown, x: Transfer) => (
                <Space>
                  {(MOVES[x.status] ?? []).map((action, i) => (
                    <Button
                      key={action}
                      size="small"
                      type={i === 0 ? 'primary' : 'default'}
                      loading={busy === `${x.id}:${action}`}
                      onClick={() => move(x, action)}
                    >
                      {t(`transfer.move.${action}`)}
                    </Button>
                  ))}
                </Space>
              ),
            },
          ]}
        />
      )}
      {newSku ? (
        <TransferForm
          sku={newSku}
          locations={locations ?? []}
          onClose={() => setNewSku(undefined)}
          onCreated={(created) => {
            setNewSku(undefined);
            transfers.mutate((page) => page && { ...page, items: [created, ...page.items] });
          }}
        />
      ) : null}
    </Space>
  );
}
