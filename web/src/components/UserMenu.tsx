import { LogoutOutlined } from '@ant-design/icons';
import { Button, Space, Tag, Typography } from 'antd';
import { useNavigate } from 'react-router';
import { useAuth } from '../auth/AuthProvider';
import { useT } from '../i18n/I18nProvider';
import { LocaleSwitch } from './LocaleSwitch';

export function UserMenu({ loginPath = '/login' }: { loginPath?: string }) {
  const t = useT();
  const { session, logout } = useAuth();
  const navigate = useNavigate();
  if (!session) return <LocaleSwitch />;
  return (
    <Space size="middle" wrap>
      <LocaleSwitch />
      <Space size={4}>
        <Typography.Text data-testid="current-user">
          {session.displayName || session.username}
        </Typography.Text>
        {/* The role once; the store is in the area's own header. */}
        <Tag color="blue" data-testid="current-role">
          {t(`role.${session.role}`)}
        </Tag>
      </Space>
      <Button
        size="small"
        icon={<LogoutOutlined />}
        onClick={() => {
          logout();
          navigate(loginPath, { replace: true });
        }}
      >
        {t('common.logout')}
      </Button>
    </Space>
  );
}
