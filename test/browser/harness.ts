import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { expect, vi } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';

/** Debian's Chromium; browsers cannot be downloaded from npm here. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const HAS_CHROMIUM = existsSync(CHROMIUM);
export const DEMO_PASSWORD = 'omniloop-demo';

const root = new URL('../../', import.meta.url).pathname;
const results = join(root, 'test-results');

function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'dist' || entry === 'node_modules') continue;
    latest = Math.max(latest, newest(join(path, entry)));
  }
  return latest;
}

/**
 * Builds web/dist when any console source is newer than the last build (the server serves what is built). Test
 * files run two at a time: a lock directory lets one build while the other waits, then finds the build fresh.
 */
export function ensureConsoleBuilt(): void {
  const built = join(root, 'web/dist/index.html');
  const fresh = () => existsSync(built) && statSync(built).mtimeMs >= newest(join(root, 'web'));
  if (fresh()) return;
  const lock = join(root, 'node_modules/.omniloop-console-build.lock');
  const until = Date.now() + 300_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock left by a run that was killed mid-build is stale after three minutes (a build takes under one).
      if (existsSync(lock) && statSync(lock).mtimeMs < Date.now() - 180_000)
        rmSync(lock, { recursive: true, force: true });
      if (Date.now() > until) throw new Error(`The console build lock ${lock} was held for 5 minutes`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
    }
  }
  try {
    if (fresh()) return;
    const result = spawnSync('npx', ['vite', 'build', 'web', '--logLevel', 'warn'], {
      cwd: root,
      encoding: 'utf8',
    });
    if (result.status !== 0) throw new Error(`vite build failed:\n${result.stdout}\n${result.stderr}`);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export interface ConsoleFixture {
  app: TestApp;
  base: string;
  /** One fresh profile for the file; `newPage` gives a page with empty storage (nobody logged in). */
  browser: BrowserContext;
  newPage(viewport?: { width: number; height: number }): Promise<Page>;
  close(): Promise<void>;
}

/** A test node listening on a free port (serving the built console) and a headless Chromium. */
export async function startConsole(): Promise<ConsoleFixture> {
  ensureConsoleBuilt();
  const app = await startTestApp();
  await app.runtime.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.runtime.app.server.address() as AddressInfo;
  const profile = mkdtempSync(join(tmpdir(), 'omniloop-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1366, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const base = `http://127.0.0.1:${port}`;
  return {
    app,
    base,
    browser,
    async newPage(viewport = { width: 1366, height: 900 }) {
      for (const open of browser.pages()) await open.close();
      const page = await browser.newPage();
      page.setDefaultTimeout(15_000);
      await page.setViewportSize(viewport);
      await page.goto(`${base}/favicon.svg`);
      await page.evaluate('localStorage.clear()');
      return page;
    },
    async close() {
      await browser.close().catch(() => undefined);
      await app.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Calls the API as admin and fails loudly on anything but the expected status. */
export async function seed(
  app: TestApp,
  method: 'POST' | 'PUT' | 'PATCH',
  url: string,
  body: unknown,
  status = 0,
) {
  const response = await app.request({
    method,
    url,
    body,
    headers: method === 'POST' ? { 'idempotency-key': crypto.randomUUID() } : {},
  });
  if (status ? response.statusCode !== status : response.statusCode >= 300) {
    throw new Error(`${method} ${url} → ${response.statusCode} ${response.body}`);
  }
  return response.json();
}

export async function createStaff(app: TestApp, username: string, role: string, storeCode?: string) {
  await seed(app, 'POST', '/v1/users', {
    username,
    password: DEMO_PASSWORD,
    role,
    ...(storeCode ? { storeCode } : {}),
  });
}

/** Logs in through the login page, as a person would. */
export async function login(page: Page, base: string, username: string): Promise<void> {
  await page.goto(`${base}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((url) => url.pathname !== '/login');
}

/** The last step's screenshot, under test-results/ (not committed). */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(results, { recursive: true });
  const path = join(results, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * Logs a customer in on the phone page she was sent to (`/m/login`), with the code the built-in SMS carrier sent,
 * and waits until she is back where she came from.
 */
export async function loginCustomer(page: Page, app: TestApp, phone: string): Promise<void> {
  await page.waitForURL((url) => url.pathname === '/m/login');
  await page.getByTestId('m-phone').fill(phone);
  await page.getByTestId('m-send-code').click();
  let code = '';
  for (let i = 0; i < 50 && !code; i++) {
    const messages = await app.request({ method: 'GET', url: `/v1/sms/messages?phone=${phone}` });
    code = (messages.json().items?.[0]?.params?.code as string | undefined) ?? '';
    if (!code) await new Promise((r) => setTimeout(r, 100));
  }
  if (!/^\d{6}$/.test(code)) throw new Error(`No SMS code reached ${phone}`);
  await page.getByTestId('m-sms-code').fill(code);
  await page.getByTestId('m-login').click();
  await page.waitForURL((url) => url.pathname !== '/m/login');
}

/** A member by her verified phone (made the first time), as a channel app would identify her. */
export async function memberByPhone(app: TestApp, phone: string): Promise<string> {
  return (
    await seed(app, 'POST', '/v1/identify', {
      identifiers: [{ type: 'phone', value: phone, verified: true }],
      channel: 'mini_program',
    })
  ).memberId;
}

/**
 * Points she can spend: a paid carry-out purchase of one `sku` at `store`, its points matured at once (the return
 * window set to none), waited for until `expected` points are available.
 */
export async function pointsFromAPurchase(
  app: TestApp,
  memberId: string,
  purchase: { store: string; sku: string; expected: number },
): Promise<void> {
  await seed(app, 'PUT', '/v1/loyalty/rules', { returnWindowSeconds: 0 });
  const earlier = await seed(app, 'POST', '/v1/orders', {
    channel: 'pos',
    storeCode: purchase.store,
    memberId,
    lines: [{ sku: purchase.sku, quantity: 1 }],
    fulfillment: { type: 'carry_out' },
  });
  await seed(app, 'POST', `/v1/orders/${earlier.id}/payments`, {
    provider: 'simulated',
    amount: earlier.payableAmount,
  });
  await vi.waitFor(
    async () => {
      const points = await app.request({ method: 'GET', url: `/v1/members/${memberId}/points` });
      expect(points.json().available).toBe(purchase.expected);
    },
    { timeout: 15_000, interval: 100 },
  );
}
