import {
  AppstoreOutlined,
  CloudUploadOutlined,
  DashboardOutlined,
  DatabaseOutlined,
  EnvironmentOutlined,
  FundOutlined,
  GiftOutlined,
  ProfileOutlined,
  SwapOutlined,
  TeamOutlined,
  TrophyOutlined,
  UsergroupAddOutlined,
} from '@ant-design/icons';
import { Layout, Menu, Typography } from 'antd';
import { lazy, Suspense } from 'react';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { useSession } from '../auth/AuthProvider';
import { can } from '../auth/roles';
import { Forbidden, Loading } from '../components/States';
import { UserMenu } from '../components/UserMenu';
import { useT } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/messages';

const Dashboard = lazy(() => import('./DashboardPage'));
const InventoryBoard = lazy(() => import('./InventoryBoardPage'));
const Transfers = lazy(() => import('./TransfersPage'));
const Locations = lazy(() => import('./LocationsPage'));
const Catalog = lazy(() => import('./CatalogPage'));
const Members = lazy(() => import('./MembersPage'));
const MemberDetail = lazy(() => import('./MemberDetailPage'));
const IdentityReviews = lazy(() => import('./IdentityReviewsPage'));
const Orders = lazy(() => import('./OrdersPage'));
const OrderDetail = lazy(() => import('./OrderDetailPage'));
const MemberPoints = lazy(() => import('./MemberPointsPage'));
const Loyalty = lazy(() => import('./LoyaltyPage'));
const CouponTemplates = lazy(() => import('./CouponTemplatesPage'));
const CouponTemplate = lazy(() => import('./CouponTemplatePage'));
const Imports = lazy(() => import('./ImportsPage'));
const Insight = lazy(() => import('../audience/InsightPage'));
const Segments = lazy(() => import('../audience/SegmentsPage'));
const Tags = lazy(() => import('../audience/TagsPage'));

interface MenuEntry {
  path: string;
  label: MessageKey;
  icon: React.ReactNode;
  visible: boolean;
}

/** The HQ console: a sidebar of what the role may open, each page its own chunk. */
export default function HqArea() {
  const t = useT();
  const session = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const entries: MenuEntry[] = [
    { path: '/hq', label: 'nav.dashboard', icon: <DashboardOutlined />, visible: true },
    { path: '/hq/inventory', label: 'nav.inventory', icon: <DatabaseOutlined />, visible: true },
    {
      path: '/hq/transfers',
      label: 'nav.transfers',
      icon: <SwapOutlined />,
      visible: can(session.role, 'transfers.manage'),
    },
    { path: '/hq/orders', label: 'nav.orders', icon: <ProfileOutlined />, visible: true },
    {
      path: '/hq/members',
      label: 'nav.members',
      icon: <TeamOutlined />,
      visible: can(session.role, 'members.read'),
    },
    {
      path: '/hq/identity-reviews',
      label: 'nav.identityReviews',
      icon: <TeamOutlined />,
      visible: can(session.role, 'identity.review'),
    },
    {
      path: '/hq/loyalty',
      label: 'nav.loyalty',
      icon: <TrophyOutlined />,
      visible: can(session.role, 'loyalty.manage'),
    },
    {
      path: '/hq/coupons',
      label: 'nav.coupons',
      icon: <GiftOutlined />,
      visible: can(session.role, 'loyalty.manage'),
    },
    { path: '/hq/locations', label: 'nav.locations', icon: <EnvironmentOutlined />, visible: true },
    { path: '/hq/catalog', label: 'nav.catalog', icon: <AppstoreOutlined />, visible: true },
    {
      path: '/hq/insight',
      label: 'nav.insight',
      icon: <FundOutlined />,
      visible: can(session.role, 'insight.read'),
    },
    {
      path: '/hq/segments',
      label: 'nav.segments',
      icon: <UsergroupAddOutlined />,
      visible: can(session.role, 'segments.manage'),
    },
    {
      path: '/hq/tags',
      label: 'nav.tags',
      // The profile card (orders have it too): the icon library's tag glyph would put the inventory board, the
      // heaviest first screen, over its 400 kB budget.
      icon: <ProfileOutlined />,
      visible: can(session.role, 'tags.manage'),
    },
    {
      path: '/hq/imports',
      label: 'nav.imports',
      icon: <CloudUploadOutlined />,
      visible: can(session.role, 'imports.run'),
    },
  ];
  const visible = entries.filter((e) => e.visible);
  const selected =
    [...visible]
      .sort((a, b) => b.path.length - a.path.length)
      .find((e) => location.pathname.startsWith(e.path))?.path ?? '/hq';

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider breakpoint="lg" collapsedWidth={0} width={208} theme="dark">
        <div style={{ padding: '16px 20px' }}>
          <Typography.Title level={4} style={{ color: '#fff', margin: 0 }}>
            OmniLoop
          </Typography.Title>
          <Typography.Text style={{ color: 'rgba(255,255,255,0.65)', fontSize: 12 }}>
            {t('hq.title')}
          </Typography.Text>
        </div>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={[selected]}
          data-testid="hq-menu"
          items={visible.map((e) => ({ key: e.path, icon: e.icon, label: t(e.label) }))}
          onClick={({ key }) => navigate(key)}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{
            background: '#fff',
            padding: '0 24px',
            display: 'flex',
            justifyContent: 'flex-end',
            alignItems: 'center',
            borderBottom: '1px solid #f0f0f0',
          }}
        >
          <UserMenu />
        </Layout.Header>
        <Layout.Content style={{ padding: 24 }}>
          <Suspense fallback={<Loading />}>
            <Routes>
              <Route index element={<Dashboard />} />
              <Route path="inventory" element={<InventoryBoard />} />
              <Route path="inventory/:sku" element={<InventoryBoard />} />
              <Route
                path="transfers"
                element={
                  can(session.role, 'transfers.manage') ? <Transfers /> : <Forbidden role={session.role} />
                }
              />
              <Route path="imports" element={<Imports />} />
              <Route
                path="segments"
                element={
                  can(session.role, 'segments.manage') ? <Segments /> : <Forbidden role={session.role} />
                }
              />
              <Route
                path="tags"
                element={can(session.role, 'tags.manage') ? <Tags /> : <Forbidden role={session.role} />}
              />
              <Route
                path="insight"
                element={can(session.role, 'insight.read') ? <Insight /> : <Forbidden role={session.role} />}
              />
              <Route path="orders" element={<Orders />} />
              <Route path="orders/:id" element={<OrderDetail />} />
              <Route path="members" element={<Members />} />
              <Route path="members/:id" element={<MemberDetail />} />
              <Route path="members/:id/points" element={<MemberPoints />} />
              <Route
                path="loyalty"
                element={
                  can(session.role, 'loyalty.manage') ? <Loyalty /> : <Forbidden role={session.role} />
                }
              />
              <Route
                path="coupons"
                element={
                  can(session.role, 'loyalty.manage') ? (
                    <CouponTemplates />
                  ) : (
                    <Forbidden role={session.role} />
                  )
                }
              />
              <Route
                path="coupons/:code"
                element={
                  can(session.role, 'loyalty.manage') ? <CouponTemplate /> : <Forbidden role={session.role} />
                }
              />
              <Route
                path="identity-reviews"
                element={
                  can(session.role, 'identity.review') ? (
                    <IdentityReviews />
                  ) : (
                    <Forbidden role={session.role} />
                  )
                }
              />
              <Route path="locations" element={<Locations />} />
              <Route path="catalog" element={<Catalog />} />
              <Route path="*" element={<Navigate to="/hq" replace />} />
            </Routes>
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
