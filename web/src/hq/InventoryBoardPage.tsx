import { SwapOutlined } from '@ant-design/icons';
import { Button, Card, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { getProduct, getSku, useLocations } from '../api/catalog';
import { levelOf, skuStock } from '../api/inventory';
import { type StreamMessage, useStream } from '../api/stream';
import type { LevelChanged, Location, Sku, SkuInventory } from '../api/types';
import { useSession } from '../auth/AuthProvider';
import { can } from '../auth/roles';
import { SkuPicker } from '../components/SkuPicker';
import { EmptyState, ErrorState, Loading, StreamBadge } from '../components/States';
import { formatFen } from '../format';
import { useT } from '../i18n/I18nProvider';

// What only a click opens, and the chart, load on demand: the board itself stays light.
const StockChart = lazy(() => import('./inventory/StockChart'));
const CellDrawer = lazy(() => import('./inventory/CellDrawer'));
const TransferForm = lazy(() => import('./inventory/TransferForm'));

const FLASH_MS = 2500;

interface Board {
  target: string;
  skus: Sku[];
  inventory: Record<string, SkuInventory>;
}

const cellKey = (sku: string, location: string) => `${sku}|${location}`;

function applyLevel(inventory: SkuInventory, change: LevelChanged): SkuInventory {
  const level = levelOf(change);

  const exists = inventory.levels.some((l) => l.location === change.location);
  const levels = exists
    ? inventory.levels.map((l) => (l.location === change.location ? level : l))
    : [...inventory.levels, level];
  return { ...inventory, levels, available: levels.reduce((sum, l) => sum + l.available, 0) };
}

/**
 * The inventory board: SKU × location with on hand / reserved / safety / available, kept current by the
 * live stream (the changed cell flashes), with each cell's movement ledger and, for HQ, counts and transfers.
 */
export default function InventoryBoardPage() {
  const t = useT();
  const session = useSession();
  const navigate = useNavigate();
  const { sku: skuParam } = useParams();
  const [params] = useSearchParams();
  const productParam = params.get('product');
  const { locations, error: locationsError } = useLocations();
  const [board, setBoard] = useState<Board>();
  const [error, setError] = useState<unknown>();
  const [flash, setFlash] = useState<Record<string, number>>({});
  const [selected, setSelected] = useState<{ sku: string; location: string }>();
  const [transferFor, setTransferFor] = useState<string>();
  const [version, setVersion] = useState(0);
  const skuCodes = useRef<Set<string>>(new Set());

  const onEvent = useCallback((message: StreamMessage) => {
    const change = message.data as LevelChanged;
    if (!skuCodes.current.has(change.sku)) return;
    setBoard((current) => {
      const inventory = current?.inventory[change.sku];
      if (!current || !inventory) return current;
      return { ...current, inventory: { ...current.inventory, [change.sku]: applyLevel(inventory, change) } };
    });
    const key = cellKey(change.sku, change.location);
    const stamp = Date.now();
    setFlash((f) => ({ ...f, [key]: stamp }));
    setTimeout(() => setFlash((f) => (f[key] === stamp ? omit(f, key) : f)), FLASH_MS);
  }, []);

  const target = skuParam ? `sku:${skuParam}` : productParam ? `product:${productParam}` : null;
  const status = useStream(['inventory'], ['inventory.level_changed'], onEvent, target !== null);
  const [streamSettled, setStreamSettled] = useState(false);
  useEffect(() => {
    if (status !== 'connecting') setStreamSettled(true);
  }, [status]);

  // Read once the stream is open, so that no change between the read and the subscription is lost.
  // biome-ignore lint/correctness/useExhaustiveDependencies: version reloads on demand
  useEffect(() => {
    if (!target) {
      setBoard(undefined);
      skuCodes.current = new Set();
      return;
    }
    if (!streamSettled) return;
    let live = true;
    setError(undefined);
    (async () => {
      const skus = skuParam ? [await getSku(skuParam)] : (await getProduct(productParam ?? '')).skus;
      skuCodes.current = new Set(skus.map((s) => s.code));
      const inventories = await Promise.all(skus.map((s) => skuStock(s.code)));
      return {
        target,
        skus,
        inventory: Object.fromEntries(inventories.map((inv, i) => [skus[i]?.code ?? inv.sku, inv])),
      };
    })()
      .then((next) => live && setBoard(next))
      .catch((e: unknown) => live && setError(e));
    return () => {
      live = false;
    };
  }, [target, streamSettled, version]);

  const rows = useMemo(() => {
    if (!board) return [];
    const codes = new Set<string>();
    for (const inv of Object.values(board.inventory)) for (const l of inv.levels) codes.add(l.location);
    const known = new Map((locations ?? []).map((l) => [l.code, l]));
    for (const l of locations ?? []) codes.add(l.code);
    return [...codes]
      .map((code) => ({ code, location: known.get(code) }))
      .sort((a, b) => kindRank(a.location) - kindRank(b.location) || a.code.localeCompare(b.code));
  }, [board, locations]);

  const level = (sku: string, location: string) =>
    board?.inventory[sku]?.levels.find((l) => l.location === location);

  const columns = [
    {
      title: t('inventory.location'),
      key: 'location',
      fixed: 'left' as const,
      width: 200,
      render: (_: unknown, row: { code: string; location: Location | undefined }) => (
        <Space direction="vertical" size={0}>
          <Typography.Text strong>{row.code}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {row.location ? `${row.location.name} · ${row.location.city}` : ''}
            {row.location ? (
              <Tag style={{ marginLeft: 6 }} color={row.location.kind === 'warehouse' ? 'purple' : 'green'}>
                {t(`location.kind.${row.location.kind}`)}
              </Tag>
            ) : null}
          </Typography.Text>
        </Space>
      ),
    },
    ...(board?.skus ?? []).map((sku) => ({
      title: (
        <Space direction="vertical" size={0}>
          <span>{sku.code}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: 'normal' }}>
            {sku.name} · {formatFen(sku.price)}
          </Typography.Text>
        </Space>
      ),
      key: sku.code,
      render: (_: unknown, row: { code: string }) => {
        const l = level(sku.code, row.code);
        const flashing = flash[cellKey(sku.code, row.code)] !== undefined;
        return (
          <button
            type="button"
            data-testid={`cell-${sku.code}-${row.code}`}
            data-on-hand={l?.onHand ?? ''}
            data-available={l?.available ?? ''}
            data-flash={flashing ? 'true' : 'false'}
            onClick={() => setSelected({ sku: sku.code, location: row.code })}
            style={{
              all: 'unset',
              cursor: 'pointer',
              display: 'block',
              padding: '4px 8px',
              borderRadius: 6,
              background: flashing ? '#fff1b8' : 'transparent',
              transition: 'background 0.6s ease',
              minWidth: 160,
            }}
          >
            {l ? (
              <>
                <div>
                  <Typography.Text
                    strong
                    style={{ fontSize: 18, color: l.available > 0 ? '#1f4e79' : '#cf1322' }}
                  >
                    {l.available}
                  </Typography.Text>
                  <Typography.Text type="secondary" style={{ fontSize: 12, marginLeft: 4 }}>
                    {t('inventory.available')}
                  </Typography.Text>
                </div>
                <div style={{ fontSize: 12, color: '#595959' }}>
                  {t('inventory.onHand')} <b data-testid="on-hand">{l.onHand}</b> · {t('inventory.reserved')}{' '}
                  {l.reserved} · {t('inventory.safety')} {l.safetyStock}
                  {l.inTransit ? ` · ${t('inventory.inTransit')} ${l.inTransit}` : ''}
                </div>
              </>
            ) : (
              <Typography.Text type="secondary">{t('inventory.noLevel')}</Typography.Text>
            )}
          </button>
        );
      },
    })),
  ];

  // The SKU or product on the board, as the search box shows it.
  const shown = !board
    ? undefined
    : skuParam
      ? board.skus[0] && `${board.skus[0].code} · ${board.skus[0].name}`
      : (productParam ?? undefined);
  const totals = (board?.skus ?? []).map((sku) => {
    const levels = board?.inventory[sku.code]?.levels ?? [];
    return {
      sku,
      onHand: levels.reduce((s, l) => s + l.onHand, 0),
      reserved: levels.reduce((s, l) => s + l.reserved, 0),
      available: levels.reduce((s, l) => s + l.available, 0),
      inTransit: levels.reduce((s, l) => s + (l.inTransit ?? 0), 0),
    };
  });

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('inventory.title')}
        </Typography.Title>
        {target ? <StreamBadge status={status} /> : null}
      </Space>
      <SkuPicker
        initialKind={productParam ? 'product' : 'sku'}
        current={shown}
        onPick={(pick) =>
          navigate(
            pick.kind === 'sku'
              ? `/hq/inventory/${encodeURIComponent(pick.code)}`
              : `/hq/inventory?product=${encodeURIComponent(pick.code)}`,
          )
        }
      />
      {!target ? (
        <Card>
          <EmptyState description={t('inventory.pickPrompt')} />
        </Card>
      ) : error || locationsError ? (
        <Card>
          <ErrorState error={error ?? locationsError} onRetry={() => setVersion((v) => v + 1)} />
        </Card>
      ) : !board || board.target !== target ? (
        <Card>
          <Loading />
        </Card>
      ) : board.skus.length === 0 ? (
        <Card>
          <EmptyState description={t('inventory.productHasNoSkus')} />
        </Card>
      ) : (
        <>
          <Card size="small">
            <Space direction="vertical" style={{ width: '100%' }}>
              {totals.map((total) => (
                <Space key={total.sku.code} wrap size={4}>
                  <Typography.Text strong style={{ marginRight: 8 }}>
                    {total.sku.code}
                  </Typography.Text>
                  <Space wrap size={4}>
                    <Tag color="blue">
                      {t('inventory.available')} {total.available}
                    </Tag>
                    <Tag>
                      {t('inventory.onHand')} {total.onHand}
                    </Tag>
                    <Tag>
                      {t('inventory.reserved')} {total.reserved}
                    </Tag>
                    {total.inTransit ? (
                      <Tag color="orange">
                        {t('inventory.inTransit')} {total.inTransit}
                      </Tag>
                    ) : null}
                    {can(session.role, 'transfers.manage') ? (
                      <Tooltip title={t('transfer.new')}>
                        <Button
                          size="small"
                          icon={<SwapOutlined />}
                          onClick={() => setTransferFor(total.sku.code)}
                        />
                      </Tooltip>
                    ) : null}
                  </Space>
                </Space>
              ))}
            </Space>
          </Card>
          <Card
            size="small"
            title={t('inventory.grid')}
            extra={<Typography.Text type="secondary">{t('inventory.clickCell')}</Typography.Text>}
          >
            <Table
              data-testid="inventory-grid"
              size="small"
              rowKey="code"
              pagination={false}
              scroll={{ x: 'max-content' }}
              dataSource={rows}
              columns={columns}
              locale={{ emptyText: t('inventory.noLocations') }}
            />
          </Card>
          {board.skus.length === 1 && board.skus[0] ? (
            <Card size="small" title={t('inventory.chartTitle')}>
              <Suspense fallback={<Loading />}>
                <StockChart
                  levels={board.inventory[board.skus[0].code]?.levels ?? []}
                  names={Object.fromEntries((locations ?? []).map((l) => [l.code, l.name]))}
                />
              </Suspense>
            </Card>
          ) : null}
        </>
      )}
      <Suspense fallback={null}>
        {selected ? (
          <CellDrawer
            sku={selected.sku}
            location={selected.location}
            level={level(selected.sku, selected.location)}
            canCount={can(session.role, 'inventory.count')}
            onClose={() => setSelected(undefined)}
            onSaved={(saved) => onEvent({ id: '', type: 'local', data: { ...saved, sku: selected.sku } })}
          />
        ) : null}
        {transferFor ? (
          <TransferForm
            sku={transferFor}
            locations={locations ?? []}
            onClose={() => setTransferFor(undefined)}
            onCreated={() => setTransferFor(undefined)}
          />
        ) : null}
      </Suspense>
    </Space>
  );
}

function kindRank(location: Location | undefined): number {
  return location?.kind === 'warehouse' ? 0 : location?.kind === 'store' ? 1 : 2;
}

function omit<T>(record: Record<string, T>, key: string): Record<string, T> {
  const { [key]: _, ...rest } = record;
  return rest;
}
