import { App, Button, Card, Input, List, Space, Typography } from 'antd';
import { useState } from 'react';
import { messageOf } from '../api/client';
import { handOverCashRefund, listRefunds, type Refund } from '../api/orders';
import { ErrorAlert } from '../components/States';
import { formatFen } from '../format';
import { type Catalogue, useCatalogueI18n } from '../i18n/catalogue';

const messages: Catalogue<
  'cash.title' | 'cash.hint' | 'cash.find' | 'cash.none' | 'cash.handOver' | 'cash.handed' | 'cash.order'
> = {
  'zh-CN': {
    'cash.title': '待退现金',
    'cash.hint': '顾客寄回的商品已收到、原付款为现金时，凭订单号在任一门店领取退款现金。',
    'cash.find': '查询',
    'cash.none': '这张订单没有待退的现金',
    'cash.handOver': '已交付现金 {amount}',
    'cash.handed': '已记录：现金 {amount} 已交给顾客',
    'cash.order': '订单号',
  },
  'en-US': {
    'cash.title': 'Cash refunds owed',
    'cash.hint':
      'A cash purchase returned by courier: she collects the cash at any store, with her order number.',
    'cash.find': 'Look up',
    'cash.none': 'No cash is owed on this order',
    'cash.handOver': 'Cash handed over {amount}',
    'cash.handed': 'Recorded: {amount} in cash handed to her',
    'cash.order': 'Order number',
  },
};

/**
 * 待退现金: she paid in cash and sent the goods back by courier; she shows her order number at any store, which
 * reads the cash owed on that order and records that it handed it over (by whom, at which counter).
 */
export function CashRefundsCard({ store }: { store: string }) {
  const { t } = useCatalogueI18n(messages);
  const { message } = App.useApp();
  const [orderId, setOrderId] = useState('');
  const [owed, setOwed] = useState<Refund[]>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState<string>();

  const find = async (id: string) => {
    setError(undefined);
    setOwed(undefined);
    if (!id.trim()) return;
    try {
      setOwed((await listRefunds({ orderId: id.trim(), awaiting: 'cash_at_store', limit: 20 })).items);
    } catch (e) {
      setError(e);
    }
  };
  const handOver = async (refund: Refund) => {
    setBusy(refund.id);
    try {
      await handOverCashRefund(refund.id, store);
      message.success(t('cash.handed', { amount: formatFen(refund.amount) }));
      await find(orderId);
    } catch (e) {
      message.error(messageOf(e));
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <Card title={t('cash.title')} data-testid="cash-refunds">
      <Typography.Paragraph type="secondary">{t('cash.hint')}</Typography.Paragraph>
      <Input.Search
        placeholder={t('cash.order')}
        enterButton={t('cash.find')}
        value={orderId}
        onChange={(e) => setOrderId(e.target.value)}
        onSearch={find}
        style={{ maxWidth: 420 }}
        data-testid="cash-refund-order"
      />
      <ErrorAlert error={error} />
      {owed === undefined ? null : owed.length === 0 ? (
        <Typography.Paragraph style={{ marginTop: 12 }}>{t('cash.none')}</Typography.Paragraph>
      ) : (
        <List
          style={{ marginTop: 12 }}
          dataSource={owed}
          renderItem={(refund) => (
            <List.Item key={refund.id}>
              <Space>
                <strong>{formatFen(refund.amount)}</strong>
                <Typography.Text type="secondary">{refund.reason}</Typography.Text>
              </Space>
              <Button
                type="primary"
                loading={busy === refund.id}
                onClick={() => handOver(refund)}
                data-testid={`cash-hand-over-${refund.id}`}
              >
                {t('cash.handOver', { amount: formatFen(refund.amount) })}
              </Button>
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}
