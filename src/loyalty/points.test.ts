import { describe, expect, it } from 'vitest';
import { newId } from '../platform/index.js';
import {
  complete,
  expectLedgerConsistent,
  newMember,
  phone,
  points,
  putRules,
  setupPointsApp,
  t,
  until,
} from './loyalty.testkit.js';

setupPointsApp();

describe('points', () => {
  it('answers the balance, the lots and the ledger from one snapshot while points are being earned', async () => {
    await putRules({ returnWindowSeconds: 0 });
    try {
      const member = await newMember();
      const orders = 12;
      const earning = Promise.all(
        Array.from({ length: orders }, () =>
          complete(newId('ord'), member, [
            { lineNo: 1, sku: 'LIP-1', category: 'lipstick', quantity: 1, unitPrice: 10_000 },
          ]),
        ),
      );
      // Each reading, however it falls among the commits, adds up: the balance is the ledger's sum and the lots'.
      const deadline = Date.now() + 15_000;
      let last = 0;
      while (last < orders * 100) {
        const view = await points(member);
        const lots = view.lots as { remaining: number }[];
        const ledger = view.ledger as { points: number }[];
        expect(lots.reduce((sum, lot) => sum + lot.remaining, 0)).toBe(view.available);
        expect(ledger.reduce((sum, entry) => sum + entry.points, 0)).toBe(view.available);
        last = view.available;
        if (Date.now() > deadline) throw new Error(`points stopped at ${last}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      await earning;
    } finally {
      await putRules({ returnWindowSeconds: 1 });
    }
  });

  it('follows a merge: points, ledger and spend move to the survivor, who keeps the better tier; unmerge moves them back', async () => {
    await putRules({ returnWindowSeconds: 0 });
    try {
      const rich = await newMember();
      const emailRes = await t.request({
        method: 'POST',
        url: '/v1/identify',
        body: { identifiers: [{ type: 'email', value: `m${phone}@example.com` }], channel: 'online' },
      });
      const guest = emailRes.json().memberId as string;
      await complete(newId('ord'), guest, [
        { lineNo: 1, sku: 'CRM-9', category: 'skincare', quantity: 1, unitPrice: 900_000 },
      ]);
      await complete(newId('ord'), rich, [
        { lineNo: 1, sku: 'LIP-1', category: 'lipstick', quantity: 1, unitPrice: 10_000 },
      ]);
      await until(
        () => points(guest),
        (p) => p.available === 9000,
      );
      await until(
        () => points(rich),
        (p) => p.available === 100,
      );
      const merged = await t.request({
        method: 'POST',
        url: '/v1/identify',
        body: {
          identifiers: [
            { type: 'phone', value: String(phone), verified: true },
            { type: 'email', value: `m${phone}@example.com` },
          ],
          channel: 'online',
        },
      });
      expect(merged.statusCode, merged.body).toBe(200);
      const survivor = merged.json().memberId as string;
      const gone = survivor === rich ? guest : rich;
      expect(merged.json().mergedFrom).toEqual([gone]);
      const view = await until(
        async () => (await t.request({ method: 'GET', url: `/v1/members/${survivor}` })).json(),
        (v) => v.tier?.code === 'gold',
      );
      expect(view.points.available).toBe(9100);
      await expectLedgerConsistent(survivor);

      const merges = (await t.request({ method: 'GET', url: `/v1/members/${survivor}/merges` })).json();
      const mergeId = (merges.items ?? merges)[0].id;
      const undone = await t.request({
        method: 'POST',
        url: `/v1/members/${survivor}/unmerge`,
        body: { mergeId },
      });
      expect(undone.statusCode, undone.body).toBe(200);
      expect((await points(gone)).available).toBe(gone === guest ? 9000 : 100);
      expect((await points(survivor)).available).toBe(survivor === guest ? 9000 : 100);
      await expectLedgerConsistent(gone);
      await expectLedgerConsistent(survivor);
    } finally {
      await putRules({ returnWindowSeconds: 1 });
    }
  });

  it('lets a customer read their own points only', async () => {
    const mine = await newMember();
    const other = await newMember();
    const customer = { role: 'customer' as const, subject: mine, memberId: mine, storeCode: null };
    expect(
      (await t.request({ method: 'GET', url: `/v1/members/${mine}/points`, as: customer })).statusCode,
    ).toBe(200);
    const res = await t.request({ method: 'GET', url: `/v1/members/${other}/points`, as: customer });
    expect(res.statusCode).toBe(403);
  });
});
