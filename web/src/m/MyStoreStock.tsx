import { Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useLocations } from '../api/catalog';
import type { StockLevel } from '../api/inventory';
import { useCatalogueI18n } from '../i18n/catalogue';
import { shopMessages } from './shop.messages';

const REMEMBERED = 'omniloop.m.myStore';

function remembered(): string | undefined {
  try {
    return localStorage.getItem(REMEMBERED) ?? undefined;
  } catch {
    return undefined;
  }
}

/**
 * The product page opened from the shop rather than a shelf code: she picks her store (remembered on this phone)
 * to see what it has on the shelf. Only what she sees changes — an order is still attributed to a store only when
 * she scanned its code or collects there.
 */
export function MyStoreStock({ levels }: { levels: StockLevel[] }) {
  const { t } = useCatalogueI18n(shopMessages);
  const { locations } = useLocations();
  const [store, setStore] = useState(remembered);
  const stores = (locations ?? []).filter((l) => l.kind === 'store' && l.active);
  const level = store ? levels.find((l) => l.location === store) : undefined;
  const available = level?.available ?? 0;
  return (
    <Space direction="vertical" size={4} style={{ width: '100%' }}>
      <Select
        value={store}
        placeholder={t('sku.chooseStore')}
        onChange={(code: string) => {
          setStore(code);
          try {
            localStorage.setItem(REMEMBERED, code);
          } catch {
            // A private window keeps no storage: the choice lasts for this page.
          }
        }}
        options={stores.map((l) => ({ value: l.code, label: `${l.name} · ${l.city}` }))}
        showSearch
        optionFilterProp="label"
        style={{ width: '100%' }}
        data-testid="m-my-store"
      />
      {store ? (
        <Typography.Text style={{ fontSize: 20 }} strong data-testid="m-my-store-available">
          {available > 0 ? t('m.availableN', { n: available }) : t('m.soldOutHere')}
        </Typography.Text>
      ) : null}
    </Space>
  );
}
