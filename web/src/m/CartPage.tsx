import { DeleteOutlined } from '@ant-design/icons';
import { App, Button, Card, InputNumber, List, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { getLocation } from '../api/catalog';
import { messageOf } from '../api/client';
import { useApi } from '../api/hooks';
import { type Cart, cartOf, removeCartLine, setCartLine } from '../api/orders';
import { useAuth } from '../auth/AuthProvider';
import { EmptyState, ErrorState, Loading } from '../components/States';
import { formatFen } from '../format';
import { useCatalogNames } from '../i18n/catalogNames';
import { useCatalogueI18n } from '../i18n/catalogue';
import { BottomBar } from './BottomBar';
import { MobileHeader } from './MobileHeader';
import { OrderSheet } from './OrderSheet';
import { shopMessages } from './shop.messages';

/**
 * 购物车: her cart as the server keeps it (the same after a reload, on her other devices, after logging in again).
 * She changes quantities or removes lines; checkout orders the lines on sale, for pickup at a store of her choice,
 * delivery or same-day, with her coupons and points. The order takes them off the cart.
 */
export default function CartPage() {
  const { t } = useCatalogueI18n(shopMessages);
  const { message } = App.useApp();
  const navigate = useNavigate();
  const names = useCatalogNames();
  const { session } = useAuth();
  const memberId = session?.role === 'customer' ? session.memberId : undefined;
  const cart = useApi(memberId ? (signal) => cartOf(memberId, signal) : null, [memberId]);
  const [shown, setShown] = useState<Cart>();
  const [busy, setBusy] = useState<string>();
  const [checkingOut, setCheckingOut] = useState(false);
  const current = shown ?? cart.data;
  // The store she scanned her first item in: the order is attributed to it and its pickup is offered first.
  const scannedIn = current?.lines.find((l) => l.store !== null)?.store ?? null;
  const store = useApi(scannedIn ? (signal) => getLocation(scannedIn, signal) : null, [scannedIn]);

  const change = async (sku: string, quantity: number | null) => {
    if (!memberId) return;
    setBusy(sku);
    try {
      setShown(
        quantity === null ? await removeCartLine(memberId, sku) : await setCartLine(memberId, sku, quantity),
      );
    } catch (e) {
      message.error(messageOf(e));
    } finally {
      setBusy(undefined);
    }
  };

  const onSale = (current?.lines ?? []).filter((l) => l.active);
  return (
    <div style={{ paddingBottom: 96 }}>
      <MobileHeader title={t('cart.title')} onBack={() => navigate('/m')} />
      {!memberId ? (
        <Card bordered={false} style={{ margin: 12 }}>
          <EmptyState description={t('shop.customersOnly')} />
        </Card>
      ) : cart.error ? (
        <ErrorState error={cart.error} onRetry={cart.reload} />
      ) : !current ? (
        <Loading />
      ) : current.lines.length === 0 ? (
        <Card bordered={false} style={{ margin: 12 }}>
          <EmptyState description={t('cart.empty')} />
          <Button block onClick={() => navigate('/m/shop')} data-testid="m-cart-shop">
            {t('m.shop')}
          </Button>
        </Card>
      ) : (
        <List
          style={{ margin: 12 }}
          dataSource={current.lines}
          data-testid="m-cart-lines"
          renderItem={(line) => (
            <Card
              key={line.sku}
              size="small"
              style={{ marginBottom: 12, opacity: line.active ? 1 : 0.6 }}
              data-testid={`m-cart-line-${line.sku}`}
            >
              <Space style={{ width: '100%', justifyContent: 'space-between' }} align="start">
                <Link to={`/m/sku/${encodeURIComponent(line.sku)}`} style={{ color: 'inherit' }}>
                  <Typography.Text strong>{line.name}</Typography.Text>
                  <div>
                    {names.attributes(line.attributes).map((a) => (
                      <Tag key={a.key}>{`${a.label}: ${a.value}`}</Tag>
                    ))}
                  </div>
                  {line.active ? (
                    <span style={{ color: '#c8102e', fontWeight: 600 }}>{formatFen(line.price)}</span>
                  ) : (
                    <Tag color="default">{t('cart.offSale')}</Tag>
                  )}
                </Link>
                <Space direction="vertical" align="end">
                  <InputNumber
                    min={1}
                    max={99}
                    precision={0}
                    value={line.quantity}
                    disabled={!line.active || busy === line.sku}
                    onChange={(v) =>
                      typeof v === 'number' && v >= 1 && v !== line.quantity && change(line.sku, v)
                    }
                    data-testid={`m-cart-quantity-${line.sku}`}
                    style={{ width: 72 }}
                  />
                  <Button
                    size="small"
                    type="text"
                    danger
                    icon={<DeleteOutlined />}
                    loading={busy === line.sku}
                    onClick={() => change(line.sku, null)}
                    data-testid={`m-cart-remove-${line.sku}`}
                  >
                    {t('cart.remove')}
                  </Button>
                </Space>
              </Space>
            </Card>
          )}
        />
      )}
      {current && onSale.length > 0 ? (
        <BottomBar style={{ display: 'flex', alignItems: 'center', gap: 12 }}>
          <div style={{ flex: 1 }}>
            <div style={{ fontSize: 20, fontWeight: 600, color: '#c8102e' }} data-testid="m-cart-total">
              {formatFen(current.totalAmount)}
            </div>
            <Typography.Text type="secondary">{t('cart.units', { n: current.units })}</Typography.Text>
          </div>
          <Button
            type="primary"
            size="large"
            onClick={() => setCheckingOut(true)}
            disabled={scannedIn !== null && store.loading}
            data-testid="m-cart-checkout"
          >
            {t('cart.checkout')}
          </Button>
        </BottomBar>
      ) : null}
      {checkingOut && current ? (
        <OrderSheet
          open
          onClose={() => setCheckingOut(false)}
          lines={onSale.map((l) => ({
            sku: { code: l.sku, name: l.name, price: l.price },
            quantity: l.quantity,
          }))}
          store={store.data}
        />
      ) : null}
    </div>
  );
}
