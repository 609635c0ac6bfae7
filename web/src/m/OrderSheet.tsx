import { AimOutlined } from '@ant-design/icons';
import { Button, Drawer, Form, Input, InputNumber, Radio, Select, Space, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { cityCentre, useLocations } from '../api/catalog';
import { useApi } from '../api/hooks';
import { fulfillmentOptions, type NewOrder, placeOrder } from '../api/orders';
import type { Location, Sku } from '../api/types';
import { ErrorAlert } from '../components/States';
import { formatFen } from '../format';
import { useCatalogueI18n } from '../i18n/catalogue';
import { CheckoutBenefits, useCheckoutQuote } from './CheckoutBenefits';
import { DeliveryDay } from './DeliveryDay';
import { shopMessages } from './shop.messages';
import { WayNote } from './WayNote';

type Way = 'pickup' | 'delivery' | 'same_day';

/** The middle of the brand's locations in her city, when the phone gives no position (approximate). */
function cityPosition(locations: Location[], city: string): Position | undefined {
  const centre = cityCentre(locations, city);
  return centre && { ...centre, source: 'city' };
}

interface Position {
  lat: number;
  lng: number;
  /** Where the position came from: the phone, or the middle of the brand's stores in that city (approximate). */
  source: 'device' | 'city';
}

/** A line to order: the SKU as the page shows it, and how many. */
export interface SheetLine {
  sku: Pick<Sku, 'code' | 'name' | 'price'>;
  quantity: number;
}

/**
 * Checkout on her phone, for one SKU from the shelf-QR page (its quantity chosen here) or for her cart's lines:
 * pick up at a store, delivery, or same-day where a store offers it; her coupons and points; placed with her own
 * token as a mini-program order attributed to the store she scanned in, then paid on the order's page.
 */
export function OrderSheet({
  open,
  onClose,
  lines: given,
  store,
  availableHere,
  quantityEditable = false,
  onPlaced,
}: {
  open: boolean;
  onClose(): void;
  lines: SheetLine[];
  /** The store she scanned in (pickup there, same-day from there, the order attributed to it). */
  store: Location | undefined;
  /** Units of a single SKU on this store's shelf (a pickup beyond that waits for a transfer). */
  availableHere?: number;
  /** One SKU whose quantity she chooses here (the shelf-QR page); a cart's quantities are set in the cart. */
  quantityEditable?: boolean;
  onPlaced?(orderId: string): void;
}) {
  const { t } = useCatalogueI18n(shopMessages);
  const navigate = useNavigate();
  const { locations } = useLocations();
  const pickupStores = useMemo(
    () => (locations ?? []).filter((l) => l.kind === 'store' && l.active && l.capabilities?.pickup),
    [locations],
  );
  const scannedStore = store?.kind === 'store' ? store : undefined;
  const [pickupCode, setPickupCode] = useState<string | undefined>(
    scannedStore?.capabilities?.pickup ? scannedStore.code : undefined,
  );
  // The shelf-QR page offers pickup in the store she stands in; a cart lets her choose (the scanned store first).
  const choosesStore = !quantityEditable || !scannedStore;
  const pickupStore = choosesStore ? pickupStores.find((l) => l.code === pickupCode) : scannedStore;
  const canPickup = choosesStore ? pickupStores.length > 0 : Boolean(scannedStore?.capabilities?.pickup);
  const sameDayKm = scannedStore
    ? (scannedStore.capabilities?.sameDayRadiusKm ?? null)
    : Math.max(0, ...pickupStores.map((l) => l.capabilities?.sameDayRadiusKm ?? 0)) || null;
  const canSameDay = sameDayKm !== null && sameDayKm > 0;
  const [way, setWay] = useState<Way>(
    pickupCode !== undefined && (availableHere === undefined || availableHere > 0) ? 'pickup' : 'delivery',
  );
  const [lines, setLines] = useState<SheetLine[]>(given);
  const [city, setCity] = useState<string | undefined>(store?.city);
  const [line1, setLine1] = useState('');
  const [deliveryDay, setDeliveryDay] = useState<string>();
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

  // The order belongs to the store she scanned in, else to the store she picks up at.
  const storeCode = scannedStore?.code ?? (way === 'pickup' ? pickupStore?.code : undefined);
  const basketLines = useMemo(() => lines.map((l) => ({ sku: l.sku.code, quantity: l.quantity })), [lines]);
  const basket = useMemo(
    () =>
      open
        ? {
            channel: 'mini_program' as const,
            ...(storeCode ? { storeCode } : {}),
            lines: basketLines,
          }
        : null,
    [open, storeCode, basketLines],
  );
  const checkout = useCheckoutQuote(basket);
  const quote = checkout.quote;
  // The quote shown is the quote of these lines (not of the quantity before her last tap).
  const quoteCurrent =
    quote !== undefined &&
    JSON.stringify(quote.lines.map((l) => [l.sku, l.quantity])) ===
      JSON.stringify(basketLines.map((l) => [l.sku, l.quantity]));
  const listTotal = lines.reduce((sum, l) => sum + l.sku.price * l.quantity, 0);
  const single = lines.length === 1 ? lines[0] : undefined;

  const cities = useMemo(() => [...new Set((locations ?? []).map((l) => l.city))].sort(), [locations]);
  const position: Position | undefined =
    devicePosition ?? (city && locations ? cityPosition(locations, city) : undefined);
  const needsAddress = way !== 'pickup';
  const addressReady = !needsAddress || (Boolean(city) && Boolean(line1.trim()) && position !== undefined);
  // What sourcing can do for these lines at the chosen store and address, asked again as they change.
  const optionsRequest = open
    ? JSON.stringify({
        channel: 'mini_program' as const,
        ...(storeCode ? { storeCode } : {}),
        lines: basketLines,
        stores: pickupStore ? [pickupStore.code] : [],
        ...(position && city ? { position: { city, lat: position.lat, lng: position.lng } } : {}),
      })
    : null;
  const options = useApi(
    optionsRequest === null ? null : (signal) => fulfillmentOptions(JSON.parse(optionsRequest), signal),
    [optionsRequest],
  );
  const chosen = options.data?.items.find(
    (o) => o.type === way && (way !== 'pickup' || o.store === pickupStore?.code),
  );

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
          ? pickupStore && { type: 'pickup', store: pickupStore.code }
          : address && {
              type: way === 'same_day' ? ('same_day' as const) : ('delivery' as const),
              address,
              ...(deliveryDay ? { scheduledDate: deliveryDay } : {}),
            };
      if (!fulfillment) return;
      // The coupons and points of the price she saw; the server prices and checks them again.
      const order = await placeOrder({
        ...basket!,
        fulfillment,
        ...(quote && quote.couponCodes.length > 0 ? { couponCodes: quote.couponCodes } : {}),
        ...(quote?.points && quote.points.redeemed > 0 ? { pointsToRedeem: quote.points.redeemed } : {}),
      });
      onPlaced?.(order.id);
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
        {lines.map((l) => (
          <Space
            key={l.sku.code}
            style={{ justifyContent: 'space-between', width: '100%', marginBottom: 12 }}
            data-testid={`m-sheet-line-${l.sku.code}`}
          >
            <span>
              {l.sku.name}
              {quantityEditable ? '' : ` × ${l.quantity}`}
            </span>
            <strong style={{ color: '#c8102e' }}>
              {formatFen(l.sku.price * (quantityEditable ? 1 : l.quantity))}
            </strong>
          </Space>
        ))}
        {quantityEditable && single ? (
          <Form.Item label={t('order.quantity')}>
            <InputNumber
              min={1}
              max={999}
              precision={0}
              size="large"
              value={single.quantity}
              onChange={(v) =>
                setLines([{ sku: single.sku, quantity: typeof v === 'number' && v >= 1 ? v : 1 }])
              }
              data-testid="m-quantity"
            />
          </Form.Item>
        ) : null}
        <Form.Item label={t('m.howToGet')}>
          <Radio.Group
            value={way}
            onChange={(e) => {
              setWay(e.target.value as Way);
              setDeliveryDay(undefined);
            }}
            optionType="button"
            buttonStyle="solid"
            size="large"
          >
            {canPickup ? (
              <Radio.Button value="pickup">
                <span data-testid="m-way-pickup">
                  {t(choosesStore ? 'fulfillmentType.pickup' : 'm.pickupHere')}
                </span>
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
          <>
            {choosesStore ? (
              <Form.Item label={t('cart.pickupStore')} required>
                <Select
                  value={pickupCode}
                  onChange={(v: string) => setPickupCode(v)}
                  options={pickupStores.map((l) => ({ value: l.code, label: `${l.name} · ${l.city}` }))}
                  size="large"
                  showSearch
                  optionFilterProp="label"
                  data-testid="m-pickup-store"
                />
              </Form.Item>
            ) : null}
            {pickupStore ? (
              <Typography.Paragraph type="secondary">
                {t('m.pickupExplain', { store: pickupStore.name })}
              </Typography.Paragraph>
            ) : null}
          </>
        ) : (
          <>
            {way === 'same_day' ? (
              <Typography.Paragraph type="secondary">
                {t('m.sameDayExplain', { km: sameDayKm ?? 0 })}
              </Typography.Paragraph>
            ) : null}
            <Form.Item label={t('day.label')}>
              <DeliveryDay
                key={way}
                sameDay={way === 'same_day'}
                bookable={chosen?.bookable}
                value={deliveryDay}
                onChange={setDeliveryDay}
              />
            </Form.Item>
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
              <Input
                size="large"
                value={line1}
                maxLength={200}
                onChange={(e) => setLine1(e.target.value)}
                data-testid="m-address-line1"
              />
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
        <WayNote
          option={chosen}
          storeName={(code) => locations?.find((l) => l.code === code)?.name ?? code}
        />
        <ErrorAlert error={checkout.error} />
        {quote && quoteCurrent ? (
          <CheckoutBenefits
            quote={quote}
            choice={checkout.choice}
            onChange={checkout.change}
            refusal={checkout.refusal}
          />
        ) : (
          <Space style={{ justifyContent: 'space-between', width: '100%', marginBottom: 12 }}>
            <span>{t('order.total')}</span>
            <strong style={{ fontSize: 20 }}>{formatFen(listTotal)}</strong>
          </Space>
        )}
        <Button
          type="primary"
          size="large"
          block
          loading={busy}
          disabled={
            !addressReady ||
            !quoteCurrent ||
            (way === 'pickup' && !pickupStore) ||
            chosen?.available === false
          }
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
