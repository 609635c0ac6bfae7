import { Select } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { searchSkus } from '../api/catalog';
import { messageOf } from '../api/client';
import type { Sku } from '../api/types';
import { formatFen } from '../format';
import { useT } from '../i18n/I18nProvider';

/**
 * One SKU, found by typing part of its code or name, or by scanning its barcode: a scanner types the digits and
 * Enter, and an exact barcode match is taken at once (the SKU search by barcode).
 */
export function SkuScanField({
  value,
  onChange,
  testId = 'sku-scan',
  placeholder,
}: {
  value: Sku | undefined;
  onChange(sku: Sku | undefined): void;
  testId?: string;
  placeholder?: string;
}) {
  const t = useT();
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<Sku[]>([]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string>();
  const latest = useRef(0);
  // Enter on a barcode reaches the list too, which takes the option it shows for the same digits: while the
  // barcode is being looked up, that option is left to the lookup — one scan gives one SKU.
  const scanning = useRef<string>(undefined);

  useEffect(() => {
    const ticket = ++latest.current;
    if (!query.trim()) {
      setFound([]);
      return;
    }
    setLoading(true);
    const timer = setTimeout(async () => {
      try {
        const page = await searchSkus({ q: query.trim(), limit: 20 });
        if (ticket === latest.current) {
          setFound(page.items);
          setError(undefined);
        }
      } catch (e) {
        if (ticket === latest.current) setError(messageOf(e));
      } finally {
        if (ticket === latest.current) setLoading(false);
      }
    }, 200);
    return () => clearTimeout(timer);
  }, [query]);

  const scan = async () => {
    const text = query.trim();
    if (!/^\d{6,}$/.test(text)) return;
    scanning.current = text;
    try {
      const page = await searchSkus({ barcode: text, limit: 1 });
      const sku = page.items[0];
      if (sku) {
        onChange(sku);
        setQuery('');
      }
    } catch (e) {
      setError(messageOf(e));
    } finally {
      scanning.current = undefined;
    }
  };

  const options = [...(value && !found.some((s) => s.code === value.code) ? [value] : []), ...found];
  return (
    <Select
      showSearch
      allowClear
      size="large"
      data-testid={testId}
      style={{ width: '100%', maxWidth: 560 }}
      placeholder={placeholder ?? t('inventory.searchSkuPlaceholder')}
      filterOption={false}
      searchValue={query}
      onSearch={setQuery}
      onInputKeyDown={(e) => {
        if (e.key === 'Enter') void scan();
      }}
      loading={loading}
      value={value?.code ?? null}
      options={options.map((s) => ({
        value: s.code,
        label: `${s.code} · ${s.name} · ${formatFen(s.price)}`,
      }))}
      notFoundContent={error ? <span style={{ color: '#cf1322' }}>{error}</span> : t('common.noMatch')}
      onChange={(code: string | undefined) => {
        const sku = code ? options.find((s) => s.code === code) : undefined;
        if (sku && scanning.current !== undefined && sku.barcode === scanning.current) return;
        onChange(sku);
        setQuery('');
      }}
    />
  );
}
