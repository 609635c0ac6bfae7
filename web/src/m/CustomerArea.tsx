import { lazy, Suspense } from 'react';
import { Route, Routes } from 'react-router';
import { RequireRole } from '../AppRoutes';
import { Loading } from '../components/States';

const SkuPage = lazy(() => import('./SkuPage'));
const CustomerLogin = lazy(() => import('./CustomerLoginPage'));
const Home = lazy(() => import('./HomePage'));
const MyOrders = lazy(() => import('./MyOrdersPage'));
const OrderPage = lazy(() => import('./OrderPage'));
const MyPoints = lazy(() => import('./MyPointsPage'));
const Tried = lazy(() => import('./TriedPage'));
const Appointments = lazy(() => import('./AppointmentsPage'));
const MemberCode = lazy(() => import('./MemberCodePage'));
const CouponCentre = lazy(() => import('./CouponCentrePage'));
const Shop = lazy(() => import('./ShopPage'));
const Cart = lazy(() => import('./CartPage'));
const Favourites = lazy(() => import('./FavouritesPage'));
const ReturnRequest = lazy(() => import('./ReturnRequestPage'));
const ReturnDetail = lazy(() => import('./ReturnPage'));
const MyReturns = lazy(() => import('./MyReturnsPage'));

const ANYONE_SIGNED_IN = ['customer', 'admin', 'ops', 'store_manager', 'guide'] as const;

/** Phone-sized pages in the mini-program's style: what a customer sees after scanning a shelf code. */
export default function CustomerArea() {
  return (
    <div style={{ background: '#eef0f3', minHeight: '100vh' }}>
      <div
        style={{
          maxWidth: 480,
          margin: '0 auto',
          minHeight: '100vh',
          background: '#f7f8fa',
          boxShadow: '0 0 24px rgba(0,0,0,0.06)',
        }}
      >
        <Suspense fallback={<Loading />}>
          <Routes>
            <Route path="login" element={<CustomerLogin />} />
            <Route
              path="sku/:code"
              element={
                <RequireRole roles={ANYONE_SIGNED_IN} loginPath="/m/login">
                  <SkuPage />
                </RequireRole>
              }
            />
            <Route
              path="orders"
              element={
                <RequireRole roles={ANYONE_SIGNED_IN} loginPath="/m/login">
                  <MyOrders />
                </RequireRole>
              }
            />
            <Route
              path="orders/:id"
              element={
                <RequireRole roles={ANYONE_SIGNED_IN} loginPath="/m/login">
                  <OrderPage />
                </RequireRole>
              }
            />
            <Route
              path="orders/:id/return"
              element={
                <RequireRole roles={ANYONE_SIGNED_IN} loginPath="/m/login">
                  <ReturnRequest />
                </RequireRole>
              }
            />
            <Route
              path="returns"
              element={
                <RequireRole roles={ANYONE_SIGNED_IN} loginPath="/m/login">
                  <MyReturns />
                </RequireRole>
              }
            />
            <Route
              path="returns/:id"
              element={
                <RequireRole roles={ANYONE_SIGNED_IN} loginPath="/m/login">
                  <ReturnDetail />
                </RequireRole>
              }
            />
            <Route
              path="points"
              element={
                <RequireRole roles={ANYONE_SIGNED_IN} loginPath="/m/login">
                  <MyPoints />
                </RequireRole>
              }
            />
            <Route
              path="shop"
              element={
                <RequireRole roles={ANYONE_SIGNED_IN} loginPath="/m/login">
                  <Shop />
                </RequireRole>
              }
            />
            <Route
              path="cart"
              element={
                <RequireRole roles={ANYONE_SIGNED_IN} loginPath="/m/login">
                  <Cart />
                </RequireRole>
              }
            />
            <Route
              path="favourites"
              element={
                <RequireRole roles={ANYONE_SIGNED_IN} loginPath="/m/login">
                  <Favourites />
                </RequireRole>
              }
            />
            <Route
              path="coupons"
              element={
                <RequireRole roles={ANYONE_SIGNED_IN} loginPath="/m/login">
                  <CouponCentre />
                </RequireRole>
              }
            />
            <Route
              path="code"
              element={
                <RequireRole roles={ANYONE_SIGNED_IN} loginPath="/m/login">
                  <MemberCode />
                </RequireRole>
              }
            />
            <Route
              path="tried"
              element={
                <RequireRole roles={ANYONE_SIGNED_IN} loginPath="/m/login">
                  <Tried />
                </RequireRole>
              }
            />
            <Route
              path="appointments"
              element={
                <RequireRole roles={ANYONE_SIGNED_IN} loginPath="/m/login">
                  <Appointments />
                </RequireRole>
              }
            />
            <Route
              path="*"
              element={
                <RequireRole roles={ANYONE_SIGNED_IN} loginPath="/m/login">
                  <Home />
                </RequireRole>
              }
            />
          </Routes>
        </Suspense>
      </div>
    </div>
  );
}
