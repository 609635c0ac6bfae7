import { RightOutlined } from '@ant-design/icons';
import { Button, Card, List } from 'antd';
import { useNavigate } from 'react-router';
import { useAuth } from '../auth/AuthProvider';
import { useT } from '../i18n/I18nProvider';
import { MobileHeader } from './MobileHeader';

/** "Me": orders with pickup codes, points and coupons, trials — each arrives with its capability. */
export default function MyPage() {
  const t = useT();
  const { session, logout } = useAuth();
  const navigate = useNavigate();
  return (
    <>
      <MobileHeader title={t('m.me')} />
      <Card bordered={false} style={{ margin: 12 }}>
        <div style={{ fontSize: 16 }}>{session?.displayName || session?.username}</div>
      </Card>
      <Card size="small" style={{ margin: 12 }}>
        <List>
          <List.Item
            onClick={() => navigate('/m/orders')}
            style={{ cursor: 'pointer' }}
            extra={<RightOutlined style={{ color: '#bfbfbf' }} />}
            data-testid="m-link-orders"
          >
            {t('m.myOrders')}
          </List.Item>
          {[t('m.myPoints'), t('m.tried')].map((label) => (
            <List.Item
              key={label}
              extra={<span style={{ color: '#8c8c8c', fontSize: 12 }}>{t('m.comingSoon')}</span>}
            >
              {label}
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
