import { Segmented } from 'antd';
import { useI18n } from '../i18n/I18nProvider';
import type { Locale } from '../i18n/messages';

export function LocaleSwitch({ size = 'small' }: { size?: 'small' | 'middle' }) {
  const { locale, setLocale } = useI18n();
  return (
    <Segmented<Locale>
      data-testid="locale-switch"
      size={size}
      value={locale}
      onChange={setLocale}
      options={[
        { label: '中文', value: 'zh-CN' },
        { label: 'EN', value: 'en-US' },
      ]}
    />
  );
}
