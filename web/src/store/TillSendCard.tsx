import { Card, Input, Select, Space, Switch, Typography } from 'antd';
import { useEffect, useMemo } from 'react';
import { cityCentre, useLocations } from '../api/catalog';
import { useCatalogueI18n } from '../i18n/catalogue';
import { tillMessages } from './till.messages';

interface Address {
  city: string;
  lat: number;
  lng: number;
  line1: string;
  name?: string;
  phone?: string;
}

export interface SendTo {
  city: string;
  line1: string;
  name: string;
  phone: string;
}

/**
 * Endless aisle (无限货架): the sale is sent to her instead of handed over — placed as a delivery, and the
 * sourcing engine picks the warehouse or store that holds the goods. The address is typed at the till (members
 * have no saved addresses in this API); its position is the middle of the brand's locations in that city, which
 * is what sourcing measures distance with.
 */
export function TillSendCard({
  store,
  send,
  onSend,
  to,
  onTo,
  locked,
}: {
  store: string;
  send: boolean;
  onSend: (send: boolean) => void;
  to: SendTo;
  onTo: (to: SendTo) => void;
  locked: boolean;
}) {
  const { t } = useCatalogueI18n(tillMessages);
  const { locations } = useLocations();
  const cities = useMemo(() => [...new Set((locations ?? []).map((l) => l.city))].sort(), [locations]);
  const home = locations?.find((l) => l.code === store)?.city;
  useEffect(() => {
    if (home && !to.city) onTo({ ...to, city: home });
  }, [home, to, onTo]);
  return (
    <Card size="small" data-testid="till-send">
      <Space direction="vertical" style={{ width: '100%' }}>
        <Space>
          <Switch checked={send} onChange={onSend} disabled={locked} data-testid="till-send-switch" />
          <Typography.Text strong>{t('till.sendToHer')}</Typography.Text>
        </Space>
        {send ? (
          <>
            <Typography.Text type="secondary">{t('till.sendExplain')}</Typography.Text>
            <Space.Compact style={{ width: '100%' }}>
              <Select
                style={{ width: 120 }}
                value={to.city || undefined}
                placeholder={t('till.sendCity')}
                disabled={locked}
                onChange={(city: string) => onTo({ ...to, city })}
                options={cities.map((c) => ({ value: c, label: c }))}
              />
              <Input
                value={to.line1}
                maxLength={200}
                disabled={locked}
                placeholder={t('till.sendLine1')}
                onChange={(e) => onTo({ ...to, line1: e.target.value })}
                data-testid="till-send-line1"
              />
            </Space.Compact>
            <Space.Compact style={{ width: '100%' }}>
              <Input
                value={to.name}
                maxLength={50}
                disabled={locked}
                placeholder={t('till.sendName')}
                onChange={(e) => onTo({ ...to, name: e.target.value })}
                data-testid="till-send-name"
              />
              <Input
                value={to.phone}
                maxLength={30}
                inputMode="tel"
                disabled={locked}
                placeholder={t('till.sendPhone')}
                onChange={(e) => onTo({ ...to, phone: e.target.value })}
                data-testid="till-send-phone"
              />
            </Space.Compact>
          </>
        ) : null}
      </Space>
    </Card>
  );
}

/** The delivery address of `to`, or undefined until it names a city the brand has locations in and a street. */
export function useSendAddress(to: SendTo): Address | undefined {
  const { locations } = useLocations();
  return useMemo(() => {
    const centre = cityCentre(locations ?? [], to.city);
    if (!centre || !to.line1.trim()) return undefined;
    return {
      city: to.city,
      ...centre,
      line1: to.line1.trim(),
      ...(to.name.trim() ? { name: to.name.trim() } : {}),
      ...(to.phone.trim() ? { phone: to.phone.trim() } : {}),
    };
  }, [locations, to]);
}
