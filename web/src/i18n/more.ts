import { useMemo } from 'react';
import { useI18n } from './I18nProvider';
import type { Locale, MessageKey } from './messages';
import { type MoreKey, moreMessages } from './moreMessages';

export type MoreTranslate = (key: MessageKey | MoreKey, params?: Record<string, string | number>) => string;

/**
 * The translator of the loyalty, experience and after-sales screens: their texts are a catalogue of their own
 * (moreMessages), loaded with those pages only, so that the first screens (inventory board, store stock) do not
 * carry them. Keys of the main catalogue work too.
 */
export function useMoreI18n(): { t: MoreTranslate; locale: Locale } {
  const { t: base, locale } = useI18n();
  return useMemo(() => {
    const catalogue = moreMessages[locale];
    const t: MoreTranslate = (key, params) => {
      const text =
        (catalogue as Record<string, string>)[key] ?? (moreMessages['zh-CN'] as Record<string, string>)[key];
      if (text === undefined) return base(key as MessageKey, params);
      return params
        ? text.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`))
        : text;
    };
    return { t, locale };
  }, [base, locale]);
}
