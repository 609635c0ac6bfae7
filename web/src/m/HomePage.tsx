import { HeartOutlined, RightOutlined, ShoppingCartOutlined } from '@ant-design/icons';
import { Badge, Button, Card, Input, List, Space, Tag, Typography } from 'antd';
import { useNavigate } from 'react-router';
import { useDictionary } from '../api/dictionary';
import { useApi } from '../api/hooks';
import { recommendationsFor } from '../api/loyalty';
import { getMember, memberLabel } from '../api/members';
import { cartOf } from '../api/orders';
import { useAuth } from '../auth/AuthProvider';
import { formatFen } from '../format';
import { useCatalogNames } from '../i18n/catalogNames';
import { useCatalogueI18n } from '../i18n/catalogue';
import type { MessageKey } from '../i18n/messages';
import { MobileHeader } from './MobileHeader';
import { shopMessages } from './shop.messages';

const LINKS: { path: string; label: MessageKey; testId: string }[] = [
  { path: '/m/shop', label: 'm.shop', testId: 'm-link-shop' },
  { path: '/m/code', label: 'm.memberCode', testId: 'm-link-code' },
  { path: '/m/orders', label: 'm.myOrders', testId: 'm-link-orders' },
  { path: '/m/points', label: 'm.myPoints', testId: 'm-link-points' },
  { path: '/m/coupons', label: 'm.couponCentre', testId: 'm-link-coupons' },
  { path: '/m/tried', label: 'm.tried', testId: 'm-link-tried' },
  { path: '/m/appointments', label: 'm.book', testId: 'm-link-appointments' },
];

/** Only what she tried in a store or saved: the home page's own shelf (best sellers live in the shop). */
const HERS = new Set(['tried_in_store', 'favourited']);

/**
 * Her home in the mini-program: search and the brand's categories, what she tried in store or saved (each opening
 * its product page), her cart and favourites, and the rest of her account (member code, orders, points, coupons,
 * bookings).
 */
export default function HomePage() {
  const { t } = useCatalogueI18n(shopMessages);
  const names = useCatalogNames();
  const dictionary = useDictionary();
  const { session, logout } = useAuth();
  const navigate = useNavigate();
  // Her own record, in full: the page greets her by name or phone, not by an id.
  const memberId = session?.memberId;
  const customer = session?.role === 'customer' ? memberId : undefined;
  const me = useApi(memberId ? (signal) => getMember(memberId, signal) : null, [memberId]);
  const cart = useApi(customer ? (signal) => cartOf(customer, signal) : null, [customer]);
  const hers = useApi(
    customer
      ? async (signal) =>
          (await recommendationsFor(customer, { channel: 'mini_program', limit: 20 }, signal)).items.filter(
            (r) => HERS.has(r.reason),
          )
      : null,
    [customer],
  );
  const categories = (dictionary?.categories ?? []).filter((c) => c.names !== null);
  const name = me.data
    ? memberLabel(me.data)
    : memberId
      ? ''
      : (session?.displayName ?? session?.username ?? '');

  return (
    <div style={{ paddingBottom: 24 }}>
      <MobileHeader
        title={t('m.me')}
        extra={
          customer ? (
            <Badge count={cart.data?.units ?? 0} size="small">
              <ShoppingCartOutlined
                style={{ fontSize: 20 }}
                onClick={() => navigate('/m/cart')}
                aria-label={t('cart.open')}
                data-testid="m-home-cart"
              />
            </Badge>
          ) : null
        }
      />
      <Card bordered={false} style={{ margin: 12 }}>
        <div style={{ fontSize: 16, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
          {name ? t('home.hello') : null}
          <span data-testid="m-me-name">{name}</span>
        </div>
        <Input.Search
          allowClear
          placeholder={t('shop.searchHint')}
          onSearch={(value) =>
            navigate(value.trim() ? `/m/shop?q=${encodeURIComponent(value.trim())}` : '/m/shop')
          }
          style={{ marginTop: 12 }}
          data-testid="m-home-search"
        />
        {categories.length > 0 ? (
          <Space size={[6, 8]} wrap style={{ marginTop: 12 }} data-testid="m-home-categories">
            {categories.map((c) => (
              <Tag
                key={c.code}
                style={{ cursor: 'pointer', padding: '4px 10px' }}
                onClick={() => navigate(`/m/shop?category=${encodeURIComponent(c.code)}`)}
                data-testid={`m-home-category-${c.code}`}
              >
                {names.category(c.code)}
              </Tag>
            ))}
          </Space>
        ) : null}
      </Card>
      {customer ? (
        <Card
          size="small"
          style={{ margin: 12 }}
          title={t('home.triedSaved')}
          extra={
            <Space>
              <Button
                size="small"
                type="link"
                icon={<HeartOutlined />}
                onClick={() => navigate('/m/favourites')}
                data-testid="m-link-favourites"
              >
                {t('fav.title')}
              </Button>
            </Space>
          }
        >
          {(hers.data ?? []).length === 0 ? (
            <Typography.Text type="secondary">{t('home.triedSavedNone')}</Typography.Text>
          ) : (
            <div style={{ display: 'flex', gap: 8, overflowX: 'auto' }} data-testid="m-home-hers">
              {(hers.data ?? []).slice(0, 8).map((r) => (
                <Card
                  key={r.sku}
                  size="small"
                  hoverable
                  style={{ minWidth: 132, maxWidth: 132 }}
                  onClick={() =>
                    navigate(
                      `/m/sku/${encodeURIComponent(r.sku)}${r.store ? `?store=${encodeURIComponent(r.store)}` : ''}`,
                    )
                  }
                  data-testid={`m-home-item-${r.sku}`}
                >
                  <div style={{ fontSize: 13, height: 38, overflow: 'hidden' }}>{r.name}</div>
                  <Tag color={r.reason === 'tried_in_store' ? 'magenta' : 'gold'} style={{ marginTop: 4 }}>
                    {t(r.reason === 'tried_in_store' ? 'home.tried' : 'home.favourited')}
                  </Tag>
                  <div style={{ fontWeight: 600, marginTop: 4 }}>{formatFen(r.price)}</div>
                </Card>
              ))}
            </div>
          )}
        </Card>
      ) : null}
      <Card size="small" style={{ margin: 12 }}>
        <List>
          {LINKS.map((link) => (
            <List.Item
              key={link.path}
              onClick={() => navigate(link.path)}
              style={{ cursor: 'pointer' }}
              extra={<RightOutlined style={{ color: '#bfbfbf' }} />}
              data-testid={link.testId}
            >
              {t(link.label)}
            </List.Item>
          ))}
        </List>
      </Card>
      <div style={{ padding: 12 }}>
        <Button
          block
          onClick={() => {
            logout();
            navigate('/m/login', { replace: true });
          }}
        >
          {t('common.logout')}
        </Button>
      </div>
    </div>
  );
}
