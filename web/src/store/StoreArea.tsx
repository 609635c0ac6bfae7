import { Layout, Menu, Typography } from 'antd';
import { lazy, Suspense } from 'react';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { useLocations } from '../api/catalog';
import { useSession } from '../auth/AuthProvider';
import { Loading } from '../components/States';
import { UserMenu } from '../components/UserMenu';
import { useT } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/messages';

const StoreStock = lazy(() => import('./StoreStockPage'));
const StoreMembers = lazy(() => import('./StoreMembersPage'));
const StoreReturns = lazy(() => import('./StoreReturnsPage'));
const StoreTrials = lazy(() => import('./StoreTrialsPage'));
const StoreCoupons = lazy(() => import('./StoreCouponsPage'));
const StoreAppointments = lazy(() => import('./StoreAppointmentsPage'));
const StorePickups = lazy(() => import('./StorePickupsPage'));
const StoreShipTasks = lazy(() => import('./StoreShipTasksPage'));
const StoreOrderLookup = lazy(() => import('./StoreOrderLookupPage'));
const StoreTill = lazy(() => import('./StoreTillPage'));
const StoreTillReceipt = lazy(() => import('./StoreTillReceiptPage'));

const TABS: { path: string; label: MessageKey }[] = [
  { path: '/store', label: 'store.stock' },
  { path: '/store/till', label: 'store.till' },
  { path: '/store/members', label: 'store.members' },
  { path: '/store/pickups', label: 'store.pickups' },
  { path: '/store/ship-from-store', label: 'store.shipFromStore' },
  { path: '/store/orders', label: 'store.orders' },
  { path: '/store/returns', label: 'store.returns' },
  { path: '/store/trials', label: 'store.trials' },
  { path: '/store/coupons', label: 'store.coupons' },
  { path: '/store/appointments', label: 'store.appointments' },
];

/** The store workbench: large touch targets, one store's view (the server limits staff to their store). */
export default function StoreArea() {
  const t = useT();
  const session = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const { locations } = useLocations();
  const storeName = locations?.find((l) => l.code === session.storeCode)?.name ?? session.storeCode;
  const selected =
    [...TABS]
      .sort((a, b) => b.path.length - a.path.length)
      .find((tab) => location.pathname.startsWith(tab.path))?.path ?? '/store';
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header
        style={{
          background: '#1f4e79',
          display: 'flex',
          alignItems: 'center',
          justifyContent: 'space-between',
          padding: '0 16px',
          height: 'auto',
          minHeight: 64,
          // The header's 64 px line height would push a wrapped user box over its edge.
          lineHeight: 'normal',
          paddingBlock: 8,
          flexWrap: 'wrap',
          gap: 8,
        }}
        data-testid="store-header"
      >
        <Typography.Title level={4} style={{ color: '#fff', margin: 0 }}>
          {t('store.title')} · {storeName}
        </Typography.Title>
        <div style={{ background: '#fff', borderRadius: 8, padding: '4px 12px', maxWidth: '100%' }}>
          <UserMenu />
        </div>
      </Layout.Header>
      <Menu
        mode="horizontal"
        selectedKeys={[selected]}
        style={{ fontSize: 16 }}
        items={TABS.map((tab) => ({ key: tab.path, label: t(tab.label) }))}
        onClick={({ key }) => navigate(key)}
      />
      <Layout.Content style={{ padding: 16 }}>
        <Suspense fallback={<Loading />}>
          <Routes>
            <Route index element={<StoreStock />} />
            <Route path="till" element={<StoreTill />} />
            <Route path="till/receipt/:id" element={<StoreTillReceipt />} />
            <Route path="members" element={<StoreMembers />} />
            <Route path="pickups" element={<StorePickups />} />
            <Route path="ship-from-store" element={<StoreShipTasks />} />
            <Route path="orders" element={<StoreOrderLookup />} />
            <Route path="returns" element={<StoreReturns />} />
            <Route path="trials" element={<StoreTrials />} />
            <Route path="coupons" element={<StoreCoupons />} />
            <Route path="appointments" element={<StoreAppointments />} />
            <Route path="*" element={<Navigate to="/store" replace />} />
          </Routes>
        </Suspense>
      </Layout.Content>
    </Layout>
  );
}
