import { App, Button, Card, List, Space, Tag } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { messageOf } from '../api/client';
import { useApi } from '../api/hooks';
import { claimCoupon, couponCentreOf } from '../api/loyalty';
import { useAuth } from '../auth/AuthProvider';
import { EmptyState, ErrorState, Loading } from '../components/States';
import { formatDateTime } from '../format';
import { useMoreI18n } from '../i18n/more';
import { CouponFace } from './CouponFace';
import { MobileHeader } from './MobileHeader';

/**
 * The coupon centre (领券中心): the coupons the brand offers her now, each claimed with one tap; what she already
 * holds and what is gone say why a button is off. The server holds the limits; a refusal is said in her language.
 */
export default function CouponCentrePage() {
  const { t, locale } = useMoreI18n();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const { session } = useAuth();
  const memberId = session?.memberId;
  const offers = useApi(memberId ? (signal) => couponCentreOf(memberId, signal) : null, [memberId]);
  const [claiming, setClaiming] = useState<string>();

  const claim = async (template: string) => {
    if (!memberId) return;
    setClaiming(template);
    try {
      await claimCoupon(memberId, template);
      message.success(t('mCentre.claimed'));
    } catch (e) {
      message.error(messageOf(e));
    } finally {
      setClaiming(undefined);
      offers.reload();
    }
  };

  return (
    <div style={{ paddingBottom: 24 }}>
      <MobileHeader title={t('m.couponCentre')} onBack={() => navigate('/m')} />
      {!memberId ? (
        <Card bordered={false} style={{ margin: 12 }}>
          <EmptyState description={t('mPoints.customersOnly')} />
        </Card>
      ) : offers.error ? (
        <ErrorState error={offers.error} onRetry={offers.reload} />
      ) : !offers.data ? (
        <Loading />
      ) : offers.data.items.length === 0 ? (
        <Card bordered={false} style={{ margin: 12 }}>
          <EmptyState description={t('mCentre.none')} />
        </Card>
      ) : (
        <List
          style={{ margin: 12 }}
          dataSource={offers.data.items}
          data-testid="m-coupon-centre"
          renderItem={({ template: c, held, left, blocked }) => (
            <Card key={c.code} size="small" style={{ marginBottom: 12 }} data-testid={`m-offer-${c.code}`}>
              <Space align="start" style={{ width: '100%', justifyContent: 'space-between' }}>
                <CouponFace coupon={c} />
                <div style={{ textAlign: 'right' }}>
                  <strong>{c.name}</strong>
                  <div style={{ fontSize: 12, color: '#8c8c8c' }}>
                    {t('coupon.validUntil', { time: formatDateTime(c.validTo, locale, false) })}
                  </div>
                  <div style={{ fontSize: 12, color: '#8c8c8c' }}>
                    {held > 0 ? <Tag color="green">{t('mCentre.held', { n: held })}</Tag> : null}
                    {left !== null ? t('mCentre.left', { n: left }) : null}
                  </div>
                  <Button
                    type="primary"
                    size="small"
                    style={{ marginTop: 8 }}
                    disabled={blocked !== null}
                    loading={claiming === c.code}
                    onClick={() => claim(c.code)}
                    data-testid={`m-claim-${c.code}`}
                  >
                    {blocked === 'sold_out'
                      ? t('mCentre.soldOut')
                      : blocked === 'member_limit'
                        ? t('mCentre.limit')
                        : t('mCentre.claim')}
                  </Button>
                </div>
              </Space>
            </Card>
          )}
        />
      )}
    </div>
  );
}
