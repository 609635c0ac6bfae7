import { CalendarOutlined } from '@ant-design/icons';
import { Tag } from 'antd';
import type { Order } from '../api/orders';
import { type Catalogue, useCatalogueI18n } from '../i18n/catalogue';

/** The one text of a booked delivery day, in both languages (kept out of the first screens' catalogue). */
const messages: Catalogue<'schedule.on'> = {
  'zh-CN': { 'schedule.on': '预约 {day} 送达' },
  'en-US': { 'schedule.on': 'Booked to arrive on {day}' },
};

/** A delivery booked for a day (预约送达), as the order says it; nothing for "as soon as possible". */
export function ScheduledDate({ order }: { order: Pick<Order, 'fulfillment'> }) {
  const { t } = useCatalogueI18n(messages);
  const day = order.fulfillment.scheduledDate;
  if (!day) return null;
  return (
    <Tag icon={<CalendarOutlined />} color="blue" data-testid="order-scheduled-date">
      {t('schedule.on', { day })}
    </Tag>
  );
}
