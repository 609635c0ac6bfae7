import { useCatalogueI18n } from './catalogue';
import type { Locale, MessageKey } from './messages';
import { type MoreKey, moreMessages } from './moreMessages';

export type MoreTranslate = (key: MessageKey | MoreKey, params?: Record<string, string | number>) => string;

/**
 * The translator of the loyalty, experience and after-sales screens: their texts are a catalogue of their own
 * (moreMessages), loaded with those pages only, so that the first screens (inventory board, store stock) do not
 * carry them. Keys of the main catalogue work too.
 */
export function useMoreI18n(): { t: MoreTranslate; locale: Locale } {
  return useCatalogueI18n(moreMessages);
}
