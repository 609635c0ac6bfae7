import { PrinterOutlined } from '@ant-design/icons';
import { Button, Card, Divider, Space, Typography } from 'antd';
import { useNavigate, useParams } from 'react-router';
import { useLocations } from '../api/catalog';
import { useApi } from '../api/hooks';
import { getOrder } from '../api/orders';
import { ErrorState, Loading } from '../components/States';
import { formatDateTime, formatFen } from '../format';
import { useCatalogueI18n } from '../i18n/catalogue';
import { tillMessages } from './till.messages';

/**
 * A sale's receipt, narrow as a till roll, to print (the browser's print dialog prints only the receipt): the
 * items, what was handed over and what is sent from where (the order's fulfillment groups), the cash taken and the
 * change given.
 */
export default function StoreTillReceiptPage() {
  const { t, locale } = useCatalogueI18n(tillMessages);
  const navigate = useNavigate();
  const { id = '' } = useParams();
  const order = useApi((signal) => getOrder(id, signal), [id]);
  const { locations } = useLocations();
  if (order.error) return <ErrorState error={order.error} onRetry={order.reload} />;
  if (!order.data) return <Loading />;
  const o = order.data;
  const store = locations?.find((l) => l.code === o.storeCode)?.name ?? o.storeCode;
  const placedBy = o.timeline.find((e) => e.code === 'order.placed')?.actor;
  const nameOf = (code: string) => locations?.find((l) => l.code === code)?.name ?? code;
  const skuName = (sku: string) => o.lines.find((l) => l.sku === sku)?.name ?? sku;
  const cash = o.payments.find((p) => p.cash && p.status !== 'failed')?.cash;
  const sentTo = o.fulfillment.address;
  return (
    <Space direction="vertical" align="center" style={{ width: '100%' }}>
      <style>
        {
          '@media print { body * { visibility: hidden } .till-receipt, .till-receipt * { visibility: visible } .till-receipt { position: absolute; left: 0; top: 0 } }'
        }
      </style>
      <Space className="no-print">
        <Button
          icon={<PrinterOutlined />}
          type="primary"
          onClick={() => window.print()}
          data-testid="till-print"
        >
          {t('till.print')}
        </Button>
        <Button onClick={() => navigate('/store/till')}>{t('till.newSale')}</Button>
      </Space>
      <Card
        className="till-receipt"
        style={{ width: 320, fontFamily: 'ui-monospace, Menlo, monospace' }}
        data-testid="till-receipt"
      >
        <Typography.Title level={5} style={{ textAlign: 'center', margin: 0 }}>
          {store} · {t('till.receiptTitle')}
        </Typography.Title>
        <div>
          {t('till.orderNo')}: {o.id}
        </div>
        <div>
          {t('till.time')}: {formatDateTime(o.createdAt, locale)}
        </div>
        {placedBy ? (
          <div>
            {t('till.cashier')}: {placedBy}
          </div>
        ) : null}
        <Divider style={{ margin: '8px 0' }} dashed />
        {o.lines.map((l) => (
          <div key={l.lineNo} style={{ display: 'flex', justifyContent: 'space-between', gap: 8 }}>
            <span>
              {l.name} ×{l.quantity}
            </span>
            <span>{formatFen(l.lineAmount)}</span>
          </div>
        ))}
        <Divider style={{ margin: '8px 0' }} dashed />
        <Row label={t('till.total')} value={formatFen(o.totalAmount)} />
        <Row label={t('till.discount')} value={`−${formatFen(o.discountAmount)}`} />
        <Row label={t('till.pointsAmount')} value={`−${formatFen(o.pointsAmount)}`} />
        <Row label={t('till.paid')} value={formatFen(o.paidAmount)} strong />
        {cash ? (
          <div data-testid="till-receipt-cash">
            <Row label={t('till.tendered')} value={formatFen(cash.tendered)} />
            <Row label={t('till.change')} value={formatFen(cash.change)} />
          </div>
        ) : null}
        <Divider style={{ margin: '8px 0' }} dashed />
        {o.fulfillments.map((f) => (
          <div key={f.id} data-testid="till-receipt-group">
            <div style={{ fontWeight: 600 }}>
              {f.type === 'carry_out'
                ? t('till.handedOver')
                : t('till.sentFrom', { location: nameOf(f.location) })}
            </div>
            {f.lines.map((l) => (
              <div key={l.sku}>
                {skuName(l.sku)} ×{l.quantity}
              </div>
            ))}
          </div>
        ))}
        {sentTo && o.fulfillment.type !== 'carry_out' ? (
          <div style={{ marginTop: 4 }}>
            {t('till.sendTo')}: {sentTo.city} {sentTo.line1 ?? ''} {sentTo.name ?? ''}
          </div>
        ) : null}
        {o.memberId ? (
          <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 8 }}>
            {t('till.pointsPending')}
          </Typography.Paragraph>
        ) : null}
        <div style={{ textAlign: 'center', marginTop: 8 }}>{t('till.thanks')}</div>
      </Card>
    </Space>
  );
}

function Row({ label, value, strong }: { label: string; value: string; strong?: boolean }) {
  return (
    <div style={{ display: 'flex', justifyContent: 'space-between', fontWeight: strong ? 600 : 400 }}>
      <span>{label}</span>
      <span data-testid={strong ? 'till-receipt-paid' : undefined}>{value}</span>
    </div>
  );
}
