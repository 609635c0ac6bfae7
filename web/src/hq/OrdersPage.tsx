import { Card, Typography } from 'antd';
import { useHasRoute } from '../api/hooks';
import { Loading, NotYetAvailable } from '../components/States';
import { useT } from '../i18n/I18nProvider';

/** Orders of every channel; the order hub's screens arrive with its API. */
export default function OrdersPage() {
  const t = useT();
  const has = useHasRoute('GET /v1/orders');
  return (
    <>
      <Typography.Title level={3}>{t('nav.orders')}</Typography.Title>
      <Card>
        {has === undefined ? (
          <Loading />
        ) : (
          <NotYetAvailable title="nav.orders" reason={has ? 'order.screensComing' : 'common.ordersComing'} />
        )}
      </Card>
    </>
  );
}
