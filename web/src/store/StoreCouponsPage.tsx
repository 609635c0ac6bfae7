import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Input, InputNumber, Row, Space, Typography } from 'antd';
import { useState } from 'react';
import { type Coupon, couponValue, redeemAtCounter } from '../api/loyalty';
import type { Sku } from '../api/types';
import { SkuScanField } from '../components/SkuScanField';
import { ErrorAlert } from '../components/States';
import { formatDateTime, formatFen } from '../format';
import { useMoreI18n } from '../i18n/more';
import { IssueCouponForm } from '../loyalty/IssueCouponForm';
import { useWorkbenchStore } from './tasks';

interface BasketLine {
  sku: Sku | undefined;
  quantity: number;
}

/**
 * Counter redemption (核销): the coupon's code and, for item, minimum-spend and percent coupons, the basket. The
 * server applies the same rules as in an order and lets exactly one channel win a coupon.
 */
function RedeemCard({ store }: { store: string }) {
  const { t, locale } = useMoreI18n();
  const [code, setCode] = useState('');
  const [basket, setBasket] = useState<BasketLine[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [redeemed, setRedeemed] = useState<Coupon>();

  const lines = basket
    .filter((l) => l.sku && l.quantity > 0)
    .map((l) => ({ sku: l.sku?.code ?? '', quantity: l.quantity, unitPrice: l.sku?.price ?? 0 }));
  const basketTotal = lines.reduce((sum, l) => sum + l.unitPrice * l.quantity, 0);

  const redeem = async () => {
    if (!code.trim()) return;
    setBusy(true);
    setError(undefined);
    setRedeemed(undefined);
    try {
      setRedeemed(await redeemAtCounter(code.trim().toUpperCase(), store, lines));
      setCode('');
      setBasket([]);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title={t('coupon.redeemTitle')}>
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <Input
          size="large"
          value={code}
          onChange={(e) => setCode(e.target.value)}
          onPressEnter={redeem}
          placeholder={t('coupon.codePlaceholder')}
          style={{ maxWidth: 360, fontFamily: 'monospace', letterSpacing: 2 }}
          data-testid="redeem-code"
        />
        <Typography.Text type="secondary">{t('coupon.basketHint')}</Typography.Text>
        {basket.map((line, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: basket rows have no identity until a SKU is chosen
          <Space key={i} wrap>
            <div style={{ width: 380 }}>
              <SkuScanField
                value={line.sku}
                onChange={(sku) => setBasket((all) => all.map((x, j) => (j === i ? { ...x, sku } : x)))}
              />
            </div>
            <InputNumber
              size="large"
              min={1}
              max={10000}
              precision={0}
              value={line.quantity}
              onChange={(v) =>
                setBasket((all) =>
                  all.map((x, j) => (j === i ? { ...x, quantity: typeof v === 'number' ? v : 1 } : x)),
                )
              }
            />
            <Button
              icon={<DeleteOutlined />}
              onClick={() => setBasket((all) => all.filter((_, j) => j !== i))}
            />
          </Space>
        ))}
        <Space wrap>
          <Button
            icon={<PlusOutlined />}
            onClick={() => setBasket((all) => [...all, { sku: undefined, quantity: 1 }])}
          >
            {t('coupon.addBasketLine')}
          </Button>
          {lines.length ? <span>{t('coupon.basketTotal', { amount: formatFen(basketTotal) })}</span> : null}
        </Space>
        <ErrorAlert error={error} />
        <Button
          type="primary"
          size="large"
          disabled={!code.trim()}
          loading={busy}
          onClick={redeem}
          data-testid="redeem-submit"
        >
          {t('coupon.redeem')}
        </Button>
        {redeemed ? (
          <Alert
            type="success"
            showIcon
            data-testid="redeem-done"
            message={t('coupon.redeemed', {
              code: redeemed.code,
              amount: formatFen(redeemed.amount ?? 0),
            })}
            description={`${redeemed.name} · ${couponValue(redeemed, formatFen)} · ${formatDateTime(redeemed.redeemedAt, locale)}`}
          />
        ) : null}
      </Space>
    </Card>
  );
}

/** Coupons at the counter: issue one issuable in store to a member, and redeem one. */
export default function StoreCouponsPage() {
  const { t } = useMoreI18n();
  const store = useWorkbenchStore();
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={12}>
        <Card title={`${t('coupon.issueInStore')} · ${store}`}>
          <IssueCouponForm store={store} />
        </Card>
      </Col>
      <Col xs={24} lg={12}>
        <RedeemCard store={store} />
      </Col>
    </Row>
  );
}
