import { Alert, App, Button, Card, Input, List, Popconfirm, Space, Steps, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { getReturn, type ReturnView, recordReturnShipment, withdrawReturn } from '../api/aftersales';
import { useLocations } from '../api/catalog';
import { useApi } from '../api/hooks';
import { ErrorAlert, ErrorState, Loading } from '../components/States';
import { formatDateTime, formatFen } from '../format';
import { useCatalogueI18n } from '../i18n/catalogue';
import { MobileHeader } from './MobileHeader';
import { returnsMessages } from './returns.messages';

/** Customers have no live stream: a return still moving is read again every five seconds until it settles. */
const REFRESH_MS = 5000;
const STEPS = ['requested', 'received', 'refunded'] as const;
const REFUND_COLORS: Record<string, string> = { succeeded: 'green', pending: 'blue', failed: 'orange' };

/** Her return: where it stands (requested → received → refunded, the refund's state), how it travels, its parcel. */
export default function ReturnPage() {
  const { t, locale } = useCatalogueI18n(returnsMessages);
  const { message } = App.useApp();
  const navigate = useNavigate();
  const { id = '' } = useParams();
  const ret = useApi((signal) => getReturn(id, signal), [id]);
  const { locations } = useLocations();
  const nameOf = (code: string) => locations?.find((l) => l.code === code)?.name ?? code;
  const [carrier, setCarrier] = useState('');
  const [tracking, setTracking] = useState('');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>();

  const settled = ret.data?.status === 'refunded' || ret.data?.status === 'cancelled';
  const { reload } = ret;
  useEffect(() => {
    if (!ret.data || settled) return;
    const timer = setInterval(reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [ret.data, settled, reload]);

  if (ret.error && !ret.data) {
    return (
      <>
        <MobileHeader title={t('mret.detail')} onBack={() => navigate('/m/returns')} />
        <ErrorState error={ret.error} onRetry={ret.reload} />
      </>
    );
  }
  if (!ret.data) return <Loading />;
  const r: ReturnView = ret.data;
  const step = r.status === 'cancelled' ? -1 : STEPS.indexOf(r.status);

  // Withdrawn only while nothing is on its way: once a parcel has a tracking number, the goods will arrive.
  const withdrawable = r.status === 'requested' && !r.courier?.trackingNumber;
  const withdraw = async () => {
    setError(undefined);
    try {
      await withdrawReturn(r.id, t('mret.withdrawReason'));
      message.success(t('mret.withdrawn'));
      ret.reload();
    } catch (e) {
      setError(e);
    }
  };

  const saveTracking = async () => {
    setSaving(true);
    setError(undefined);
    try {
      await recordReturnShipment(r.id, { carrier: carrier.trim(), trackingNumber: tracking.trim() });
      message.success(t('mret.trackingSaved'));
      setCarrier('');
      setTracking('');
      ret.reload();
    } catch (e) {
      setError(e);
    } finally {
      setSaving(false);
    }
  };

  return (
    <div style={{ paddingBottom: 24 }} data-testid="m-return-page" data-status={r.status}>
      <MobileHeader title={t('mret.detail')} onBack={() => navigate(`/m/orders/${r.orderId}`)} />
      <Card bordered={false} style={{ borderRadius: 0 }}>
        <Space direction="vertical" size={8} style={{ width: '100%' }}>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {r.id} · {t('mret.order', { id: r.orderId })}
          </Typography.Text>
          <strong data-testid="m-return-status">{t(`mret.status.${r.status}`)}</strong>
          {r.status === 'cancelled' ? null : (
            <Steps
              size="small"
              current={step}
              direction="horizontal"
              responsive={false}
              items={STEPS.map((s) => ({ title: t(`mret.step.${s}`) }))}
            />
          )}
          <Space style={{ justifyContent: 'space-between', width: '100%' }}>
            <span>{t('mret.refund')}</span>
            <span>
              <strong>{formatFen(r.refundAmount)}</strong>{' '}
              <Tag
                color={REFUND_COLORS[r.refundStatus]}
                data-testid="m-return-refund"
                data-status={r.refundStatus}
              >
                {t(`mret.refundStatus.${r.refundStatus}`)}
              </Tag>
            </span>
          </Space>
          {r.receivedLocation && r.receivedAt ? (
            <Typography.Text type="secondary">
              {t('mret.receivedAt', {
                store: nameOf(r.receivedLocation),
                time: formatDateTime(r.receivedAt, locale, false),
              })}
            </Typography.Text>
          ) : null}
        </Space>
      </Card>
      <Card size="small" style={{ margin: 12 }} title={t('mret.method')}>
        <Space direction="vertical" style={{ width: '100%' }}>
          {r.method === 'store' ? (
            <span data-testid="m-return-where">{t('mret.bringTo', { store: nameOf(r.location) })}</span>
          ) : (
            <>
              <span data-testid="m-return-where">
                {t(`mret.method.${r.courier?.mode ?? 'drop_off'}`)} ·{' '}
                {t('mret.sentTo', { place: nameOf(r.location) })}
              </span>
              {r.courier?.pickup ? (
                <Typography.Text type="secondary">
                  {t('mret.pickupOn', {
                    day: r.courier.pickup.day,
                    address: r.courier.pickup.address
                      ? `${r.courier.pickup.address.city} ${r.courier.pickup.address.line1} ${r.courier.pickup.address.name} ${r.courier.pickup.address.phone}`
                      : '',
                  })}
                </Typography.Text>
              ) : null}
              {r.courier?.trackingNumber ? (
                <span data-testid="m-return-tracking">
                  {t('mret.tracking')}: {r.courier.carrier} {r.courier.trackingNumber}
                </span>
              ) : null}
              {r.status === 'requested' ? (
                <>
                  <Input
                    placeholder={t('mret.carrier')}
                    value={carrier}
                    maxLength={50}
                    onChange={(e) => setCarrier(e.target.value)}
                    data-testid="m-return-carrier"
                  />
                  <Input
                    placeholder={t('mret.tracking')}
                    value={tracking}
                    maxLength={40}
                    onChange={(e) => setTracking(e.target.value)}
                    data-testid="m-return-tracking-number"
                  />
                  <ErrorAlert error={error} />
                  <Button
                    block
                    disabled={!carrier.trim() || !/^[A-Za-z0-9-]{4,40}$/.test(tracking.trim())}
                    loading={saving}
                    onClick={saveTracking}
                    data-testid="m-return-tracking-save"
                  >
                    {t('mret.trackingSave')}
                  </Button>
                </>
              ) : null}
            </>
          )}
        </Space>
      </Card>
      <Card size="small" style={{ margin: 12 }} title={t('mret.items')}>
        <List
          dataSource={r.lines}
          renderItem={(l) => (
            <List.Item key={l.lineNo} extra={formatFen(l.refundAmount)}>
              {l.sku} × {l.quantity}
            </List.Item>
          )}
        />
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
          {t('mret.reason')}: {r.reason}
        </Typography.Paragraph>
        {r.photos.length > 0 ? (
          <Space wrap style={{ marginTop: 8 }}>
            {r.photos.map((p) => (
              <a key={p} href={p} target="_blank" rel="noreferrer noopener">
                <img src={p} alt="" style={{ width: 56, height: 56, objectFit: 'cover', borderRadius: 4 }} />
              </a>
            ))}
          </Space>
        ) : null}
      </Card>
      {r.refundStatus === 'failed' ? (
        <Alert type="warning" showIcon style={{ margin: 12 }} message={t('mret.refundStatus.failed')} />
      ) : null}
      {withdrawable ? (
        <div style={{ padding: 12 }}>
          <Popconfirm title={t('mret.withdrawConfirm')} onConfirm={withdraw}>
            <Button block danger data-testid="m-return-withdraw">
              {t('mret.withdraw')}
            </Button>
          </Popconfirm>
        </div>
      ) : null}
    </div>
  );
}
