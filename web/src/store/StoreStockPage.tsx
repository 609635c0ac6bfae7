import { Button, Card, Input, Space, Switch, Table, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { getSku, searchSkus } from '../api/catalog';
import { levelOf, listLevels, skuStock } from '../api/inventory';
import { type StreamMessage, useStream } from '../api/stream';
import type { LevelChanged, Sku, StockLevel } from '../api/types';
import { useSession } from '../auth/AuthProvider';
import { ErrorState, StreamBadge } from '../components/States';
import { formatFen } from '../format';
import { useT } from '../i18n/I18nProvider';

const PAGE = 20;

interface Row {
  sku: string;
  name?: string;
  price?: number;
  level?: StockLevel;
  /** Available in the brand's other locations (search mode). */
  elsewhere?: number;
}

/** The store's own column of the inventory, searchable, live; other stores' availability when searching. */
export default function StoreStockPage() {
  const t = useT();
  const session = useSession();
  const store = session.storeCode ?? '';
  const [q, setQ] = useState('');
  const [lowOnly, setLowOnly] = useState(false);
  const [cursor, setCursor] = useState<string | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [rows, setRows] = useState<Row[]>();
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(false);
  const [version, setVersion] = useState(0);
  const [flash, setFlash] = useState<string>();

  // biome-ignore lint/correctness/useExhaustiveDependencies: version reloads on demand
  useEffect(() => {
    let live = true;
    setLoading(true);
    setError(undefined);
    (async (): Promise<{ rows: Row[]; next: string | null }> => {
      if (q) {
        const skus = (await searchSkus({ q, limit: PAGE })).items;
        const inventories = await Promise.all(skus.map((s) => skuStock(s.code)));
        return {
          rows: skus.map((s, i) => {
            const levels = inventories[i]?.levels ?? [];
            const level = levels.find((l) => l.location === store);
            return {
              sku: s.code,
              name: s.name,
              price: s.price,
              ...(level ? { level } : {}),
              elsewhere: levels.filter((l) => l.location !== store).reduce((sum, l) => sum + l.available, 0),
            };
          }),
          next: null,
        };
      }
      const page = await listLevels({
        location: store,
        limit: PAGE,
        ...(cursor ? { cursor } : {}),
        ...(lowOnly ? { availableAtMost: 0 } : {}),
      });
      const skus = await Promise.all(page.items.map((l) => getSku(l.sku).catch(() => undefined)));
      return {
        rows: page.items.map((level, i) => {
          const sku: Sku | undefined = skus[i];
          return { sku: level.sku, level, ...(sku ? { name: sku.name, price: sku.price } : {}) };
        }),
        next: page.nextCursor,
      };
    })()
      .then((answer) => {
        if (!live) return;
        setRows(answer.rows);
        setNext(answer.next);
      })
      .catch((e: unknown) => live && setError(e))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [q, lowOnly, cursor, store, version]);

  const onEvent = useCallback(
    (message: StreamMessage) => {
      const change = message.data as LevelChanged;
      if (change.location !== store) return;
      setRows((current) =>
        current?.map((row) => (row.sku === change.sku ? { ...row, level: levelOf(change) } : row)),
      );
      setFlash(change.sku);
      setTimeout(() => setFlash((f) => (f === change.sku ? undefined : f)), 2500);
    },
    [store],
  );
  const status = useStream(['inventory'], ['inventory.level_changed'], onEvent);

  return (
    <Card title={t('store.stock')} extra={<StreamBadge status={status} />} styles={{ body: { padding: 12 } }}>
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          size="large"
          allowClear
          placeholder={t('store.searchStock')}
          style={{ width: 360, maxWidth: '100%' }}
          onSearch={(value) => {
            setCursor(null);
            setQ(value.trim());
          }}
          data-testid="store-stock-search"
        />
        {!q ? (
          <Space>
            <Switch
              checked={lowOnly}
              onChange={(v) => {
                setCursor(null);
                setLowOnly(v);
              }}
            />
            <Typography.Text>{t('store.soldOutOnly')}</Typography.Text>
          </Space>
        ) : null}
      </Space>
      {error ? (
        <ErrorState error={error} onRetry={() => setVersion((v) => v + 1)} />
      ) : (
        <Table<Row>
          rowKey="sku"
          size="middle"
          loading={loading}
          dataSource={rows ?? []}
          pagination={false}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: q ? t('common.noMatch') : t('store.noStock') }}
          rowClassName={(row) => (row.sku === flash ? 'row-flash' : '')}
          onRow={(row) => ({
            style: row.sku === flash ? { background: '#fff1b8', transition: 'background .6s' } : {},
          })}
          columns={[
            {
              title: 'SKU',
              key: 'sku',
              render: (_: unknown, row: Row) => (
                <Space direction="vertical" size={0}>
                  <Typography.Text strong>{row.sku}</Typography.Text>
                  <Typography.Text type="secondary">{row.name ?? ''}</Typography.Text>
                </Space>
              ),
            },
            { title: t('catalog.price'), dataIndex: 'price', render: (p?: number) => formatFen(p) },
            {
              title: t('inventory.available'),
              key: 'available',
              render: (_: unknown, row: Row) => (
                <Typography.Text
                  strong
                  style={{ fontSize: 18, color: (row.level?.available ?? 0) > 0 ? undefined : '#cf1322' }}
                >
                  {row.level?.available ?? 0}
                </Typography.Text>
              ),
            },
            {
              title: t('inventory.onHand'),
              key: 'onHand',
              render: (_: unknown, r: Row) => r.level?.onHand ?? 0,
            },
            {
              title: t('inventory.reserved'),
              key: 'reserved',
              render: (_: unknown, r: Row) => r.level?.reserved ?? 0,
            },
            {
              title: t('inventory.safety'),
              key: 'safety',
              render: (_: unknown, r: Row) => r.level?.safetyStock ?? 0,
            },
            ...(q
              ? [{ title: t('store.elsewhere'), dataIndex: 'elsewhere', render: (n?: number) => n ?? '—' }]
              : []),
          ]}
        />
      )}
      {!q ? (
        <Space style={{ marginTop: 12 }}>
          <Button size="large" disabled={cursor === null} onClick={() => setCursor(null)}>
            {t('common.firstPage')}
          </Button>
          <Button size="large" disabled={!next} onClick={() => setCursor(next)}>
            {t('common.nextPage')}
          </Button>
        </Space>
      ) : null}
    </Card>
  );
}
