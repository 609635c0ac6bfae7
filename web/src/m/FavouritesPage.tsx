import { RightOutlined, ShoppingCartOutlined } from '@ant-design/icons';
import { App, Button, Card, List, Space, Tag, Typography } from 'antd';
import { Link, useNavigate } from 'react-router';
import { getSku, useLocations } from '../api/catalog';
import { messageOf } from '../api/client';
import { useApi } from '../api/hooks';
import { favouritesOf } from '../api/loyalty';
import { setCartLine } from '../api/orders';
import { useAuth } from '../auth/AuthProvider';
import { EmptyState, ErrorState, Loading } from '../components/States';
import { formatDateTime, formatFen } from '../format';
import { useCatalogNames } from '../i18n/catalogNames';
import { useCatalogueI18n } from '../i18n/catalogue';
import { MobileHeader } from './MobileHeader';
import { shopMessages } from './shop.messages';

/**
 * 我的收藏: what she saved — scanned from a shelf code in a store (where, and when) or saved online — newest first,
 * each with its price now, opening its product page or going straight into her cart.
 */
export default function FavouritesPage() {
  const { t, locale } = useCatalogueI18n(shopMessages);
  const { message } = App.useApp();
  const navigate = useNavigate();
  const names = useCatalogNames();
  const { locations } = useLocations();
  const { session } = useAuth();
  const memberId = session?.role === 'customer' ? session.memberId : undefined;
  const favourites = useApi(
    memberId
      ? async (signal) => {
          const saved = (await favouritesOf(memberId, signal)).items;
          // A handful of SKUs: each read once (the catalogue caches them on the server).
          const skus = await Promise.all(saved.map((f) => getSku(f.sku, signal).catch(() => undefined)));
          return saved.map((f, i) => ({ ...f, details: skus[i] }));
        }
      : null,
    [memberId],
  );
  const storeName = (code: string) => locations?.find((l) => l.code === code)?.name ?? code;

  const addToCart = async (sku: string, store: string | null) => {
    if (!memberId) return;
    try {
      await setCartLine(memberId, sku, 1, store ?? undefined);
      message.success(t('cart.added'));
    } catch (e) {
      message.error(messageOf(e));
    }
  };

  return (
    <div style={{ paddingBottom: 24 }}>
      <MobileHeader title={t('fav.title')} onBack={() => navigate('/m')} />
      {!memberId ? (
        <Card bordered={false} style={{ margin: 12 }}>
          <EmptyState description={t('shop.customersOnly')} />
        </Card>
      ) : favourites.error ? (
        <ErrorState error={favourites.error} onRetry={favourites.reload} />
      ) : !favourites.data ? (
        <Loading />
      ) : favourites.data.length === 0 ? (
        <Card bordered={false} style={{ margin: 12 }}>
          <EmptyState description={t('fav.none')} />
        </Card>
      ) : (
        <List
          style={{ margin: 12 }}
          dataSource={favourites.data}
          data-testid="m-favourites"
          renderItem={(f) => (
            <Card key={f.id} size="small" style={{ marginBottom: 12 }} data-testid={`m-favourite-${f.sku}`}>
              <Space style={{ width: '100%', justifyContent: 'space-between' }} align="start">
                <Link
                  to={`/m/sku/${encodeURIComponent(f.sku)}${f.store ? `?store=${encodeURIComponent(f.store)}` : ''}`}
                  style={{ color: 'inherit' }}
                >
                  <Typography.Text strong>{f.details?.name ?? f.sku}</Typography.Text>
                  <div>
                    {names.attributes(f.details?.attributes ?? {}).map((a) => (
                      <Tag key={a.key}>{`${a.label}: ${a.value}`}</Tag>
                    ))}
                  </div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {f.store ? t('fav.scannedAt', { store: storeName(f.store) }) : t('fav.savedOnline')} ·{' '}
                    {formatDateTime(f.createdAt, locale, false)}
                  </Typography.Text>
                </Link>
                <Space direction="vertical" align="end">
                  {f.details ? <strong>{formatFen(f.details.price)}</strong> : null}
                  {f.details?.active ? (
                    <Button
                      size="small"
                      icon={<ShoppingCartOutlined />}
                      onClick={() => addToCart(f.sku, f.store)}
                      data-testid={`m-favourite-cart-${f.sku}`}
                      aria-label={t('cart.add')}
                    />
                  ) : (
                    <RightOutlined style={{ color: '#bfbfbf' }} />
                  )}
                </Space>
              </Space>
            </Card>
          )}
        />
      )}
    </div>
  );
}
