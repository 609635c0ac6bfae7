import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Channel } from '../channels.js';
import { hashPassword, randomToken, safeEqual, verifyPassword } from '../crypto.js';
import type { DB, Trx } from '../db/index.js';
import { AuthErrors, RequestErrors } from '../errors.js';
import { newId } from '../ids.js';
import { nowIso } from '../time.js';
import { isStoreScoped, type Principal, type StaffRole } from './principal.js';

export interface User {
  username: string;
  role: StaffRole;
  storeCode: string | null;
  displayName: string | null;
  createdAt: string;
}

export interface NewUser {
  username: string;
  password: string;
  role: StaffRole;
  storeCode?: string | null | undefined;
  displayName?: string | null | undefined;
}

function toUser(row: {
  username: string;
  role: string;
  store_code: string | null;
  display_name: string | null;
  created_at: string;
}): User {
  return {
    username: row.username,
    role: row.role as StaffRole,
    storeCode: row.store_code,
    displayName: row.display_name,
    createdAt: row.created_at,
  };
}

export function principalOf(user: Pick<User, 'username' | 'role' | 'storeCode'>): Principal {
  if (user.role === 'store_manager' || user.role === 'guide') {
    return { role: user.role, subject: user.username, storeCode: user.storeCode ?? '' };
  }
  return { role: user.role, subject: user.username, storeCode: null };
}

export async function createUser(trx: Trx, input: NewUser): Promise<User> {
  const storeScoped = input.role === 'store_manager' || input.role === 'guide';
  if (storeScoped && !input.storeCode) {
    throw RequestErrors.invalid(`A ${input.role} belongs to a store: give storeCode`, {
      errors: [{ path: 'storeCode', message: `required for role ${input.role}` }],
    });
  }
  if (input.password.length < 8) {
    throw RequestErrors.invalid('The password is too short', {
      errors: [{ path: 'password', message: 'at least 8 characters' }],
    });
  }
  const row = {
    username: input.username,
    password_hash: await hashPassword(input.password),
    role: input.role,
    store_code: storeScoped ? (input.storeCode ?? null) : null,
    display_name: input.displayName ?? null,
    created_at: nowIso(),
    disabled_at: null,
  };
  const inserted = await trx
    .insertInto('users')
    .values(row)
    .onConflict((oc) => oc.column('username').doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0)
    throw AuthErrors.userExists(`The username ${input.username} is taken`);
  return toUser(row);
}

export async function listUsers(db: Kysely<DB>, storeCode?: string): Promise<User[]> {
  let query = db.selectFrom('users').selectAll().where('disabled_at', 'is', null).orderBy('username');
  if (storeCode !== undefined) query = query.where('store_code', '=', storeCode);
  return (await query.execute()).map(toUser);
}

export async function authenticate(db: Kysely<DB>, username: string, password: string): Promise<User> {
  const row = await db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  // Hash even when the user is unknown so that timing does not tell which usernames exist.
  const ok = await verifyPassword(password, row?.password_hash ?? DUMMY_HASH);
  if (!row || !ok || row.disabled_at !== null)
    throw AuthErrors.invalidCredentials('Wrong username or password');
  const user = toUser(row);
  if (isStoreScoped(principalOf(user)) && !user.storeCode)
    throw AuthErrors.invalidCredentials('This account has no store');
  return user;
}

const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

// Channel API keys look like `olk_<id>.<secret>`; only a SHA-256 of the secret is stored (the secret is
// random and long, so a slow hash adds nothing but latency to every request).
const KEY_PREFIX = 'olk_';

export interface ApiKey {
  id: string;
  name: string;
  channel: Channel;
  requestsPerMinute: number | null;
  createdAt: string;
}

export async function createApiKey(
  trx: Trx,
  input: { name: string; channel: Channel; requestsPerMinute?: number | undefined },
): Promise<ApiKey & { key: string }> {
  const id = newId('key');
  const secret = randomToken(32);
  const createdAt = nowIso();
  await trx
    .insertInto('api_keys')
    .values({
      id,
      name: input.name,
      channel: input.channel,
      secret_hash: sha256(secret),
      created_at: createdAt,
      revoked_at: null,
      requests_per_minute: input.requestsPerMinute ?? null,
    })
    .execute();
  return {
    id,
    name: input.name,
    channel: input.channel,
    requestsPerMinute: input.requestsPerMinute ?? null,
    createdAt,
    key: `${KEY_PREFIX}${id}.${secret}`,
  };
}

export function isApiKey(token: string): boolean {
  return token.startsWith(KEY_PREFIX);
}

export async function resolveApiKey(db: Kysely<DB>, token: string): Promise<Principal | undefined> {
  const dot = token.indexOf('.');
  if (!isApiKey(token) || dot === -1) return undefined;
  const id = token.slice(KEY_PREFIX.length, dot);
  const secret = token.slice(dot + 1);
  const row = await db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row || row.revoked_at !== null || !safeEqual(row.secret_hash, sha256(secret))) return undefined;
  return {
    role: 'channel',
    subject: row.id,
    channel: row.channel,
    storeCode: null,
    requestsPerMinute: row.requests_per_minute === null ? null : Number(row.requests_per_minute),
  };
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
