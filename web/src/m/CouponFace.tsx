import { couponValue } from '../api/loyalty';
import { formatFen } from '../format';
import { useMoreI18n } from '../i18n/more';

/** What a coupon takes off, large, and its minimum spend below: the left side of every coupon card she sees. */
export function CouponFace({
  coupon,
}: {
  coupon: { kind: string; value: number; maxDiscount?: number | null; minSpend: number };
}) {
  const { t } = useMoreI18n();
  return (
    <div>
      <div style={{ fontSize: 22, color: '#cf1322', fontWeight: 600 }}>{couponValue(coupon, formatFen)}</div>
      <div style={{ fontSize: 12, color: '#8c8c8c' }}>
        {coupon.minSpend
          ? t('coupon.minSpendShort', { amount: formatFen(coupon.minSpend) })
          : t('mPoints.noMinimum')}
      </div>
    </div>
  );
}
