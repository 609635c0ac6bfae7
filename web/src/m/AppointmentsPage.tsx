import { App, Button, Card, Input, List, Popconfirm, Select, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import {
  type Appointment,
  bookAppointment,
  cancelAppointment,
  listSlots,
  myAppointments,
  SERVICE_KINDS,
  type ServiceKind,
  type Slot,
} from '../api/aftersales';
import { useLocations } from '../api/catalog';
import { messageOf } from '../api/client';
import { useApi } from '../api/hooks';
import { useAuth } from '../auth/AuthProvider';
import { brandClock, brandDay, shiftDay } from '../brandTime';
import { EmptyState, ErrorAlert, ErrorState, Loading } from '../components/States';
import { formatDateTime } from '../format';
import { useMoreI18n } from '../i18n/more';
import { codeLabel } from '../orders/OrderParts';
import { MobileHeader } from './MobileHeader';

const DAYS_AHEAD = 14;

/** Booking a service at a store (skin test, make-up, facial, after-sales check) and my upcoming bookings. */
export default function AppointmentsPage() {
  const { t, locale } = useMoreI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const { session } = useAuth();
  const { locations } = useLocations();
  const stores = (locations ?? []).filter((l) => l.kind === 'store' && l.active !== false);
  const [store, setStore] = useState<string | undefined>(session?.storeCode ?? undefined);
  const [service, setService] = useState<ServiceKind>('skin_test');
  const [day, setDay] = useState(() => brandDay());
  const [slot, setSlot] = useState<Slot>();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const mine = useApi(
    session?.memberId ? (signal) => myAppointments({ upcoming: true, limit: 20 }, signal) : null,
    [session?.memberId],
  );
  const slots = useApi(
    store ? (signal) => listSlots(store, { date: day, service, available: true }, signal) : null,
    [store, day, service],
  );
  const today = brandDay();
  const days = Array.from({ length: DAYS_AHEAD }, (_, i) => shiftDay(today, i));
  const now = Date.now();
  const open = (slots.data?.items ?? []).filter((s) => Date.parse(s.startsAt) > now && s.available > 0);

  const book = async () => {
    if (!store || !slot) return;
    setBusy(true);
    setError(undefined);
    try {
      await bookAppointment({
        store,
        service: slot.service,
        startsAt: slot.startsAt,
        channel: 'mini_program',
        ...(note.trim() ? { note: note.trim() } : {}),
      });
      message.success(t('mBook.booked'));
      setSlot(undefined);
      setNote('');
      mine.reload();
      slots.reload();
    } catch (e) {
      setError(e);
      slots.reload();
    } finally {
      setBusy(false);
    }
  };

  const cancel = async (a: Appointment) => {
    try {
      await cancelAppointment(a.id);
      message.success(t('appt.cancelled'));
      mine.reload();
      slots.reload();
    } catch (e) {
      message.error(messageOf(e));
    }
  };

  if (!session?.memberId) {
    return (
      <>
        <MobileHeader title={t('mBook.title')} onBack={() => navigate('/m')} />
        <Card bordered={false} style={{ margin: 12 }}>
          <EmptyState description={t('mPoints.customersOnly')} />
        </Card>
      </>
    );
  }
  return (
    <div style={{ paddingBottom: 24 }}>
      <MobileHeader title={t('mBook.title')} onBack={() => navigate('/m')} />
      <Card size="small" title={t('mBook.mine')} style={{ margin: 12 }}>
        {mine.error ? (
          <ErrorState error={mine.error} onRetry={mine.reload} />
        ) : !mine.data ? (
          <Loading />
        ) : mine.data.items.filter((a) => a.status === 'booked').length === 0 ? (
          <EmptyState description={t('mBook.none')} />
        ) : (
          <List
            data-testid="m-appointments"
            dataSource={mine.data.items.filter((a) => a.status === 'booked')}
            renderItem={(a) => (
              <List.Item
                key={a.id}
                extra={
                  <Popconfirm title={t('appt.cancelConfirm')} onConfirm={() => cancel(a)}>
                    <Button size="small">{t('common.cancel')}</Button>
                  </Popconfirm>
                }
              >
                <List.Item.Meta
                  title={`${codeLabel(t, 'service', a.service)} · ${locations?.find((l) => l.code === a.store)?.name ?? a.store}`}
                  description={formatDateTime(a.startsAt, locale, false)}
                />
              </List.Item>
            )}
          />
        )}
      </Card>
      <Card size="small" title={t('mBook.new')} style={{ margin: 12 }}>
        <Space direction="vertical" style={{ width: '100%' }} size="middle">
          <Select
            size="large"
            style={{ width: '100%' }}
            placeholder={t('mBook.pickStore')}
            value={store}
            onChange={(v: string) => {
              setStore(v);
              setSlot(undefined);
            }}
            data-testid="m-book-store"
            options={stores.map((l) => ({ value: l.code, label: `${l.name} · ${l.city}` }))}
          />
          <Select
            size="large"
            style={{ width: '100%' }}
            value={service}
            onChange={(v: ServiceKind) => {
              setService(v);
              setSlot(undefined);
            }}
            data-testid="m-book-service"
            options={SERVICE_KINDS.map((s) => ({ value: s, label: codeLabel(t, 'service', s) }))}
          />
          <div style={{ display: 'flex', gap: 6, overflowX: 'auto', paddingBottom: 4 }}>
            {days.map((d) => (
              <Button
                key={d}
                type={d === day ? 'primary' : 'default'}
                onClick={() => {
                  setDay(d);
                  setSlot(undefined);
                }}
                style={{ flex: 'none' }}
              >
                {d === today ? t('appt.today') : d.slice(5)}
              </Button>
            ))}
          </div>
          {!store ? (
            <Typography.Text type="secondary">{t('mBook.pickStore')}</Typography.Text>
          ) : slots.error ? (
            <ErrorAlert error={slots.error} />
          ) : slots.loading && !slots.data ? (
            <Loading />
          ) : open.length === 0 ? (
            <EmptyState description={t('mBook.noSlots')} />
          ) : (
            <Space wrap data-testid="m-book-slots">
              {open.map((s) => (
                <Button
                  key={s.id}
                  type={slot?.id === s.id ? 'primary' : 'default'}
                  onClick={() => setSlot(s)}
                  data-testid="m-book-slot"
                >
                  {brandClock(s.startsAt)}{' '}
                  <Tag style={{ marginLeft: 4, marginRight: 0 }}>{t('mBook.left', { n: s.available })}</Tag>
                </Button>
              ))}
            </Space>
          )}
          <Input.TextArea
            rows={2}
            maxLength={500}
            placeholder={t('appt.note')}
            value={note}
            onChange={(e) => setNote(e.target.value)}
          />
          <ErrorAlert error={error} />
          <Button
            type="primary"
            size="large"
            block
            disabled={!slot}
            loading={busy}
            onClick={book}
            data-testid="m-book-submit"
          >
            {slot ? t('mBook.confirm', { time: `${day} ${brandClock(slot.startsAt)}` }) : t('mBook.pickSlot')}
          </Button>
        </Space>
      </Card>
    </div>
  );
}
