import { Button, InputNumber, Space, Typography } from 'antd';
import { useState } from 'react';
import { formatFen } from '../format';
import { useCatalogueI18n } from '../i18n/catalogue';
import { tillMessages } from './till.messages';

/**
 * Cash at the till: the cashier types what she handed over (yuan, Enter takes it) or taps "exact"; the change to
 * give back shows before it is taken. Too little is refused here and by the server (PAYMENT.CASH_TENDERED_SHORT).
 */
export function TillCashPay({
  due,
  busy,
  onTake,
}: {
  due: number;
  busy: boolean;
  onTake: (tendered: number) => void;
}) {
  const { t } = useCatalogueI18n(tillMessages);
  const [yuan, setYuan] = useState<number | null>(null);
  const tendered = yuan === null ? 0 : Math.round(yuan * 100);
  const enough = tendered >= due;
  const take = () => {
    if (enough && !busy) onTake(tendered);
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space.Compact style={{ width: '100%' }}>
        <InputNumber
          size="large"
          style={{ width: '100%' }}
          min={0}
          max={20_000_000}
          precision={2}
          prefix="¥"
          value={yuan}
          onChange={(v) => setYuan(typeof v === 'number' ? v : null)}
          onPressEnter={take}
          placeholder={t('till.cashTendered')}
          data-testid="till-cash-tendered"
        />
        <Button size="large" onClick={() => setYuan(due / 100)} data-testid="till-cash-exact">
          {t('till.cashExact')}
        </Button>
      </Space.Compact>
      <Typography.Text strong={enough} type={yuan !== null && !enough ? 'danger' : undefined}>
        {yuan === null
          ? t('till.cashHint')
          : enough
            ? t('till.cashChange', { amount: formatFen(tendered - due) })
            : t('till.cashShort', { amount: formatFen(due - tendered) })}
      </Typography.Text>
      <Button
        type="primary"
        size="large"
        block
        disabled={!enough}
        loading={busy}
        onClick={take}
        data-testid="till-cash-take"
      >
        {t('till.cashTake')}
      </Button>
    </Space>
  );
}
