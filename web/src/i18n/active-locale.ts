import type { Locale } from './messages';

// The language the console shows now, for code outside React's tree (an API error turned into a sentence where
// it is caught). I18nProvider keeps it current.
let current: Locale = 'zh-CN';

export function activeLocale(): Locale {
  return current;
}

export function setActiveLocale(locale: Locale): void {
  current = locale;
}
