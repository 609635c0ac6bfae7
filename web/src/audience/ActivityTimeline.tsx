import { Button, Card, Select, Space, Tag, Timeline, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { type ActivityEntry, activityOf } from '../api/activity';
import { ErrorState, Loading } from '../components/States';
import { formatDateTime, formatFen } from '../format';
import { useCatalogueI18n } from '../i18n/catalogue';
import { type ActivityMessageKey, activityMessages } from './activity.messages';

const TYPES = [
  'product_viewed',
  'cart_added',
  'searched',
  'page_viewed',
  'share_clicked',
  'product_favourited',
  'coupon_viewed',
  'store_visited',
  'order.completed',
  'order.imported',
  'return.received',
  'return.imported',
  'experience.recorded',
  'coupon.redeemed',
];
const FACT_COLOURS: Record<string, string> = {
  'order.completed': 'green',
  'order.imported': 'green',
  'return.received': 'red',
  'return.imported': 'red',
  'experience.recorded': 'purple',
  'coupon.redeemed': 'gold',
};
const PAGE = 20;

/**
 * A member's activity as a timeline, newest first: what she did in the apps and what the platform recorded of her
 * (purchases, returns, trials, coupons), filtered by type, a page at a time.
 */
export function ActivityTimeline({ memberId }: { memberId: string }) {
  const { t, locale } = useCatalogueI18n(activityMessages);
  const [type, setType] = useState<string | undefined>(undefined);
  const [items, setItems] = useState<ActivityEntry[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(undefined);
  const [version, setVersion] = useState(0);

  const load = async (after: string | null, signal?: AbortSignal) => {
    setLoading(true);
    try {
      const page = await activityOf(
        memberId,
        { limit: PAGE, ...(type ? { type } : {}), ...(after ? { cursor: after } : {}) },
        signal,
      );
      setItems((before) => (after ? [...before, ...page.items] : page.items));
      setCursor(page.nextCursor);
      setError(undefined);
    } catch (e) {
      if (!signal?.aborted) setError(e);
    } finally {
      if (!signal?.aborted) setLoading(false);
    }
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new member or type starts from the first page
  useEffect(() => {
    const controller = new AbortController();
    void load(null, controller.signal);
    return () => controller.abort();
  }, [memberId, type, version]);

  const typeLabel = (code: string) => {
    const key = `activity.type.${code}` as ActivityMessageKey;
    return activityMessages['zh-CN'][key] === undefined ? code : t(key);
  };

  return (
    <Card
      size="small"
      title={t('activity.title')}
      data-testid="activity-timeline"
      extra={
        <Select
          allowClear
          size="small"
          style={{ minWidth: 160 }}
          placeholder={t('activity.allTypes')}
          value={type}
          onChange={(value) => setType(value)}
          options={TYPES.map((code) => ({ value: code, label: typeLabel(code) }))}
          data-testid="activity-type"
        />
      }
    >
      {error && items.length === 0 ? (
        <ErrorState error={error} onRetry={() => setVersion((v) => v + 1)} />
      ) : loading && items.length === 0 ? (
        <Loading />
      ) : items.length === 0 ? (
        <Typography.Text type="secondary">{t('activity.empty')}</Typography.Text>
      ) : (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Timeline
            items={items.map((entry) => ({
              key: entry.seq,
              color: FACT_COLOURS[entry.type] ?? 'blue',
              children: (
                <div data-testid="activity-entry" data-type={entry.type}>
                  <Space wrap size={4}>
                    <Typography.Text strong>{typeLabel(entry.type)}</Typography.Text>
                    {entry.sku ? <Tag>{entry.sku}</Tag> : null}
                    <Tag>{entry.channel}</Tag>
                    {entry.store ? <Tag color="geekblue">{entry.store}</Tag> : null}
                    {entry.amount !== null ? (
                      <Typography.Text>
                        {t('activity.amount', { amount: formatFen(entry.amount) })}
                      </Typography.Text>
                    ) : null}
                    {entry.anonymousId ? (
                      <Typography.Text type="secondary">
                        {t('activity.device', { device: entry.anonymousId })}
                      </Typography.Text>
                    ) : null}
                  </Space>
                  <div>
                    <Typography.Text type="secondary">
                      {formatDateTime(entry.occurredAt, locale)}
                    </Typography.Text>
                  </div>
                </div>
              ),
            }))}
          />
          {cursor ? (
            <Button
              size="small"
              loading={loading}
              onClick={() => void load(cursor)}
              data-testid="activity-more"
            >
              {t('activity.more')}
            </Button>
          ) : null}
        </Space>
      )}
    </Card>
  );
}
