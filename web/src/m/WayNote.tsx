import { Typography } from 'antd';
import type { FulfillmentOption } from '../api/orders';
import { formatDateTime, formatKm } from '../format';
import { type CatalogueTranslate, useCatalogueI18n } from '../i18n/catalogue';
import type { MessageKey } from '../i18n/messages';
import { type ShopKey, shopMessages } from './shop.messages';

/** What sourcing says of the way she chose, before she orders: from the shelf or after a transfer, or why not. */
export function WayNote({
  option,
  storeName,
}: {
  option: FulfillmentOption | undefined;
  storeName(code: string): string;
}) {
  const { t, locale } = useCatalogueI18n(shopMessages);
  if (!option) return null;
  if (!option.available) {
    return (
      <Typography.Paragraph type="danger" data-testid="m-way-note" data-available="false">
        {t('way.unavailable')}: {t(`sourcing.${option.reason ?? 'INSUFFICIENT_STOCK'}` as MessageKey)}
      </Typography.Paragraph>
    );
  }
  return (
    <Typography.Paragraph type="secondary" data-testid="m-way-note" data-available="true">
      {noteOf(option, t, locale, storeName)}
    </Typography.Paragraph>
  );
}

function noteOf(
  option: FulfillmentOption,
  t: CatalogueTranslate<ShopKey>,
  locale: string,
  storeName: (code: string) => string,
): string {
  const [first] = option.groups;
  if (option.type === 'pickup') {
    if (!first || first.transfers === 0) return t('way.pickupShelf');
    return first.readyBy
      ? t('way.pickupTransferBy', { time: formatDateTime(first.readyBy, locale, false) })
      : t('way.pickupTransfer');
  }
  if (option.type === 'same_day' && first) {
    return t('way.sameDayFrom', {
      store: storeName(first.location),
      km: first.distanceKm === null ? '' : formatKm(first.distanceKm),
    });
  }
  return option.groups.length > 1 ? t('way.parcels', { n: option.groups.length }) : t('way.oneParcel');
}
