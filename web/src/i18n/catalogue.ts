import { useMemo } from 'react';
import { useI18n } from './I18nProvider';
import type { Locale, MessageKey } from './messages';

/** Texts of one area of the console in both languages; zh-CN is the source and English must have every key. */
export type Catalogue<K extends string> = Record<Locale, Record<K, string>>;

export type CatalogueTranslate<K extends string> = (
  key: K | MessageKey,
  params?: Record<string, string | number>,
) => string;

/**
 * The translator of an area whose texts are a catalogue of its own, loaded with its pages only (so that the first
 * screens do not carry them). Keys of the main catalogue work too.
 */
export function useCatalogueI18n<K extends string>(
  catalogue: Catalogue<K>,
): { t: CatalogueTranslate<K>; locale: Locale } {
  const { t: base, locale } = useI18n();
  return useMemo(() => {
    const own = catalogue[locale] as Record<string, string>;
    const source = catalogue['zh-CN'] as Record<string, string>;
    const t: CatalogueTranslate<K> = (key, params) => {
      const text = own[key] ?? source[key];
      if (text === undefined) return base(key as MessageKey, params);
      return params
        ? text.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`))
        : text;
    };
    return { t, locale };
  }, [base, catalogue, locale]);
}
