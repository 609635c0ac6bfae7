import { Card } from 'antd';
import { lazy, Suspense } from 'react';
import { useHasRoute } from '../api/hooks';
import { Loading, NotYetAvailable } from '../components/States';

const StoreReturns = lazy(() => import('./StoreReturnsPage'));

/** Returns at the counter: the form once the server has after-sales (`POST /v1/returns`), else a plain notice. */
export default function StoreOrderTasksPage() {
  const has = useHasRoute('POST /v1/returns');
  if (has === true) {
    return (
      <Suspense fallback={<Loading />}>
        <StoreReturns />
      </Suspense>
    );
  }
  return (
    <Card>
      {has === undefined ? (
        <Loading />
      ) : (
        <NotYetAvailable title="store.returns" reason="store.returnsArriveWithAfterSales" />
      )}
    </Card>
  );
}
