import { Select } from 'antd';
import { BRAND_TIME_ZONE } from '../format';
import { useCatalogueI18n } from '../i18n/catalogue';
import { shopMessages } from './shop.messages';

/** A week of the days she can book is shown. */
const DAYS_SHOWN = 7;

/** Today in the brand's calendar (YYYY-MM-DD), whatever the phone's zone. */
function brandToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: BRAND_TIME_ZONE }).format(new Date());
}

function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/**
 * 送达日期: as soon as possible, or a day she books the delivery for (a gift for a birthday, when she is home) —
 * the order's `fulfillment.scheduledDate`.
 */
export function DeliveryDay({
  sameDay,
  bookable,
  value,
  onChange,
}: {
  sameDay: boolean;
  /** The days the checkout's options say she may book; until they arrive, the same rule counted here. */
  bookable: { from: string; to: string } | null | undefined;
  value: string | undefined;
  onChange(day: string | undefined): void;
}) {
  const { t, locale } = useCatalogueI18n(shopMessages);
  const from = bookable?.from ?? addDays(brandToday(), sameDay ? 0 : 1);
  const label = new Intl.DateTimeFormat(locale === 'zh-CN' ? 'zh-CN' : 'en-GB', {
    timeZone: 'UTC',
    month: 'short',
    day: 'numeric',
    weekday: 'short',
  });
  const days = Array.from({ length: DAYS_SHOWN }, (_, i) => addDays(from, i)).filter(
    (day) => !bookable || day <= bookable.to,
  );
  return (
    <Select
      size="large"
      value={value ?? ''}
      onChange={(day: string) => onChange(day || undefined)}
      options={[
        { value: '', label: t('day.asap') },
        ...days.map((day) => ({ value: day, label: label.format(new Date(`${day}T00:00:00Z`)) })),
      ]}
      data-testid="m-delivery-day"
    />
  );
}
