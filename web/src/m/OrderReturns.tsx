import { RightOutlined } from '@ant-design/icons';
import { Button, Card, List, Space, Tag, Typography } from 'antd';
import { useNavigate } from 'react-router';
import { listReturns, type ReturnView } from '../api/aftersales';
import { useApi } from '../api/hooks';
import type { Order } from '../api/orders';
import { formatDateTime, formatFen } from '../format';
import { useCatalogueI18n } from '../i18n/catalogue';
import { returnsMessages } from './returns.messages';

const STATUS_COLORS: Record<string, string> = { requested: 'blue', received: 'gold', refunded: 'green' };

/** Her returns as a list, each opening its page. */
export function ReturnList({ returns }: { returns: ReturnView[] }) {
  const { t, locale } = useCatalogueI18n(returnsMessages);
  const navigate = useNavigate();
  return (
    <List
      dataSource={returns}
      locale={{ emptyText: t('mret.none') }}
      renderItem={(r) => (
        <List.Item
          key={r.id}
          onClick={() => navigate(`/m/returns/${r.id}`)}
          style={{ cursor: 'pointer', padding: '10px 12px' }}
          extra={<RightOutlined />}
          data-testid="m-return-item"
          data-return={r.id}
        >
          <Space direction="vertical" size={2}>
            <Space wrap>
              <Tag color={STATUS_COLORS[r.status]}>{t(`mret.status.${r.status}`)}</Tag>
              <span>{formatFen(r.refundAmount)}</span>
              <Typography.Text type="secondary">{t(`mret.refundStatus.${r.refundStatus}`)}</Typography.Text>
            </Space>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {r.lines.map((l) => `${l.sku} × ${l.quantity}`).join(', ')} ·{' '}
              {formatDateTime(r.createdAt, locale, false)}
            </Typography.Text>
          </Space>
        </List.Item>
      )}
    />
  );
}

/**
 * 售后 on her order page: the entry to ask for a return once something was delivered or collected, and the
 * returns of this order so far.
 */
export function OrderReturnsCard({ order }: { order: Order }) {
  const { t } = useCatalogueI18n(returnsMessages);
  const navigate = useNavigate();
  const returns = useApi((signal) => listReturns({ orderId: order.id, limit: 20 }, signal), [order.id]);
  const arrived = order.fulfillments.some((f) => f.status === 'delivered' || f.status === 'picked_up');
  if (!arrived && (returns.data?.items.length ?? 0) === 0) return null;
  return (
    <Card
      size="small"
      style={{ margin: 12 }}
      title={t('mret.ofOrder')}
      extra={
        <Button
          type="link"
          size="small"
          onClick={() => navigate('/m/returns')}
          data-testid="m-my-returns-link"
        >
          {t('mret.mine')}
        </Button>
      }
    >
      {returns.data && returns.data.items.length > 0 ? <ReturnList returns={returns.data.items} /> : null}
      {arrived && order.status !== 'cancelled' ? (
        <Button block onClick={() => navigate(`/m/orders/${order.id}/return`)} data-testid="m-return-entry">
          {t('mret.entry')}
        </Button>
      ) : null}
    </Card>
  );
}
