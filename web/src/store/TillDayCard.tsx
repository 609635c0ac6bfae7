import { Card, Descriptions, Space, Typography } from 'antd';
import { useApi } from '../api/hooks';
import { tillDayOf } from '../api/orders';
import { ErrorState, Loading } from '../components/States';
import { formatFen } from '../format';
import { useCatalogueI18n } from '../i18n/catalogue';
import { type TillKey, tillMessages } from './till.messages';

/** The day at this store's till: sales taken, voided, still to pay, by payment and by guide. */
export function TillDayCard({ store, version }: { store: string; version: number }) {
  const { t } = useCatalogueI18n(tillMessages);
  const day = useApi((signal) => tillDayOf(store, undefined, signal), [store, version]);
  if (day.error) return <ErrorState error={day.error} onRetry={day.reload} />;
  if (!day.data) return <Loading />;
  const d = day.data;
  const provider = (name: string) => {
    const key = `till.provider.${name}` as TillKey;
    const text = t(key);
    return text === key ? name : text;
  };
  return (
    <Card title={`${t('till.today')} · ${d.day}`} size="small" data-testid="till-day">
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Text strong>
          {t('till.todaySales', { orders: d.sales.orders, amount: formatFen(d.sales.paidAmount) })}
        </Typography.Text>
        <Typography.Text type="secondary">
          {t('till.todayVoided', { orders: d.voided.orders })} ·{' '}
          {t('till.todayWaiting', {
            orders: d.awaitingPayment.orders,
            amount: formatFen(d.awaitingPayment.payableAmount),
          })}
        </Typography.Text>
        <Descriptions size="small" column={1} title={t('till.byPayment')}>
          {d.byPayment.map((p) => (
            <Descriptions.Item key={p.provider} label={provider(p.provider)}>
              {p.payments} · {formatFen(p.amount)}
            </Descriptions.Item>
          ))}
        </Descriptions>
        <Descriptions size="small" column={1} title={t('till.byGuide')}>
          {d.byGuide.map((g) => (
            <Descriptions.Item key={g.guide ?? ''} label={g.guide ?? t('till.noGuide')}>
              {g.orders} · {formatFen(g.paidAmount)}
            </Descriptions.Item>
          ))}
        </Descriptions>
      </Space>
    </Card>
  );
}
