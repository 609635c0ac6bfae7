import { Card, List, Segmented, Space, Statistic, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useApi } from '../api/hooks';
import { type CouponStatus, couponsOf, pointsOf } from '../api/loyalty';
import { useAuth } from '../auth/AuthProvider';
import { EmptyState, ErrorState, Loading } from '../components/States';
import { formatDateTime } from '../format';
import { useMoreI18n } from '../i18n/more';
import { codeLabel } from '../orders/OrderParts';
import { CouponFace } from './CouponFace';
import { MobileHeader } from './MobileHeader';

/** My points (available and pending, and where they came from) and my coupons, with the customer's own token. */
export default function MyPointsPage() {
  const { t, locale } = useMoreI18n();
  const navigate = useNavigate();
  const { session } = useAuth();
  const memberId = session?.memberId;
  const [tab, setTab] = useState<'coupons' | 'points'>('coupons');
  const [status, setStatus] = useState<CouponStatus>('issued');
  const points = useApi(memberId ? (signal) => pointsOf(memberId, { limit: 50 }, signal) : null, [memberId]);
  const coupons = useApi(memberId ? (signal) => couponsOf(memberId, { status, limit: 50 }, signal) : null, [
    memberId,
    status,
  ]);

  return (
    <div style={{ paddingBottom: 24 }}>
      <MobileHeader title={t('m.myPoints')} onBack={() => navigate('/m')} />
      {!memberId ? (
        <Card bordered={false} style={{ margin: 12 }}>
          <EmptyState description={t('mPoints.customersOnly')} />
        </Card>
      ) : (
        <>
          <Card bordered={false} style={{ margin: 12 }} data-testid="m-points">
            {points.error ? (
              <ErrorState error={points.error} onRetry={points.reload} />
            ) : !points.data ? (
              <Loading />
            ) : (
              <Space size="large" style={{ width: '100%', justifyContent: 'space-around' }}>
                <Statistic title={t('points.available')} value={points.data.available} />
                <Statistic title={t('points.pending')} value={points.data.pending} />
              </Space>
            )}
            {points.data?.pending ? (
              <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0, fontSize: 12 }}>
                {t('mPoints.pendingHint')}
              </Typography.Paragraph>
            ) : null}
          </Card>
          <div style={{ margin: '0 12px' }}>
            <Segmented
              block
              value={tab}
              onChange={(v) => setTab(v as 'coupons' | 'points')}
              options={[
                { value: 'coupons', label: t('mPoints.coupons') },
                { value: 'points', label: t('points.ledger') },
              ]}
            />
          </div>
          {tab === 'coupons' ? (
            <div style={{ margin: 12 }}>
              <Segmented
                size="small"
                value={status}
                onChange={(v) => setStatus(v as CouponStatus)}
                options={(['issued', 'redeemed', 'expired'] as const).map((s) => ({
                  value: s,
                  label: codeLabel(t, 'coupon.status', s),
                }))}
              />
              {coupons.error ? (
                <ErrorState error={coupons.error} onRetry={coupons.reload} />
              ) : !coupons.data ? (
                <Loading />
              ) : coupons.data.items.length === 0 ? (
                <EmptyState description={t('member.noCoupons')} />
              ) : (
                <List
                  style={{ marginTop: 12 }}
                  dataSource={coupons.data.items}
                  data-testid="m-coupons"
                  renderItem={(c) => (
                    <Card
                      key={c.code}
                      size="small"
                      style={{ marginBottom: 12, opacity: c.status === 'issued' ? 1 : 0.6 }}
                    >
                      <Space align="start" style={{ width: '100%', justifyContent: 'space-between' }}>
                        <CouponFace coupon={c} />
                        <div style={{ textAlign: 'right' }}>
                          <strong>{c.name}</strong>
                          <div style={{ fontSize: 12, color: '#8c8c8c' }}>
                            {t('coupon.validUntil', { time: formatDateTime(c.validTo, locale, false) })}
                          </div>
                          {c.channels?.length ? (
                            <div style={{ fontSize: 12, color: '#8c8c8c' }}>
                              {c.channels.map((x) => codeLabel(t, 'channel', x)).join(' / ')}
                            </div>
                          ) : null}
                          <Typography.Text code copyable style={{ fontSize: 12 }}>
                            {c.code}
                          </Typography.Text>
                        </div>
                      </Space>
                    </Card>
                  )}
                />
              )}
            </div>
          ) : (
            <Card bordered={false} style={{ margin: 12 }}>
              {points.data && points.data.ledger.length === 0 ? (
                <EmptyState description={t('points.noEntries')} />
              ) : (
                <List
                  dataSource={points.data?.ledger ?? []}
                  renderItem={(e) => (
                    <List.Item
                      key={e.id}
                      extra={
                        <span
                          style={{
                            color: e.points + e.pendingPoints < 0 ? '#cf1322' : '#389e0d',
                            fontWeight: 600,
                          }}
                        >
                          {e.points ? `${e.points > 0 ? '+' : ''}${e.points}` : ''}
                          {e.pendingPoints ? (
                            <Tag style={{ marginLeft: 4 }}>
                              {t('points.pending')} {e.pendingPoints > 0 ? '+' : ''}
                              {e.pendingPoints}
                            </Tag>
                          ) : null}
                        </span>
                      }
                    >
                      <List.Item.Meta
                        title={codeLabel(t, 'points.entry', e.kind)}
                        description={formatDateTime(e.createdAt, locale, false)}
                      />
                    </List.Item>
                  )}
                />
              )}
            </Card>
          )}
        </>
      )}
    </div>
  );
}
