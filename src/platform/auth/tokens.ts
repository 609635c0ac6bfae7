import { deriveKey, hmacBase64Url, safeEqual } from '../crypto.js';
import type { Principal } from './principal.js';

/** Signed, expiring bearer tokens (JWT, HS256) for staff and customers. */
export class TokenSigner {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = deriveKey(secret, 'auth-token');
  }

  sign(principal: Principal, ttlSeconds: number, now = Date.now()): { token: string; expiresAt: string } {
    const iat = Math.floor(now / 1000);
    const exp = iat + ttlSeconds;
    const claims: Record<string, unknown> = { sub: principal.subject, role: principal.role, iat, exp };
    if (principal.storeCode) claims.store = principal.storeCode;
    if (principal.role === 'customer') claims.mid = principal.memberId;
    if (principal.role === 'channel') claims.ch = principal.channel;
    const head = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
    const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
    const signature = hmacBase64Url(this.key, `${head}.${body}`);
    return { token: `${head}.${body}.${signature}`, expiresAt: new Date(exp * 1000).toISOString() };
  }

  /** The principal of a valid, unexpired token; undefined otherwise. */
  verify(token: string, now = Date.now()): Principal | undefined {
    return this.verifyWithExpiry(token, now)?.principal;
  }

  /** The principal of a valid, unexpired token and when the token expires (epoch ms). */
  verifyWithExpiry(token: string, now = Date.now()): { principal: Principal; expiresAt: number } | undefined {
    const principal = this.check(token, now);
    if (!principal) return undefined;
    return { principal: principal.principal, expiresAt: principal.exp * 1000 };
  }

  private check(token: string, now: number): { principal: Principal; exp: number } | undefined {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    const [head, body, signature] = parts as [string, string, string];
    if (!safeEqual(hmacBase64Url(this.key, `${head}.${body}`), signature)) return undefined;
    let claims: Record<string, unknown>;
    try {
      claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>;
    } catch {
      return undefined;
    }
    if (typeof claims.exp !== 'number' || claims.exp * 1000 <= now || typeof claims.sub !== 'string')
      return undefined;
    const principal = principalOfClaims(claims, claims.sub);
    return principal ? { principal, exp: claims.exp } : undefined;
  }
}

function principalOfClaims(claims: Record<string, unknown>, subject: string): Principal | undefined {
  switch (claims.role) {
    case 'admin':
    case 'ops':
      return { role: claims.role, subject, storeCode: null };
    case 'store_manager':
    case 'guide':
      return typeof claims.store === 'string'
        ? { role: claims.role, subject, storeCode: claims.store }
        : undefined;
    case 'customer':
      return typeof claims.mid === 'string'
        ? { role: 'customer', subject, memberId: claims.mid, storeCode: null }
        : undefined;
    case 'channel':
      return typeof claims.ch === 'string'
        ? { role: 'channel', subject, channel: claims.ch, storeCode: null }
        : undefined;
    default:
      return undefined;
  }
}
