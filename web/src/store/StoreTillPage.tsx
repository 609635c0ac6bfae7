import { DeleteOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Col,
  Divider,
  Input,
  InputNumber,
  Radio,
  Row,
  Space,
  Switch,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { lookupMember, memberLabel, memberOfCode } from '../api/members';
import {
  cancelOrder,
  getOrder,
  type OrderQuote,
  payOrder,
  payOrderInCash,
  placeOrder,
  quoteOrder,
} from '../api/orders';
import type { Sku } from '../api/types';
import { useSession } from '../auth/AuthProvider';
import { SimpleTable } from '../components/SimpleTable';
import { SkuScanField } from '../components/SkuScanField';
import { ErrorAlert } from '../components/States';
import { formatFen } from '../format';
import { useCatalogueI18n } from '../i18n/catalogue';
import { TillCashPay } from './TillCashPay';
import { TillDayCard } from './TillDayCard';
import { type SendTo, TillSendCard, useSendAddress } from './TillSendCard';
import { useWorkbenchStore } from './tasks';
import { tillMessages } from './till.messages';
import { useShelfStock } from './tillShelf';

interface TillLine {
  sku: Sku;
  quantity: number;
}

interface TillMember {
  memberId: string;
  label: string;
  tier: string | null;
  /** The member code she showed (her coupons can be used while it is current); absent when found by phone. */
  code?: string;
}

const MEMBER_CODE = /^8\d{17}$/;

/**
 * The till: scan items (a scanner types the barcode and Enter), scan her member code or type her phone, her
 * coupons and points priced by the server, then the sale is an order of channel `pos` carried out at this store —
 * or sent to her from wherever the goods are when the shelf lacks them (endless aisle) — paid by the customer's
 * QR payment or in cash counted at the till; a receipt to print. A sale not yet paid can be voided.
 */
export default function StoreTillPage() {
  const { t } = useCatalogueI18n(tillMessages);
  const navigate = useNavigate();
  const session = useSession();
  const store = useWorkbenchStore();
  const [lines, setLines] = useState<TillLine[]>([]);
  const [scanned, setScanned] = useState<Sku>();
  const [memberInput, setMemberInput] = useState('');
  const [member, setMember] = useState<TillMember>();
  const [coupon, setCoupon] = useState<string | null>(null);
  const [usePoints, setUsePoints] = useState(false);
  const [quote, setQuote] = useState<OrderQuote>();
  // The sale once it is an order (as placed or as voided: no payments yet).
  const [order, setOrder] = useState<Awaited<ReturnType<typeof placeOrder>>>();
  const [paying, setPaying] = useState(false);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const latest = useRef(0);
  // The day's summary is read again when a sale is voided or the next one starts.
  const [finished, setFinished] = useState(0);
  const [send, setSend] = useState(false);
  const [sendTo, setSendTo] = useState<SendTo>({ city: '', line1: '', name: '', phone: '' });
  const address = useSendAddress(sendTo);
  const shelf = useShelfStock(
    store,
    lines.map((l) => l.sku.code),
    finished,
  );
  const short = lines.filter((l) => (shelf.get(l.sku.code) ?? Number.POSITIVE_INFINITY) < l.quantity);

  const scan = (sku: Sku | undefined) => {
    if (!sku) return;
    setLines((all) =>
      all.some((l) => l.sku.code === sku.code)
        ? all.map((l) => (l.sku.code === sku.code ? { ...l, quantity: l.quantity + 1 } : l))
        : [...all, { sku, quantity: 1 }],
    );
    // The field is ready for the next item at once.
    setScanned(undefined);
  };

  const buyer = member?.code ? { memberCode: member.code } : member ? { memberId: member.memberId } : {};
  const basket = lines.map((l) => ({ sku: l.sku.code, quantity: l.quantity }));
  const points = usePoints ? (quote?.points?.maxPoints ?? 0) : 0;
  // What the server prices, as text: the quote is asked again exactly when it changes.
  const request =
    basket.length === 0 || order
      ? ''
      : JSON.stringify({
          channel: 'pos',
          storeCode: store,
          ...buyer,
          lines: basket,
          ...(coupon ? { couponCodes: [coupon] } : {}),
          ...(points > 0 ? { pointsToRedeem: points } : {}),
        });

  useEffect(() => {
    const ticket = ++latest.current;
    if (!request) {
      setQuote(undefined);
      return;
    }
    const timer = setTimeout(async () => {
      try {
        const priced = await quoteOrder(JSON.parse(request));
        if (ticket === latest.current) {
          setQuote(priced);
          setError(undefined);
        }
      } catch (e) {
        if (ticket === latest.current) setError(e);
      }
    }, 150);
    return () => clearTimeout(timer);
  }, [request]);

  const identify = async () => {
    const value = memberInput.trim();
    if (!value) return;
    setError(undefined);
    try {
      const found = MEMBER_CODE.test(value)
        ? await memberOfCode(value)
        : await lookupMember({ type: 'phone', value });
      setMember({
        memberId: found.id,
        label: memberLabel(found),
        tier: found.tier?.name ?? null,
        ...(MEMBER_CODE.test(value) ? { code: value } : {}),
      });
      setMemberInput('');
      setCoupon(null);
      setUsePoints(false);
    } catch (e) {
      setError(e);
    }
  };

  const checkout = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const placed = await placeOrder({
        channel: 'pos',
        storeCode: store,
        ...buyer,
        ...(session.role === 'guide' ? { guide: session.username } : {}),
        lines: basket,
        // Sent: a delivery of this pos sale, sourced from wherever the goods are (the store's own shelf or not).
        fulfillment: send && address ? { type: 'delivery', address } : { type: 'carry_out' },
        ...(quote?.couponCodes.length ? { couponCodes: quote.couponCodes } : {}),
        ...(quote?.pointsAmount && quote.points ? { pointsToRedeem: quote.points.redeemed } : {}),
      });
      setOrder(placed);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const pay = async (tendered?: number) => {
    if (!order) return;
    setPaying(true);
    setError(undefined);
    try {
      const due = order.payableAmount - order.paidAmount;
      if (tendered === undefined) await payOrder(order.id, due);
      else await payOrderInCash(order.id, due, tendered);
      // The provider's notification (or, for cash, the payment's outcome taken at once) makes it paid a moment
      // later: the order hub applies both the same way.
      for (let i = 0; i < 60; i++) {
        const now = await getOrder(order.id);
        if (now.status !== 'pending_payment') {
          navigate(`/store/till/receipt/${encodeURIComponent(order.id)}`);
          return;
        }
        await new Promise((r) => setTimeout(r, 500));
      }
    } catch (e) {
      setError(e);
    } finally {
      setPaying(false);
    }
  };

  const voidSale = async () => {
    if (!order) return;
    setBusy(true);
    try {
      setOrder(await cancelOrder(order.id, 'voided at the till'));
      setFinished((n) => n + 1);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const nextSale = () => {
    setFinished((n) => n + 1);
    setLines([]);
    setMember(undefined);
    setCoupon(null);
    setUsePoints(false);
    setOrder(undefined);
    setError(undefined);
    setSend(false);
    setSendTo({ city: '', line1: '', name: '', phone: '' });
  };

  const usable = (quote?.coupons ?? []).filter((o) => o.applicable);
  const shown = order ?? quote;
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={14}>
        <Card title={t('till.lines')}>
          <Space direction="vertical" style={{ width: '100%' }} size="middle">
            {order ? null : (
              <SkuScanField
                value={scanned}
                onChange={scan}
                testId="till-scan"
                placeholder={t('till.scanSku')}
              />
            )}
            <SimpleTable
              rowKey={(l) => l.sku.code}
              rows={lines}
              empty={t('till.empty')}
              testId="till-lines"
              columns={[
                { key: 'sku', title: t('till.lines'), render: (l) => `${l.sku.name} · ${l.sku.code}` },
                {
                  key: 'price',
                  title: t('till.unitPrice'),
                  render: (l) => formatFen(l.sku.price),
                  align: 'right',
                },
                {
                  key: 'shelf',
                  title: t('till.shelf'),
                  align: 'right',
                  render: (l) => {
                    const here = shelf.get(l.sku.code);
                    if (here === undefined) return '…';
                    return here >= l.quantity ? (
                      here
                    ) : (
                      <Tag color="red" data-testid="till-short">
                        {t('till.shelfShort', { available: here })}
                      </Tag>
                    );
                  },
                },
                {
                  key: 'quantity',
                  title: t('till.quantity'),
                  render: (l) => (
                    <InputNumber
                      min={1}
                      max={99}
                      precision={0}
                      disabled={order !== undefined}
                      value={l.quantity}
                      onChange={(v) =>
                        setLines((all) =>
                          all.map((x) =>
                            x.sku.code === l.sku.code ? { ...x, quantity: typeof v === 'number' ? v : 1 } : x,
                          ),
                        )
                      }
                    />
                  ),
                },
                {
                  key: 'remove',
                  title: '',
                  render: (l) =>
                    order ? null : (
                      <Button
                        aria-label={t('till.remove')}
                        icon={<DeleteOutlined />}
                        onClick={() => setLines((all) => all.filter((x) => x.sku.code !== l.sku.code))}
                      />
                    ),
                },
              ]}
            />
          </Space>
        </Card>
      </Col>
      <Col xs={24} lg={10}>
        <Space direction="vertical" style={{ width: '100%' }} size="middle">
          <Card title={t('till.member')} data-testid="till-member">
            {member ? (
              <Space wrap>
                <Typography.Text strong data-testid="till-member-name">
                  {member.label}
                </Typography.Text>
                {member.tier ? <Tag color="gold">{member.tier}</Tag> : null}
                <Typography.Text type="secondary">
                  {member.code ? t('till.memberByCode') : t('till.memberByPhone')}
                </Typography.Text>
                {order ? null : <Button onClick={() => setMember(undefined)}>{t('till.clearMember')}</Button>}
              </Space>
            ) : (
              <Input
                size="large"
                value={memberInput}
                onChange={(e) => setMemberInput(e.target.value)}
                onPressEnter={identify}
                placeholder={t('till.memberPlaceholder')}
                data-testid="till-member-input"
                disabled={order !== undefined}
              />
            )}
          </Card>
          {member && quote && !order ? (
            <Card title={t('till.coupons')} size="small">
              <Radio.Group
                value={coupon}
                onChange={(e) => setCoupon(e.target.value)}
                data-testid="till-coupons"
              >
                <Space direction="vertical">
                  <Radio value={null}>{t('till.noCoupon')}</Radio>
                  {usable.map((o) => (
                    <Radio key={o.coupon.code} value={o.coupon.code} disabled={!member.code}>
                      {o.coupon.name} · {t('till.couponOff', { amount: formatFen(o.amount ?? 0) })}
                    </Radio>
                  ))}
                </Space>
              </Radio.Group>
              {quote.points && quote.points.maxPoints > 0 ? (
                <div style={{ marginTop: 12 }}>
                  <Switch checked={usePoints} onChange={setUsePoints} data-testid="till-use-points" />{' '}
                  {t('till.usePoints', {
                    points: quote.points.maxPoints,
                    amount: formatFen(quote.points.maxAmount),
                  })}
                </div>
              ) : null}
            </Card>
          ) : null}
          {short.length > 0 && !send && !order ? (
            <Alert type="warning" showIcon message={t('till.shortHint')} data-testid="till-short-hint" />
          ) : null}
          <TillSendCard
            store={store}
            send={send}
            onSend={setSend}
            to={sendTo}
            onTo={setSendTo}
            locked={order !== undefined}
          />
          <Card data-testid="till-totals">
            <Space direction="vertical" style={{ width: '100%' }}>
              <Row justify="space-between">
                <span>{t('till.total')}</span>
                <span>{formatFen(shown?.totalAmount ?? 0)}</span>
              </Row>
              <Row justify="space-between">
                <span>{t('till.discount')}</span>
                <span>−{formatFen(shown?.discountAmount ?? 0)}</span>
              </Row>
              <Row justify="space-between">
                <span>{t('till.pointsAmount')}</span>
                <span>−{formatFen(shown?.pointsAmount ?? 0)}</span>
              </Row>
              <Row justify="space-between" style={{ fontSize: 22, fontWeight: 600 }}>
                <span>{t('till.payable')}</span>
                <span data-testid="till-payable">{formatFen(shown?.payableAmount ?? 0)}</span>
              </Row>
              <ErrorAlert error={error} />
              {order?.status === 'cancelled' ? (
                <Alert type="info" showIcon message={t('till.voided')} data-testid="till-voided" />
              ) : null}
              {!order ? (
                <Button
                  type="primary"
                  size="large"
                  block
                  disabled={!quote || lines.length === 0 || (send && !address)}
                  loading={busy}
                  onClick={checkout}
                  data-testid="till-checkout"
                >
                  {send ? t('till.checkoutSend') : t('till.checkout')}
                </Button>
              ) : order.status === 'pending_payment' ? (
                <Space direction="vertical" style={{ width: '100%' }}>
                  <Button
                    type="primary"
                    size="large"
                    block
                    loading={paying}
                    onClick={() => pay()}
                    data-testid="till-pay"
                  >
                    {paying ? t('till.paying') : t('till.pay')}
                  </Button>
                  <Divider plain style={{ margin: '4px 0' }}>
                    {t('till.orCash')}
                  </Divider>
                  <TillCashPay
                    due={order.payableAmount - order.paidAmount}
                    busy={paying}
                    onTake={(tendered) => pay(tendered)}
                  />
                  <Button
                    danger
                    block
                    disabled={paying}
                    loading={busy}
                    onClick={voidSale}
                    data-testid="till-void"
                  >
                    {t('till.void')}
                  </Button>
                </Space>
              ) : (
                <Space direction="vertical" style={{ width: '100%' }}>
                  {order.status !== 'cancelled' ? (
                    <Button
                      size="large"
                      block
                      onClick={() => navigate(`/store/till/receipt/${encodeURIComponent(order.id)}`)}
                    >
                      {t('till.receipt')}
                    </Button>
                  ) : null}
                  <Button size="large" block onClick={nextSale} data-testid="till-next">
                    {t('till.newSale')}
                  </Button>
                </Space>
              )}
            </Space>
          </Card>
          <TillDayCard store={store} version={finished} />
        </Space>
      </Col>
    </Row>
  );
}
