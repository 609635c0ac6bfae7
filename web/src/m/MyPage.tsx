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
        <List
          dataSource={[t('m.myOrders'), t('m.myPoints'), t('m.tried')]}
          renderItem={(label) => (
            <List.Item extra={<span style={{ color: '#8c8c8c', fontSize: 12 }}>{t('m.comingSoon')}</span>}>
              {label}
            </List.Item>
          )}
        />
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
