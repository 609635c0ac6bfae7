import { RightOutlined } from '@ant-design/icons';
import { Button, Card, List } from 'antd';
import { useNavigate } from 'react-router';
import { useApi } from '../api/hooks';
import { getMember, memberLabel } from '../api/members';
import { useAuth } from '../auth/AuthProvider';
import { useT } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/messages';
import { MobileHeader } from './MobileHeader';

const LINKS: { path: string; label: MessageKey; testId: string }[] = [
  { path: '/m/shop', label: 'm.shop', testId: 'm-link-shop' },
  { path: '/m/code', label: 'm.memberCode', testId: 'm-link-code' },
  { path: '/m/orders', label: 'm.myOrders', testId: 'm-link-orders' },
  { path: '/m/points', label: 'm.myPoints', testId: 'm-link-points' },
  { path: '/m/coupons', label: 'm.couponCentre', testId: 'm-link-coupons' },
  { path: '/m/tried', label: 'm.tried', testId: 'm-link-tried' },
  { path: '/m/appointments', label: 'm.book', testId: 'm-link-appointments' },
];

/** "Me": orders with pickup codes, points and coupons, what I tried in store, service bookings. */
export default function MyPage() {
  const t = useT();
  const { session, logout } = useAuth();
  const navigate = useNavigate();
  // Her own record, in full: the page greets her by name or phone, not by an id.
  const memberId = session?.memberId;
  const me = useApi(memberId ? (signal) => getMember(memberId, signal) : null, [memberId]);
  return (
    <>
      <MobileHeader title={t('m.me')} />
      <Card bordered={false} style={{ margin: 12 }}>
        <div
          data-testid="m-me-name"
          style={{ fontSize: 16, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}
        >
          {me.data ? memberLabel(me.data) : memberId ? '' : (session?.displayName ?? session?.username)}
        </div>
      </Card>
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
    </>
  );
}
