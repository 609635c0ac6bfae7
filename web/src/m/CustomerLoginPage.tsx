import { App, Button, Card, Form, Input, Space } from 'antd';
import { useEffect, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { customerLogin, sendLoginCode } from '../api/members';
import { useAuth } from '../auth/AuthProvider';
import { ErrorAlert } from '../components/States';
import { useT } from '../i18n/I18nProvider';
import { MobileHeader } from './MobileHeader';

/** Phone + SMS code. The code is sent by the SMS adapter (the built-in one records it in the server's log). */
export default function CustomerLoginPage() {
  const t = useT();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const { adoptCustomerToken } = useAuth();
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [cooldown, setCooldown] = useState(0);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (cooldown <= 0) return;
    const timer = setTimeout(() => setCooldown((c) => c - 1), 1000);
    return () => clearTimeout(timer);
  }, [cooldown]);

  const next = params.get('next');
  const validPhone = /^1\d{10}$/.test(phone);

  const sendCode = async () => {
    setError(undefined);
    try {
      await sendLoginCode(phone);
      setCooldown(60);
      message.success(t('m.codeSent'));
    } catch (e) {
      setError(e);
    }
  };

  const login = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const answer = await customerLogin(phone, code);
      await adoptCustomerToken(answer.token, answer.expiresAt);
      navigate(next?.startsWith('/m/') ? next : '/m', { replace: true });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <MobileHeader title={t('m.loginTitle')} />
      <Card bordered={false} style={{ margin: 12 }}>
        <Form layout="vertical">
          <ErrorAlert error={error} />
          <Form.Item label={t('m.phone')}>
            <Input
              size="large"
              inputMode="numeric"
              maxLength={11}
              value={phone}
              onChange={(e) => setPhone(e.target.value.replace(/\D/g, ''))}
              placeholder="138 0000 0000"
              data-testid="m-phone"
            />
          </Form.Item>
          <Form.Item label={t('m.smsCode')}>
            <Space.Compact style={{ width: '100%' }}>
              <Input
                size="large"
                inputMode="numeric"
                maxLength={8}
                value={code}
                onChange={(e) => setCode(e.target.value)}
                data-testid="m-sms-code"
              />
              <Button
                size="large"
                disabled={!validPhone || cooldown > 0}
                onClick={sendCode}
                data-testid="m-send-code"
              >
                {cooldown > 0 ? `${cooldown}s` : t('m.sendCode')}
              </Button>
            </Space.Compact>
          </Form.Item>
          <Button
            type="primary"
            size="large"
            block
            disabled={!validPhone || !code}
            loading={busy}
            onClick={login}
            data-testid="m-login"
          >
            {t('m.login')}
          </Button>
        </Form>
        <div style={{ marginTop: 16, fontSize: 12, color: '#8c8c8c' }} data-testid="m-demo-hint">
          {t('m.demoSmsHint')}
        </div>
        <div style={{ marginTop: 8, fontSize: 12, color: '#8c8c8c' }}>
          {t('m.staffHint')} <a href="/login">/login</a>
        </div>
      </Card>
    </>
  );
}
