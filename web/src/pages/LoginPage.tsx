import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Button, Card, Form, Input, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { useAuth } from '../auth/AuthProvider';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../auth/demo-accounts';
import { homeOf } from '../auth/roles';
import type { Role } from '../auth/session';
import { LocaleSwitch } from '../components/LocaleSwitch';
import { ErrorAlert } from '../components/States';
import { useT } from '../i18n/I18nProvider';

/** Where to go after login: the page asked for, when it belongs to this role's area. */
function destination(role: Role, next: string | null): string {
  const home = homeOf(role);
  if (next?.startsWith(home) && !next.startsWith('//')) return next;
  return home;
}

export function LoginPage() {
  const t = useT();
  const { session, login } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [form] = Form.useForm<{ username: string; password: string }>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  if (session) return <Navigate to={destination(session.role, params.get('next'))} replace />;

  const submit = async (values: { username: string; password: string }) => {
    setBusy(true);
    setError(undefined);
    try {
      const signedIn = await login(values.username.trim(), values.password);
      navigate(destination(signedIn.role, params.get('next')), { replace: true });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div
      style={{
        minHeight: '100vh',
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'center',
        padding: 16,
        background: 'linear-gradient(135deg, #1f4e79 0%, #3a6e9e 60%, #f5f6f8 60%)',
      }}
    >
      <Card style={{ width: 440, maxWidth: '100%' }}>
        <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 8 }} align="start">
          <div>
            <Typography.Title level={3} style={{ margin: 0 }}>
              OmniLoop
            </Typography.Title>
            <Typography.Text type="secondary">{t('login.subtitle')}</Typography.Text>
          </div>
          <LocaleSwitch />
        </Space>
        <ErrorAlert error={error} />
        <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
          <Form.Item
            label={t('login.username')}
            name="username"
            rules={[{ required: true, message: t('login.usernameRequired') }]}
          >
            <Input prefix={<UserOutlined />} autoComplete="username" data-testid="login-username" />
          </Form.Item>
          <Form.Item
            label={t('login.password')}
            name="password"
            rules={[{ required: true, message: t('login.passwordRequired') }]}
          >
            <Input.Password
              prefix={<LockOutlined />}
              autoComplete="current-password"
              data-testid="login-password"
            />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">
            {t('login.submit')}
          </Button>
        </Form>
        <Typography.Paragraph type="secondary" style={{ marginTop: 20, marginBottom: 8 }}>
          {t('login.demoHint', { password: DEMO_PASSWORD })}
        </Typography.Paragraph>
        <Space direction="vertical" size={4} style={{ width: '100%' }} data-testid="demo-accounts">
          {DEMO_ACCOUNTS.map((account) => (
            <Button
              key={account.username}
              block
              size="small"
              style={{ display: 'flex', justifyContent: 'space-between' }}
              onClick={() => form.setFieldsValue({ username: account.username, password: DEMO_PASSWORD })}
            >
              <span>{account.username}</span>
              <span>
                <Tag style={{ marginInlineEnd: 0 }}>{t(`role.${account.role}`)}</Tag>
                {account.store ? (
                  <Tag style={{ marginInlineStart: 4, marginInlineEnd: 0 }}>{account.store}</Tag>
                ) : null}
              </span>
            </Button>
          ))}
        </Space>
        <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0, fontSize: 12 }}>
          {t('login.customerHint')} <a href="/m/login">/m/login</a>
        </Typography.Paragraph>
      </Card>
    </div>
  );
}
