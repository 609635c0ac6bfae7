// No imports: the test that keeps this list equal to the demo brand's accounts (test/console-contract.test.ts)
// reads this file as it is.

/** The demo brand's staff accounts, as `omniloop seed --demo` makes them (and the README lists them). */
export const DEMO_ACCOUNTS: {
  username: string;
  role: 'admin' | 'ops' | 'store_manager' | 'guide';
  store?: string;
}[] = [
  { username: 'admin', role: 'admin' },
  { username: 'ops', role: 'ops' },
  { username: 'sh01.manager', role: 'store_manager', store: 'SH01' },
  { username: 'sh01.guide', role: 'guide', store: 'SH01' },
  { username: 'sh02.guide', role: 'guide', store: 'SH02' },
  { username: 'bj01.manager', role: 'store_manager', store: 'BJ01' },
  { username: 'gz01.manager', role: 'store_manager', store: 'GZ01' },
  { username: 'sz01.guide', role: 'guide', store: 'SZ01' },
];

export const DEMO_PASSWORD = 'omniloop-demo';
