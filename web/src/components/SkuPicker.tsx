import { Select, Space } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { searchProducts, searchSkus } from '../api/catalog';
import { messageOf } from '../api/client';
import { formatFen } from '../format';
import { useCatalogNames } from '../i18n/catalogNames';
import { useT } from '../i18n/I18nProvider';

export type Pick = { kind: 'sku'; code: string } | { kind: 'product'; code: string };

interface Option {
  value: string;
  label: string;
}

/** Search SKUs or products by part of their code or name as the person types. */
export function SkuPicker({
  onPick,
  initialKind = 'sku',
  current,
}: {
  onPick(pick: Pick): void;
  initialKind?: Pick['kind'];
  /** What the page shows now (`code · name`): the box says it instead of its search hint. */
  current?: string | undefined;
}) {
  const t = useT();
  const names = useCatalogNames();
  const category = useRef(names.category);
  category.current = names.category;
  const [kind, setKind] = useState<Pick['kind']>(initialKind);
  const [query, setQuery] = useState('');
  const [options, setOptions] = useState<Option[]>([]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string>();
  const latest = useRef(0);

  useEffect(() => {
    const ticket = ++latest.current;
    setLoading(true);
    const timer = setTimeout(async () => {
      try {
        const found: Option[] =
          kind === 'sku'
            ? (await searchSkus({ q: query, limit: 20 })).items.map((s) => ({
                value: s.code,
                label: `${s.code} · ${s.name} · ${formatFen(s.price)}`,
              }))
            : (await searchProducts({ q: query, limit: 20 })).items.map((p) => ({
                value: p.code,
                label: `${p.code} · ${p.name} · ${category.current(p.category)}`,
              }));
        if (ticket === latest.current) {
          setOptions(found);
          setError(undefined);
        }
      } catch (e) {
        if (ticket === latest.current) {
          setOptions([]);
          setError(messageOf(e));
        }
      } finally {
        if (ticket === latest.current) setLoading(false);
      }
    }, 250);
    return () => clearTimeout(timer);
  }, [kind, query]);

  return (
    <Space.Compact style={{ width: '100%', maxWidth: 640 }}>
      <Select
        value={kind}
        style={{ width: 120 }}
        onChange={(value) => setKind(value)}
        options={[
          { value: 'sku', label: t('inventory.pickSku') },
          { value: 'product', label: t('inventory.pickProduct') },
        ]}
      />
      <Select
        showSearch
        data-testid="sku-search"
        style={{ flex: 1 }}
        placeholder={
          kind === 'sku' ? t('inventory.searchSkuPlaceholder') : t('inventory.searchProductPlaceholder')
        }
        filterOption={false}
        onSearch={setQuery}
        loading={loading}
        options={options}
        notFoundContent={error ? <span style={{ color: '#cf1322' }}>{error}</span> : t('common.noMatch')}
        onChange={(code: string) => onPick({ kind, code })}
        value={current ?? null}
      />
    </Space.Compact>
  );
}
