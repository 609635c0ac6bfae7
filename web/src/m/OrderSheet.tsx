import { AimOutlined } from '@ant-design/icons';
import { Button, Drawer, Form, Input, InputNumber, Radio, Select, Space, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { useLocations } from '../api/catalog';
import { type NewOrder, placeOrder } from '../api/orders';
import type { Location, Sku } from '../api/types';
import { ErrorAlert } from '../components/States';
import { formatFen } from '../format';
import { useT } from '../i18n/I18nProvider';
import { CheckoutBenefits, useCheckoutQuote } from './CheckoutBenefits';

type Way = 'pickup' | 'delivery' | 'same_day';

interface Position {
  lat: number;
  lng: number;
  /** Where the position came from: the phone, or the middle of the brand's stores in that city (approximate). */
  source: 'device' | 'city';
}

/** The middle of the brand's locations in a city: an approximate position when the phone gives none. */
function cityCentre(locations: Location[], city: string): Position | undefined {
  const inCity = locations.filter((l) => l.city === city);
  if (inCity.length === 0) return undefined;
  return {
    lat: inCity.reduce((s, l) => s + l.lat, 0) / inCity.length,
    lng: inCity.reduce((s, l) => s + l.lng, 0) / inCity.length,
    source: 'city',
  };
}

/**
 * Ordering from the shelf-QR page: quantity; pick up here, delivery, or same-day when this store offers it;
 * placed with the customer's own token as a mini-program order attributed to this store, then paid on the
 * order's page.
 */
export function OrderSheet({
  open,
  onClose,
  sku,
  store,
  availableHere,
}: {
  open: boolean;
  onClose(): void;
  sku: Sku;
  store: Location | undefined;
  availableHere: number;
}) {
  const t = useT();
  const navigate = useNavigate();
  const { locations } = useLocations();
  const canPickup = Boolean(store?.capabilities?.pickup) && store?.kind === 'store';
  const sameDayKm = store?.capabilities?.sameDayRadiusKm ?? null;
  const canSameDay = sameDayKm !== null && sameDayKm > 0;
  const [way, setWay] = useState<Way>(canPickup && availableHere > 0 ? 'pickup' : 'delivery');
  const [quantity, setQuantity] = useState(1);
  const [city, setCity] = useState<string | undefined>(store?.city);
  const [line1, setLine1] = useState('');
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [devicePosition, setDevicePosition] = useState<Position>();
  const [locating, setLocating] = useState(false);
  const [positionError, setPositionError] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (store?.city && !city) setCity(store.city);
  }, [store?.city, city]);

  const storeCode = store?.kind === 'store' ? store.code : undefined;
  const basket = useMemo(
    () =>
      open
        ? {
            channel: 'mini_program' as const,
            ...(storeCode ? { storeCode } : {}),
            lines: [{ sku: sku.code, quantity }],
          }
        : null,
    [open, storeCode, sku.code, quantity],
  );
  const checkout = useCheckoutQuote(basket);
  const quote = checkout.quote;

  const cities = useMemo(() => [...new Set((locations ?? []).map((l) => l.city))].sort(), [locations]);
  const position: Position | undefined =
    devicePosition ?? (city && locations ? cityCentre(locations, city) : undefined);
  const needsAddress = way !== 'pickup';
  const addressReady = !needsAddress || (Boolean(city) && Boolean(line1.trim()) && position !== undefined);

  const locate = () => {
    if (!navigator.geolocation) {
      setPositionError(t('m.noGeolocation'));
      return;
    }
    setLocating(true);
    setPositionError(undefined);
    navigator.geolocation.getCurrentPosition(
      (p) => {
        setDevicePosition({ lat: p.coords.latitude, lng: p.coords.longitude, source: 'device' });
        setLocating(false);
      },
      (e) => {
        setPositionError(`${t('m.noGeolocation')} (${e.message})`);
        setLocating(false);
      },
      { timeout: 8000, maximumAge: 300_000 },
    );
  };

  const place = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const address =
        position && city
          ? {
              city,
              lat: position.lat,
              lng: position.lng,
              line1: line1.trim(),
              ...(name.trim() ? { name: name.trim() } : {}),
              ...(phone.trim() ? { phone: phone.trim() } : {}),
            }
          : undefined;
      // The button waits for what the way needs (a store, a located address); the server checks it again.
      const fulfillment: NewOrder['fulfillment'] | undefined =
        way === 'pickup'
          ? store && { type: 'pickup', store: store.code }
          : address && (way === 'same_day' ? { type: 'same_day', address } : { type: 'delivery', address });
      if (!fulfillment) return;
      // The coupons and points of the price she saw; the server prices and checks them again.
      const order = await placeOrder({
        ...basket!,
        fulfillment,
        ...(quote && quote.couponCodes.length > 0 ? { couponCodes: quote.couponCodes } : {}),
        ...(quote?.points && quote.points.redeemed > 0 ? { pointsToRedeem: quote.points.redeemed } : {}),
      });
      navigate(`/m/orders/${encodeURIComponent(order.id)}`);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      placement="bottom"
      height="auto"
      title={t('m.orderTitle')}
      styles={{ wrapper: { maxWidth: 480, margin: '0 auto' }, body: { paddingBottom: 24 } }}
      destroyOnHidden
    >
      <Form layout="vertical">
        <ErrorAlert error={error} />
        <Space style={{ justifyContent: 'space-between', width: '100%', marginBottom: 12 }}>
          <span>{sku.name}</span>
          <strong style={{ color: '#c8102e' }}>{formatFen(sku.price)}</strong>
        </Space>
        <Form.Item label={t('order.quantity')}>
          <InputNumber
            min={1}
            max={999}
            precision={0}
            size="large"
            value={quantity}
            onChange={(v) => setQuantity(typeof v === 'number' && v >= 1 ? v : 1)}
            data-testid="m-quantity"
          />
        </Form.Item>
        <Form.Item label={t('m.howToGet')}>
          <Radio.Group
            value={way}
            onChange={(e) => setWay(e.target.value as Way)}
            optionType="button"
            buttonStyle="solid"
            size="large"
          >
            {canPickup ? (
              <Radio.Button value="pickup">
                <span data-testid="m-way-pickup">{t('m.pickupHere')}</span>
              </Radio.Button>
            ) : null}
            <Radio.Button value="delivery">
              <span data-testid="m-way-delivery">{t('fulfillmentType.ship')}</span>
            </Radio.Button>
            {canSameDay ? (
              <Radio.Button value="same_day">
                <span data-testid="m-way-same-day">{t('fulfillmentType.same_day')}</span>
              </Radio.Button>
            ) : null}
          </Radio.Group>
        </Form.Item>
        {way === 'pickup' ? (
          <Typography.Paragraph type="secondary">
            {t('m.pickupExplain', { store: store?.name ?? store?.code ?? '' })}
            {availableHere < quantity ? ` ${t('m.pickupTransferHint')}` : ''}
          </Typography.Paragraph>
        ) : (
          <>
            {way === 'same_day' ? (
              <Typography.Paragraph type="secondary">
                {t('m.sameDayExplain', { km: sameDayKm ?? 0 })}
              </Typography.Paragraph>
            ) : null}
            <Form.Item label={t('address.city')} required>
              <Select
                value={city}
                onChange={(v: string) => {
                  setCity(v);
                  setDevicePosition(undefined);
                }}
                options={cities.map((c) => ({ value: c, label: c }))}
                size="large"
              />
            </Form.Item>
            <Form.Item label={t('address.line1')} required>
              <Input size="large" value={line1} maxLength={200} onChange={(e) => setLine1(e.target.value)} />
            </Form.Item>
            <Space.Compact style={{ width: '100%', marginBottom: 16 }}>
              <Input
                size="large"
                placeholder={t('address.name')}
                value={name}
                maxLength={50}
                onChange={(e) => setName(e.target.value)}
              />
              <Input
                size="large"
                placeholder={t('m.phone')}
                inputMode="tel"
                value={phone}
                maxLength={30}
                onChange={(e) => setPhone(e.target.value)}
              />
            </Space.Compact>
            <Space direction="vertical" size={4} style={{ marginBottom: 16 }}>
              <Button icon={<AimOutlined />} loading={locating} onClick={locate}>
                {t('m.useMyLocation')}
              </Button>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {position
                  ? position.source === 'device'
                    ? t('m.positionDevice', { lat: position.lat.toFixed(4), lng: position.lng.toFixed(4) })
                    : t('m.positionCity', { city: city ?? '' })
                  : t('m.positionNone')}
              </Typography.Text>
              {positionError ? <Typography.Text type="danger">{positionError}</Typography.Text> : null}
            </Space>
          </>
        )}
        <ErrorAlert error={checkout.error} />
        {quote && quote.lines[0]?.quantity === quantity ? (
          <CheckoutBenefits
            quote={quote}
            choice={checkout.choice}
            onChange={checkout.change}
            refusal={checkout.refusal}
          />
        ) : (
          <Space style={{ justifyContent: 'space-between', width: '100%', marginBottom: 12 }}>
            <span>{t('order.total')}</span>
            <strong style={{ fontSize: 20 }}>{formatFen(sku.price * quantity)}</strong>
          </Space>
        )}
        <Button
          type="primary"
          size="large"
          block
          loading={busy}
          disabled={!addressReady || quote === undefined || quote.lines[0]?.quantity !== quantity}
          onClick={place}
          data-testid="m-place-order"
        >
          {t('m.placeOrder')}
        </Button>
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 8, marginBottom: 0 }}>
          {t('m.priceFinalHint')}
        </Typography.Paragraph>
      </Form>
    </Drawer>
  );
}
