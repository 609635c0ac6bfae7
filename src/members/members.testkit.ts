import { afterAll, beforeAll, expect } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { createUser } from '../platform/auth/users.service.js';
import type { Principal } from '../platform/index.js';

// The members tests' shared setup: each test file starts its own app on its own database.

/** The app of the running test file, started by `setUpMembersApp`. */
export let t: TestApp;

/** Starts the test file's app before its tests, with a guide at SH01 and one at SH02, and closes it after. */
export function setUpMembersApp(): void {
  beforeAll(async () => {
    t = await startTestApp();
    await t.runtime.database.transaction(async (trx) => {
      await createUser(trx, {
        username: 'sh01.guide',
        password: 'password-1',
        role: 'guide',
        storeCode: 'SH01',
      });
      await createUser(trx, {
        username: 'sh02.guide',
        password: 'password-2',
        role: 'guide',
        storeCode: 'SH02',
      });
    });
  });
  afterAll(() => t.close());
}

export let serial = 0;

/** A fresh mainland mobile number per call, so tests do not meet each other's members. */
export function newPhone(): string {
  serial++;
  return `139${String(Date.now() % 100000).padStart(5, '0')}${String(serial).padStart(3, '0')}`;
}
export const uid = (p: string) => `${p}_${Date.now().toString(36)}_${++serial}`;

type Identifier = { type: string; value: string; appId?: string; verified?: boolean };

/** Identifies through the API as the admin, from the mini-program unless `extra` says otherwise. */
export async function identify(identifiers: Identifier[], extra: Record<string, unknown> = {}) {
  const res = await t.request({
    method: 'POST',
    url: '/v1/identify',
    body: { identifiers, channel: 'mini_program', ...extra },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{
    memberId: string;
    created: boolean;
    mergedFrom: string[];
    review?: { id: string; reason: string };
    ignored: { type: string; reason: string }[];
  }>();
}

/** Identifies a whole request body through the API, as `as`. */
export async function identifyAs(body: Record<string, unknown>, as: Principal | 'admin' = 'admin') {
  const res = await t.request({ method: 'POST', url: '/v1/identify', body, as });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ memberId: string; created: boolean }>();
}

export async function lookup(type: string, value: string, appId?: string) {
  const q = new URLSearchParams({ type, value, ...(appId ? { appId } : {}) });
  return t.request({ method: 'GET', url: `/v1/members/lookup?${q}` });
}

export async function view(id: string) {
  const res = await t.request({ method: 'GET', url: `/v1/members/${id}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}
