import type { Me } from '../api/members';

/** Who is signed in, kept in localStorage so a reload keeps the session (tokens expire server-side). */
export type Role = Me['role'];

export interface Session {
  token: string;
  expiresAt?: string | undefined;
  role: Role;
  username: string;
  displayName?: string | null | undefined;
  storeCode: string | null;
  memberId?: string | undefined;
}

const KEY = 'omniloop.session';

export function readSession(): Session | null {
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return null;
    const session = JSON.parse(raw) as Session;
    if (session.expiresAt && Date.parse(session.expiresAt) < Date.now()) {
      localStorage.removeItem(KEY);
      return null;
    }
    return typeof session.token === 'string' ? session : null;
  } catch {
    return null;
  }
}

export function writeSession(session: Session): void {
  localStorage.setItem(KEY, JSON.stringify(session));
}

export function clearSession(): void {
  localStorage.removeItem(KEY);
}
