import { Card } from 'antd';
import { useHasRoute } from '../api/hooks';
import { Loading, NotYetAvailable } from '../components/States';
import type { MessageKey } from '../i18n/messages';

const TITLES: Record<'pickups' | 'shipFromStore' | 'returns', MessageKey> = {
  pickups: 'store.pickups',
  shipFromStore: 'store.shipFromStore',
  returns: 'store.returns',
};

/** Pickups, ship-from-store tasks and returns come with the order hub; until then the page says so. */
export default function StoreOrderTasksPage({ kind }: { kind: 'pickups' | 'shipFromStore' | 'returns' }) {
  const has = useHasRoute(kind === 'returns' ? 'POST /v1/returns' : 'GET /v1/fulfillments');
  return (
    <Card>
      {has === undefined ? (
        <Loading />
      ) : (
        <NotYetAvailable title={TITLES[kind]} reason={has ? 'order.screensComing' : 'common.ordersComing'} />
      )}
    </Card>
  );
}
