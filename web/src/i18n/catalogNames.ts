import { useCallback, useMemo } from 'react';
import { type Dictionary, type Names, useDictionary, useTierList } from '../api/dictionary';
import { useI18n } from './I18nProvider';
import type { Locale } from './messages';

// Codes the brand names (categories, attributes and their values from the catalog's dictionary; tiers) in the
// reader's language. A code without a name shows as itself: a screen never hides one or fails for a name.

/** The name in the reader's language, else the other's, else undefined. */
export function nameIn(names: Names | null | undefined, locale: Locale): string | undefined {
  if (!names) return undefined;
  return names[locale] || names['zh-CN'] || names['en-US'] || undefined;
}

export interface CatalogNames {
  /** A category's name (粉底), or its code when the dictionary has none. */
  category(code: string): string;
  /** An attribute's name (色号), or its key. */
  attribute(code: string): string;
  /** An attribute value's name (自然 for finish=natural), or the value as the SKU carries it (N05). */
  value(attribute: string, value: string): string;
  /** `色号：N05 · 妆效：自然`: a SKU's attributes in the dictionary's order. */
  attributes(
    attributes: Record<string, unknown> | null | undefined,
  ): { key: string; label: string; value: string }[];
}

/** Names from the brand's dictionary in the active language; every code without an entry shows as itself. */
export function catalogNames(dict: Dictionary | undefined, locale: Locale): CatalogNames {
  const categories = new Map((dict?.categories ?? []).map((c) => [c.code, c]));
  const attributes = new Map((dict?.attributes ?? []).map((a) => [a.code, a]));
  const order = new Map((dict?.attributes ?? []).map((a, i) => [a.code, i]));
  const names: CatalogNames = {
    category: (code) => nameIn(categories.get(code)?.names, locale) ?? code,
    attribute: (code) => nameIn(attributes.get(code)?.names, locale) ?? code,
    value: (attribute, value) =>
      nameIn(attributes.get(attribute)?.values.find((v) => v.code === value)?.names, locale) ?? value,
    attributes: (values) =>
      Object.entries(values ?? {})
        .map(([key, raw]) => {
          const text = typeof raw === 'object' ? JSON.stringify(raw) : String(raw);
          return { key, label: names.attribute(key), value: names.value(key, text) };
        })
        .sort((a, b) => (order.get(a.key) ?? 1e6) - (order.get(b.key) ?? 1e6)),
  };
  return names;
}

/** The catalog's names in the reader's language (codes until the dictionary has loaded). */
export function useCatalogNames(): CatalogNames {
  const { locale } = useI18n();
  const dict = useDictionary();
  return useMemo(() => catalogNames(dict, locale), [dict, locale]);
}

/** A tier's name for its code (gold → 金卡会员), the code while the tiers load or for a tier no longer defined. */
export function useTierName(): (code: string) => string {
  const list = useTierList();
  return useCallback((code: string) => list?.find((tier) => tier.code === code)?.name ?? code, [list]);
}
