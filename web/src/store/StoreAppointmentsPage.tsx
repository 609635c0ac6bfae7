import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { App, Button, Card, Col, Input, Popconfirm, Row, Space, Tag, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { type Appointment, cancelAppointment, type Slot, storeCalendar } from '../api/aftersales';
import { messageOf } from '../api/client';
import { useApi } from '../api/hooks';
import { type StreamMessage, useStream } from '../api/stream';
import { brandClock, brandDay, shiftDay } from '../brandTime';
import { SimpleTable } from '../components/SimpleTable';
import { ErrorState, Loading, StreamBadge } from '../components/States';
import { useMoreI18n } from '../i18n/more';
import { codeLabel } from '../orders/OrderParts';
import { useWorkbenchStore } from './tasks';

const EVENTS = ['appointment.booked', 'appointment.cancelled', 'appointment.slots_published'];

/** The store's service calendar for a day (brand time): every slot with its free places, and the bookings. */
export default function StoreAppointmentsPage() {
  const { t } = useMoreI18n();
  const { message } = App.useApp();
  const store = useWorkbenchStore();
  const [day, setDay] = useState(() => brandDay());
  const calendar = useApi(
    (signal) => storeCalendar(store, { date: day, includeCancelled: true }, signal),
    [store, day],
  );
  const { reload } = calendar;
  const onEvent = useCallback(
    (m: StreamMessage) => {
      if ((m.data as { store?: string }).store === store) reload();
    },
    [store, reload],
  );
  const stream = useStream(['appointment'], EVENTS, onEvent, !calendar.error);

  const cancel = async (a: Appointment) => {
    try {
      await cancelAppointment(a.id, t('appt.cancelledAtStore'));
      message.success(t('appt.cancelled'));
      reload();
    } catch (e) {
      message.error(messageOf(e));
    }
  };

  const slots = calendar.data?.slots ?? [];
  const bookings = calendar.data?.items ?? [];
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card>
        <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
          <Space wrap>
            <Button
              size="large"
              icon={<LeftOutlined />}
              onClick={() => setDay((d) => shiftDay(d, -1))}
              aria-label="previous day"
            />
            <Input
              size="large"
              type="date"
              value={day}
              onChange={(e) => e.target.value && setDay(e.target.value)}
              style={{ width: 180 }}
              data-testid="appt-day"
            />
            <Button
              size="large"
              icon={<RightOutlined />}
              onClick={() => setDay((d) => shiftDay(d, 1))}
              aria-label="next day"
            />
            <Button size="large" onClick={() => setDay(brandDay())}>
              {t('appt.today')}
            </Button>
          </Space>
          <StreamBadge status={stream} />
        </Space>
      </Card>
      {calendar.loading && !calendar.data ? (
        <Loading />
      ) : calendar.error ? (
        <ErrorState error={calendar.error} onRetry={reload} />
      ) : (
        <Row gutter={[16, 16]}>
          <Col xs={24} lg={10}>
            <Card title={t('appt.slots', { day })}>
              <SimpleTable<Slot>
                rows={slots}
                rowKey={(s) => s.id}
                testId="appt-slots"
                empty={t('appt.noSlots')}
                columns={[
                  {
                    key: 'time',
                    title: t('common.time'),
                    render: (s) => `${brandClock(s.startsAt)}–${brandClock(s.endsAt)}`,
                  },
                  {
                    key: 'service',
                    title: t('appt.service'),
                    render: (s) => codeLabel(t, 'service', s.service),
                  },
                  {
                    key: 'places',
                    title: t('appt.places'),
                    align: 'right',
                    render: (s) => (
                      <Tag color={s.available > 0 ? 'green' : 'red'}>
                        {s.booked} / {s.capacity}
                      </Tag>
                    ),
                  },
                ]}
              />
            </Card>
          </Col>
          <Col xs={24} lg={14}>
            <Card title={t('appt.bookings', { n: bookings.filter((b) => b.status === 'booked').length })}>
              <SimpleTable<Appointment>
                rows={bookings}
                rowKey={(b) => b.id}
                testId="appt-bookings"
                empty={t('appt.noBookings')}
                columns={[
                  { key: 'time', title: t('common.time'), render: (b) => brandClock(b.startsAt) },
                  {
                    key: 'service',
                    title: t('appt.service'),
                    render: (b) => codeLabel(t, 'service', b.service),
                  },
                  {
                    key: 'member',
                    title: t('order.member'),
                    render: (b) => <Typography.Text copyable>{b.memberId}</Typography.Text>,
                  },
                  {
                    key: 'channel',
                    title: t('common.channel'),
                    render: (b) => codeLabel(t, 'channel', b.channel),
                  },
                  { key: 'note', title: t('appt.note'), render: (b) => b.note ?? '' },
                  {
                    key: 'status',
                    title: t('common.status'),
                    render: (b) =>
                      b.status === 'booked' ? (
                        <Space>
                          <Tag color="blue">{codeLabel(t, 'appt.status', b.status)}</Tag>
                          <Popconfirm title={t('appt.cancelConfirm')} onConfirm={() => cancel(b)}>
                            <Button size="small" danger>
                              {t('common.cancel')}
                            </Button>
                          </Popconfirm>
                        </Space>
                      ) : (
                        <Tag>{codeLabel(t, 'appt.status', b.status)}</Tag>
                      ),
                  },
                ]}
              />
            </Card>
          </Col>
        </Row>
      )}
    </Space>
  );
}
