import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { UNAUTHORIZED_EVENT } from '../api/client';
import { staffLogin, whoIs } from '../api/members';
import { clearSession, readSession, type Session, writeSession } from './session';

interface Auth {
  session: Session | null;
  login(username: string, password: string): Promise<Session>;
  /** A customer's token (from SMS login): who it is comes from the server (whoIs). */
  adoptCustomerToken(token: string, expiresAt?: string): Promise<Session>;
  logout(): void;
}

const AuthContext = createContext<Auth | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(readSession);

  useEffect(() => {
    const expired = () => setSession(null);
    window.addEventListener(UNAUTHORIZED_EVENT, expired);
    return () => window.removeEventListener(UNAUTHORIZED_EVENT, expired);
  }, []);

  const login = useCallback(async (username: string, password: string) => {
    const answer = await staffLogin(username, password);
    const next: Session = {
      token: answer.token,
      expiresAt: answer.expiresAt,
      role: answer.user.role,
      username: answer.user.username,
      displayName: answer.user.displayName ?? null,
      storeCode: answer.user.storeCode,
    };
    writeSession(next);
    setSession(next);
    return next;
  }, []);

  const adoptCustomerToken = useCallback(async (token: string, expiresAt?: string) => {
    const me = await whoIs(token);
    const next: Session = {
      token,
      expiresAt,
      role: me.role,
      username: me.subject,
      storeCode: me.storeCode,
      ...(me.memberId ? { memberId: me.memberId } : {}),
    };
    writeSession(next);
    setSession(next);
    return next;
  }, []);

  const logout = useCallback(() => {
    clearSession();
    setSession(null);
  }, []);

  const value = useMemo(
    () => ({ session, login, adoptCustomerToken, logout }),
    [session, login, adoptCustomerToken, logout],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuth outside AuthProvider');
  return auth;
}

/** The signed-in session; only for pages behind a role guard. */
export function useSession(): Session {
  const { session } = useAuth();
  if (!session) throw new Error('useSession without a session');
  return session;
}
