import { Select } from 'antd';
import { brandDay, shiftDay } from '../brandTime';
import { useCatalogueI18n } from '../i18n/catalogue';
import { shopMessages } from './shop.messages';

/** A week of the days she can book is shown. */
const DAYS_SHOWN = 7;

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
  const from = bookable?.from ?? shiftDay(brandDay(), sameDay ? 0 : 1);
  const label = new Intl.DateTimeFormat(locale === 'zh-CN' ? 'zh-CN' : 'en-GB', {
    timeZone: 'UTC',
    month: 'short',
    day: 'numeric',
    weekday: 'short',
  });
  const days = Array.from({ length: DAYS_SHOWN }, (_, i) => shiftDay(from, i)).filter(
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
