import { Typography } from 'antd';
import type { Fulfillment } from '../api/orders';
import { formatDateTime } from '../format';
import { useI18n } from '../i18n/I18nProvider';

/** The code the customer shows at the counter, large enough to read across it. */
export function PickupCode({ f, storeName }: { f: Fulfillment; storeName?: string | undefined }) {
  const { t, locale } = useI18n();
  if (!f.pickupCode || f.status !== 'ready_for_pickup') return null;
  return (
    <div
      style={{
        background: '#fff7e6',
        border: '1px solid #ffd591',
        borderRadius: 8,
        padding: 16,
        textAlign: 'center',
      }}
    >
      <div style={{ color: '#8c8c8c' }}>{t('m.showThisCode')}</div>
      <div
        data-testid="m-pickup-code"
        data-order={f.orderId}
        style={{
          fontSize: 44,
          fontWeight: 700,
          letterSpacing: 10,
          fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace',
          color: '#1f4e79',
        }}
      >
        {f.pickupCode}
      </div>
      <Typography.Text>
        {storeName ?? f.location}
        {f.pickupDeadline
          ? ` · ${t('m.collectBy', { time: formatDateTime(f.pickupDeadline, locale, false) })}`
          : ''}
      </Typography.Text>
    </div>
  );
}
