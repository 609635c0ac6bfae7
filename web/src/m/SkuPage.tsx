import { EnvironmentOutlined, ShopOutlined, ShoppingCartOutlined } from '@ant-design/icons';
import { App, Badge, Button, Card, List, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useLocation, useNavigate, useParams, useSearchParams } from 'react-router';
import { getLocation, getProduct, getSku } from '../api/catalog';
import { ApiError, messageOf } from '../api/client';
import { useApi } from '../api/hooks';
import { type NearbyStock, nearbyStock, skuStock } from '../api/inventory';
import { cartOf, setCartLine } from '../api/orders';
import { useAuth } from '../auth/AuthProvider';
import { ErrorState, Loading } from '../components/States';
import { formatFen, formatKm } from '../format';
import { useCatalogNames } from '../i18n/catalogNames';
import { useCatalogueI18n } from '../i18n/catalogue';
import { BottomBar } from './BottomBar';
import { FavouriteButton } from './FavouriteButton';
import { MobileHeader } from './MobileHeader';
import { MyStoreStock } from './MyStoreStock';
import { OrderSheet } from './OrderSheet';
import { shopMessages } from './shop.messages';

type Nearby =
  | { kind: 'loading' }
  | { kind: 'ready'; items: NearbyStock[] }
  | { kind: 'unavailable'; reason: string }
  | { kind: 'error'; error: unknown };

function browserPosition(): Promise<{ lat: number; lng: number }> {
  return new Promise((resolve, reject) => {
    if (!navigator.geolocation) return reject(new Error('no geolocation'));
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ lat: p.coords.latitude, lng: p.coords.longitude }),
      reject,
      { timeout: 5000, maximumAge: 600_000 },
    );
  });
}

/**
 * The product page, and what a shelf QR code opens: `/m/sku/:code?store=SH01`. Every SKU of the product (shade,
 * size) to choose from; price, stock in this store, in stores nearby (around this store's position) and online;
 * she saves it, puts it in her cart, or orders it at once for pickup, delivery or same-day.
 */
export default function SkuPage() {
  const { t } = useCatalogueI18n(shopMessages);
  const { message } = App.useApp();
  const names = useCatalogNames();
  const { code = '' } = useParams();
  const [params] = useSearchParams();
  const storeCode = params.get('store');
  const sku = useApi((signal) => getSku(code, signal), [code]);
  const stock = useApi((signal) => skuStock(code, {}, signal), [code]);
  const online = useApi((signal) => skuStock(code, { channel: 'online' }, signal), [code]);
  const store = useApi(storeCode ? (signal) => getLocation(storeCode, signal) : null, [storeCode]);
  const [nearby, setNearby] = useState<Nearby>({ kind: 'loading' });
  const { session } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [ordering, setOrdering] = useState(false);
  const [adding, setAdding] = useState(false);
  const memberId = session?.role === 'customer' ? session.memberId : undefined;
  const product = useApi(sku.data ? (signal) => getProduct(sku.data!.productCode, signal) : null, [
    sku.data?.productCode,
  ]);
  const cart = useApi(memberId ? (signal) => cartOf(memberId, signal) : null, [memberId]);
  const variants = (product.data?.skus ?? []).filter((s) => s.active);
  const storeQuery = storeCode ? `?store=${encodeURIComponent(storeCode)}` : '';

  const addToCart = async () => {
    if (!memberId || !sku.data) return;
    setAdding(true);
    try {
      const inCart = cart.data?.lines.find((l) => l.sku === sku.data!.code)?.quantity ?? 0;
      await setCartLine(memberId, sku.data.code, Math.min(inCart + 1, 99), storeCode ?? undefined);
      message.success(t('cart.added'));
      cart.reload();
    } catch (e) {
      message.error(messageOf(e));
    } finally {
      setAdding(false);
    }
  };

  // Nearby stores around the store the customer stands in; its position, or else the phone's.
  useEffect(() => {
    if (store.loading) return;
    let live = true;
    (async () => {
      let point: { lat: number; lng: number } | undefined;
      if (store.data) point = { lat: store.data.lat, lng: store.data.lng };
      else point = await browserPosition().catch(() => undefined);
      if (!point) {
        return {
          kind: 'unavailable' as const,
          reason:
            store.error instanceof ApiError
              ? `${t('m.noPosition')} (${store.error.detail})`
              : t('m.noPosition'),
        };
      }
      const answer = await nearbyStock(code, { lat: point.lat, lng: point.lng, radiusKm: 30 });
      return { kind: 'ready' as const, items: answer.items.filter((i) => i.location !== storeCode) };
    })()
      .then((n) => live && setNearby(n))
      .catch((error: unknown) => live && setNearby({ kind: 'error', error }));
    return () => {
      live = false;
    };
  }, [store.loading, store.data, store.error, code, storeCode, t]);

  if (sku.loading) return <Loading />;
  if (sku.error || !sku.data) {
    return (
      <>
        <MobileHeader title={code} />
        <ErrorState error={sku.error} onRetry={sku.reload} />
      </>
    );
  }
  const here = storeCode ? stock.data?.levels.find((l) => l.location === storeCode) : undefined;
  const hereAvailable = here?.available ?? 0;

  return (
    <div style={{ paddingBottom: 96 }}>
      <MobileHeader title={store.data?.name ?? storeCode ?? 'OmniLoop'} />
      <Card bordered={false} style={{ borderRadius: 0 }}>
        <Typography.Title level={4} style={{ marginTop: 0 }} data-testid="m-sku-name">
          {sku.data.name}
        </Typography.Title>
        <Space size={4} wrap>
          <Tag>{sku.data.code}</Tag>
          {names.attributes(sku.data.attributes).map((a) => (
            <Tag key={a.key} data-testid={`m-attr-${a.key}`}>{`${a.label}: ${a.value}`}</Tag>
          ))}
        </Space>
        <Space style={{ marginTop: 12, width: '100%', justifyContent: 'space-between' }}>
          <div style={{ color: '#c8102e', fontSize: 28, fontWeight: 600 }} data-testid="m-price">
            {formatFen(sku.data.price)}
          </div>
          {session?.role === 'customer' && session.memberId ? (
            <FavouriteButton memberId={session.memberId} sku={sku.data.code} store={storeCode ?? undefined} />
          ) : null}
        </Space>
        {variants.length > 1 ? (
          <div style={{ marginTop: 12 }}>
            <Typography.Text type="secondary">{t('sku.variants')}</Typography.Text>
            <Space size={[6, 6]} wrap style={{ marginTop: 6, display: 'flex' }} data-testid="m-variants">
              {variants.map((v) => (
                <Tag.CheckableTag
                  key={v.code}
                  checked={v.code === sku.data!.code}
                  onChange={() =>
                    navigate(`/m/sku/${encodeURIComponent(v.code)}${storeQuery}`, { replace: true })
                  }
                  style={{ border: '1px solid #d9d9d9', padding: '4px 10px' }}
                  data-testid={`m-variant-${v.code}`}
                >
                  {names
                    .attributes(v.attributes)
                    .map((a) => a.value)
                    .join(' · ') || v.name}
                </Tag.CheckableTag>
              ))}
            </Space>
          </div>
        ) : null}
      </Card>
      <Card
        size="small"
        style={{ margin: 12 }}
        title={
          <>
            <ShopOutlined /> {t('m.inThisStore')}
          </>
        }
      >
        {stock.error ? (
          <ErrorState error={stock.error} onRetry={stock.reload} />
        ) : stock.loading ? (
          <Loading />
        ) : !storeCode ? (
          <MyStoreStock levels={stock.data?.levels ?? []} />
        ) : (
          <Space direction="vertical" size={0}>
            <Typography.Text style={{ fontSize: 20 }} strong data-testid="m-store-available">
              {hereAvailable > 0 ? t('m.availableN', { n: hereAvailable }) : t('m.soldOutHere')}
            </Typography.Text>
            <Typography.Text type="secondary">{storeCode}</Typography.Text>
          </Space>
        )}
      </Card>
      <Card
        size="small"
        style={{ margin: 12 }}
        title={
          <>
            <EnvironmentOutlined /> {t('m.nearby')}
          </>
        }
      >
        {nearby.kind === 'loading' ? (
          <Loading />
        ) : nearby.kind === 'error' ? (
          <ErrorState error={nearby.error} />
        ) : nearby.kind === 'unavailable' ? (
          <Typography.Text type="secondary">{nearby.reason}</Typography.Text>
        ) : nearby.items.length === 0 ? (
          <Typography.Text type="secondary">{t('m.noneNearby')}</Typography.Text>
        ) : (
          <List
            size="small"
            dataSource={nearby.items}
            renderItem={(item) => (
              <List.Item
                extra={
                  <Tag color={item.available > 0 ? 'green' : 'default'}>
                    {t('m.availableN', { n: item.available })}
                  </Tag>
                }
              >
                <List.Item.Meta
                  title={item.name ?? item.location}
                  description={`${formatKm(item.distanceKm)}${item.pickup ? ` · ${t('location.pickup')}` : ''}`}
                />
              </List.Item>
            )}
          />
        )}
      </Card>
      <Card size="small" style={{ margin: 12 }} title={t('m.online')}>
        {online.error ? (
          <ErrorState error={online.error} onRetry={online.reload} />
        ) : online.loading ? (
          <Loading />
        ) : (
          <Typography.Text strong data-testid="m-online-available">
            {(online.data?.available ?? 0) > 0
              ? t('m.availableN', { n: online.data?.available ?? 0 })
              : t('m.soldOutOnline')}
          </Typography.Text>
        )}
      </Card>
      <BottomBar>
        {session?.role !== 'customer' ? (
          <>
            <Button
              type="primary"
              size="large"
              block
              data-testid="m-order"
              onClick={() =>
                navigate(`/m/login?next=${encodeURIComponent(location.pathname + location.search)}`)
              }
            >
              {t('m.loginToOrder')}
            </Button>
            <div style={{ textAlign: 'center', fontSize: 12, color: '#8c8c8c', marginTop: 4 }}>
              {t('m.staffPreview')}
            </div>
          </>
        ) : (
          <Space.Compact block>
            <Badge count={cart.data?.units ?? 0} size="small" offset={[-8, 4]}>
              <Button
                size="large"
                icon={<ShoppingCartOutlined />}
                onClick={() => navigate('/m/cart')}
                data-testid="m-open-cart"
                aria-label={t('cart.open')}
              />
            </Badge>
            <Button
              size="large"
              style={{ width: '42%' }}
              loading={adding}
              onClick={addToCart}
              data-testid="m-add-to-cart"
            >
              {t('cart.add')}
            </Button>
            <Button
              type="primary"
              size="large"
              style={{ width: '42%' }}
              onClick={() => setOrdering(true)}
              data-testid="m-order"
            >
              {t('cart.buyNow')}
            </Button>
          </Space.Compact>
        )}
      </BottomBar>
      {ordering ? (
        <OrderSheet
          open
          onClose={() => setOrdering(false)}
          lines={[{ sku: sku.data, quantity: 1 }]}
          quantityEditable
          store={store.data}
          availableHere={hereAvailable}
        />
      ) : null}
    </div>
  );
}
