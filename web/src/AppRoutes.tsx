import { Component, type ErrorInfo, lazy, type ReactNode, Suspense } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { useAuth } from './auth/AuthProvider';
import { HQ_ROLES, homeOf, STORE_ROLES } from './auth/roles';
import type { Role } from './auth/session';
import { ErrorState, Forbidden, Loading } from './components/States';
import { LoginPage } from './pages/LoginPage';
import { NotFoundPage } from './pages/NotFoundPage';

// Each area is its own chunk: a customer's phone never downloads the HQ console.
const HqArea = lazy(() => import('./hq/HqArea'));
const StoreArea = lazy(() => import('./store/StoreArea'));
const CustomerArea = lazy(() => import('./m/CustomerArea'));

/** Signed in with one of these roles, or off to login (keeping where they wanted to go), or a 403 view. */
export function RequireRole({
  roles,
  loginPath = '/login',
  children,
}: {
  roles: readonly Role[];
  loginPath?: string;
  children: ReactNode;
}) {
  const { session } = useAuth();
  const location = useLocation();
  if (!session) {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`${loginPath}?next=${next}`} replace />;
  }
  if (!roles.includes(session.role)) return <Forbidden role={session.role} />;
  return <>{children}</>;
}

/** A render error shows what broke instead of a blank page. */
export class ErrorBoundary extends Component<{ children: ReactNode }, { error: unknown }> {
  override state: { error: unknown } = { error: undefined };
  static getDerivedStateFromError(error: unknown) {
    return { error };
  }
  override componentDidCatch(error: unknown, info: ErrorInfo) {
    console.error(error, info.componentStack);
  }
  override render() {
    if (this.state.error !== undefined) {
      return <ErrorState error={this.state.error} onRetry={() => window.location.reload()} />;
    }
    return this.props.children;
  }
}

function Home() {
  const { session } = useAuth();
  return <Navigate to={session ? homeOf(session.role) : '/login'} replace />;
}

export function AppRoutes() {
  return (
    <ErrorBoundary>
      <Suspense fallback={<Loading />}>
        <Routes>
          <Route path="/" element={<Home />} />
          <Route path="/login" element={<LoginPage />} />
          <Route
            path="/hq/*"
            element={
              <RequireRole roles={HQ_ROLES}>
                <HqArea />
              </RequireRole>
            }
          />
          <Route
            path="/store/*"
            element={
              <RequireRole roles={STORE_ROLES}>
                <StoreArea />
              </RequireRole>
            }
          />
          <Route path="/m/*" element={<CustomerArea />} />
          <Route path="*" element={<NotFoundPage />} />
        </Routes>
      </Suspense>
    </ErrorBoundary>
  );
}
