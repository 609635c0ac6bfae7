import { RightOutlined } from '@ant-design/icons';
import { Card, List, Space, Tag, Typography } from 'antd';
import { useNavigate } from 'react-router';
import { useLocations } from '../api/catalog';
import { useApi } from '../api/hooks';
import { recommendationsFor } from '../api/loyalty';
import { useAuth } from '../auth/AuthProvider';
import { EmptyState, ErrorState, Loading } from '../components/States';
import { formatDateTime, formatFen } from '../format';
import { useMoreI18n } from '../i18n/more';
import { codeLabel } from '../orders/OrderParts';
import { MobileHeader } from './MobileHeader';

const REASON_COLORS: Record<string, string> = {
  tried_in_store: 'magenta',
  favourited: 'gold',
  bought_together: 'blue',
  bestseller: 'default',
};

/**
 * "You tried these in store": the member's recommendations with the reason for each (tried in store, saved,
 * bought together, best seller); without personalisation consent the server sends the same list to everyone.
 */
export default function TriedPage() {
  const { t, locale } = useMoreI18n();
  const navigate = useNavigate();
  const { session } = useAuth();
  const memberId = session?.memberId;
  const { locations } = useLocations();
  const recommendations = useApi(
    memberId
      ? (signal) => recommendationsFor(memberId, { channel: 'mini_program', limit: 20 }, signal)
      : null,
    [memberId],
  );
  const nameOf = (code: string | null | undefined) =>
    code ? (locations?.find((l) => l.code === code)?.name ?? code) : '';

  return (
    <div style={{ paddingBottom: 24 }}>
      <MobileHeader title={t('m.tried')} onBack={() => navigate('/m')} />
      {!memberId ? (
        <Card bordered={false} style={{ margin: 12 }}>
          <EmptyState description={t('mPoints.customersOnly')} />
        </Card>
      ) : recommendations.error ? (
        <ErrorState error={recommendations.error} onRetry={recommendations.reload} />
      ) : !recommendations.data ? (
        <Loading />
      ) : (
        <>
          {!recommendations.data.personalized ? (
            <Typography.Paragraph type="secondary" style={{ margin: 12, fontSize: 12 }}>
              {t('mTried.notPersonalized')}
            </Typography.Paragraph>
          ) : null}
          {recommendations.data.items.length === 0 ? (
            <Card bordered={false} style={{ margin: 12 }}>
              <EmptyState description={t('mTried.none')} />
            </Card>
          ) : (
            <List
              style={{ margin: 12 }}
              dataSource={recommendations.data.items}
              data-testid="m-recommendations"
              renderItem={(item) => {
                const store = item.store ?? session?.storeCode ?? null;
                const href = `/m/sku/${encodeURIComponent(item.sku)}${store ? `?store=${encodeURIComponent(store)}` : ''}`;
                return (
                  <Card
                    key={item.sku}
                    size="small"
                    hoverable
                    style={{ marginBottom: 12 }}
                    onClick={() => navigate(href)}
                    data-testid={`m-rec-${item.sku}`}
                    data-reason={item.reason}
                  >
                    <Space style={{ width: '100%', justifyContent: 'space-between' }} align="start">
                      <div>
                        <div style={{ fontSize: 15 }}>{item.name}</div>
                        <Space size={4} wrap style={{ marginTop: 4 }}>
                          <Tag color={REASON_COLORS[item.reason] ?? 'default'}>
                            {codeLabel(t, 'rec.reason', item.reason)}
                          </Tag>
                          <span style={{ fontSize: 12, color: '#8c8c8c' }}>
                            {item.reason === 'tried_in_store' && item.store
                              ? t('mTried.triedAt', {
                                  store: nameOf(item.store),
                                  time: formatDateTime(item.at, locale, false),
                                })
                              : item.reason === 'bought_together' && item.count
                                ? t('mTried.boughtTogetherN', { n: item.count })
                                : ''}
                          </span>
                        </Space>
                      </div>
                      <Space direction="vertical" align="end" size={0}>
                        <strong>{formatFen(item.price)}</strong>
                        <RightOutlined style={{ color: '#bfbfbf' }} />
                      </Space>
                    </Space>
                  </Card>
                );
              }}
            />
          )}
        </>
      )}
    </div>
  );
}
