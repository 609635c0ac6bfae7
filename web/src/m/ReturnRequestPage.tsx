import { Alert, Button, Card, Input, InputNumber, List, Radio, Select, Space, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { createReturn, listReturns, type ReturnMethodChoice } from '../api/aftersales';
import { useLocations } from '../api/catalog';
import { uuid } from '../api/client';
import { useApi } from '../api/hooks';
import { getOrder } from '../api/orders';
import { ErrorAlert, ErrorState, Loading } from '../components/States';
import { formatFen } from '../format';
import { useCatalogueI18n } from '../i18n/catalogue';
import { MobileHeader } from './MobileHeader';
import { RETURN_REASONS, returnsMessages } from './returns.messages';

type Method = 'store' | 'pickup' | 'drop_off';
const MAX_PHOTOS = 9;
const HTTPS = /^https:\/\/[^\s/?#@]+\S*$/;

/** Today on her phone's calendar, as the pickup day picker's first day (the server checks it in brand time). */
function localToday(): string {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 10);
}

/**
 * 申请售后: she picks the lines and how many of each (up to what is not returned already), a reason (a preset
 * and her own words), photos as links, and how the goods come back — to a store she chooses, or by courier
 * (collected from her address on a day she picks, or sent by herself). The server checks it all again.
 */
export default function ReturnRequestPage() {
  const { t } = useCatalogueI18n(returnsMessages);
  const navigate = useNavigate();
  const { id = '' } = useParams();
  const order = useApi((signal) => getOrder(id, signal), [id]);
  const earlier = useApi((signal) => listReturns({ orderId: id, limit: 50 }, signal), [id]);
  const { locations } = useLocations();
  const stores = (locations ?? []).filter((l) => l.kind === 'store' && l.active);
  const [quantities, setQuantities] = useState<Record<string, number>>({});
  const [reason, setReason] = useState<(typeof RETURN_REASONS)[number]>('shade');
  const [note, setNote] = useState('');
  const [photos, setPhotos] = useState<string[]>([]);
  const [photo, setPhoto] = useState('');
  const [method, setMethod] = useState<Method>('store');
  const [store, setStore] = useState<string>();
  const [day, setDay] = useState(localToday);
  const [address, setAddress] = useState({ city: '', line1: '', name: '', phone: '' });
  const [requestId] = useState(uuid);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  // What each SKU can still go back: bought, not cancelled, not on a return that was not withdrawn.
  const left = useMemo(() => {
    const claimed = new Map<string, number>();
    for (const r of earlier.data?.items ?? []) {
      if (r.status === 'cancelled') continue;
      for (const l of r.lines) claimed.set(l.sku, (claimed.get(l.sku) ?? 0) + l.quantity);
    }
    return new Map(
      (order.data?.lines ?? []).map((l) => [
        l.sku,
        Math.max(0, l.quantity - l.cancelledQuantity - (claimed.get(l.sku) ?? 0)),
      ]),
    );
  }, [order.data, earlier.data]);

  if (order.error || earlier.error) {
    return (
      <>
        <MobileHeader title={t('mret.title')} onBack={() => navigate(`/m/orders/${id}`)} />
        <ErrorState error={order.error ?? earlier.error} onRetry={order.reload} />
      </>
    );
  }
  if (!order.data || !earlier.data) return <Loading />;
  const o = order.data;

  const lines = Object.entries(quantities)
    .filter(([, q]) => q > 0)
    .map(([sku, quantity]) => ({ sku, quantity }));
  const addressDone = Object.values(address).every((v) => v.trim() !== '');
  const ready =
    lines.length > 0 && (method !== 'store' || !!store) && (method !== 'pickup' || (addressDone && !!day));
  const photoOk = HTTPS.test(photo.trim());

  const chosenMethod = (): ReturnMethodChoice =>
    method === 'store'
      ? { type: 'store' }
      : method === 'drop_off'
        ? { type: 'courier', mode: 'drop_off' }
        : {
            type: 'courier',
            mode: 'pickup',
            pickup: {
              day,
              address: {
                city: address.city.trim(),
                line1: address.line1.trim(),
                name: address.name.trim(),
                phone: address.phone.trim(),
              },
            },
          };

  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const preset = t(`mret.reason.${reason}`);
      const created = await createReturn({
        orderId: o.id,
        channel: 'mini_program',
        lines,
        reason: (note.trim() ? `${preset}：${note.trim()}` : preset).slice(0, 200),
        photos,
        method: chosenMethod(),
        ...(method === 'store' && store ? { location: store } : {}),
        clientRequestId: requestId,
      });
      navigate(`/m/returns/${created.id}`, { replace: true });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div style={{ paddingBottom: 24 }} data-testid="m-return-request">
      <MobileHeader title={t('mret.title')} onBack={() => navigate(`/m/orders/${o.id}`)} />
      <Card size="small" style={{ margin: 12 }} title={t('mret.items')}>
        <List
          dataSource={o.lines}
          renderItem={(l) => {
            const most = left.get(l.sku) ?? 0;
            return (
              <List.Item
                key={l.lineNo}
                extra={
                  <InputNumber
                    min={0}
                    max={most}
                    precision={0}
                    disabled={most === 0}
                    value={quantities[l.sku] ?? 0}
                    onChange={(v) =>
                      setQuantities((all) => ({ ...all, [l.sku]: typeof v === 'number' ? v : 0 }))
                    }
                    data-testid={`m-return-qty-${l.sku}`}
                  />
                }
              >
                <List.Item.Meta
                  title={l.name}
                  description={`${formatFen(l.paidAmount)} · ${most > 0 ? t('mret.left', { n: most }) : t('mret.noneLeft')}`}
                />
              </List.Item>
            );
          }}
        />
      </Card>
      <Card size="small" style={{ margin: 12 }} title={t('mret.reason')}>
        <Space wrap style={{ marginBottom: 8 }}>
          {RETURN_REASONS.map((r) => (
            <Tag.CheckableTag
              key={r}
              checked={reason === r}
              onChange={() => setReason(r)}
              data-testid={`m-return-reason-${r}`}
              style={{ padding: '4px 10px', border: '1px solid #d9d9d9' }}
            >
              {t(`mret.reason.${r}`)}
            </Tag.CheckableTag>
          ))}
        </Space>
        <Input.TextArea
          rows={2}
          maxLength={150}
          placeholder={t('mret.reasonHint')}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          data-testid="m-return-note"
        />
      </Card>
      <Card size="small" style={{ margin: 12 }} title={t('mret.photos')}>
        <Space.Compact style={{ width: '100%' }}>
          <Input
            value={photo}
            placeholder={t('mret.photoHint')}
            onChange={(e) => setPhoto(e.target.value)}
            status={photo.trim() && !photoOk ? 'error' : undefined}
            data-testid="m-return-photo"
          />
          <Button
            disabled={!photoOk || photos.length >= MAX_PHOTOS}
            onClick={() => {
              setPhotos((all) => [...all, photo.trim()]);
              setPhoto('');
            }}
            data-testid="m-return-photo-add"
          >
            {t('mret.photoAdd')}
          </Button>
        </Space.Compact>
        {photo.trim() && !photoOk ? (
          <Typography.Text type="danger">{t('mret.photoBad')}</Typography.Text>
        ) : null}
        <Space wrap style={{ marginTop: 8 }}>
          {photos.map((p, i) => (
            <Tag key={p} closable onClose={() => setPhotos((all) => all.filter((_, j) => j !== i))}>
              <img
                src={p}
                alt=""
                style={{ width: 40, height: 40, objectFit: 'cover', verticalAlign: 'middle' }}
              />
            </Tag>
          ))}
        </Space>
      </Card>
      <Card size="small" style={{ margin: 12 }} title={t('mret.method')}>
        <Space direction="vertical" style={{ width: '100%' }}>
          <Radio.Group
            value={method}
            onChange={(e) => setMethod(e.target.value as Method)}
            optionType="button"
            buttonStyle="solid"
            data-testid="m-return-method"
            options={(['store', 'pickup', 'drop_off'] as const).map((m) => ({
              value: m,
              label: t(`mret.method.${m}`),
            }))}
          />
          {method === 'store' ? (
            <Select
              style={{ width: '100%' }}
              placeholder={t('mret.storeHint')}
              value={store}
              onChange={setStore}
              showSearch
              optionFilterProp="label"
              data-testid="m-return-store"
              options={stores.map((s) => ({ value: s.code, label: `${s.name} · ${s.city}` }))}
            />
          ) : null}
          {method === 'pickup' ? (
            <>
              <Typography.Text type="secondary">{t('mret.pickupHint')}</Typography.Text>
              <Input
                type="date"
                addonBefore={t('mret.pickupDay')}
                value={day}
                min={localToday()}
                onChange={(e) => setDay(e.target.value)}
                data-testid="m-return-pickup-day"
              />
              {(['city', 'line1', 'name', 'phone'] as const).map((field) => (
                <Input
                  key={field}
                  placeholder={t(`mret.address.${field}`)}
                  value={address[field]}
                  inputMode={field === 'phone' ? 'tel' : undefined}
                  onChange={(e) => setAddress((a) => ({ ...a, [field]: e.target.value }))}
                  data-testid={`m-return-address-${field}`}
                />
              ))}
            </>
          ) : null}
          {method === 'drop_off' ? (
            <Typography.Text type="secondary">{t('mret.courierHint')}</Typography.Text>
          ) : null}
        </Space>
      </Card>
      <div style={{ margin: 12 }}>
        <ErrorAlert error={error} />
        {lines.length === 0 ? null : (
          <Alert
            type="info"
            style={{ marginBottom: 8 }}
            message={`${t('mret.refund')} ≈ ${formatFen(
              lines.reduce((sum, l) => {
                const line = o.lines.find((x) => x.sku === l.sku);
                return sum + (line ? Math.floor((line.paidAmount * l.quantity) / line.quantity) : 0);
              }, 0),
            )}`}
          />
        )}
        <Button
          type="primary"
          size="large"
          block
          disabled={!ready}
          loading={busy}
          onClick={submit}
          data-testid="m-return-submit"
        >
          {t('mret.submit')}
        </Button>
      </div>
    </div>
  );
}
