import { describe, expect, it } from 'vitest';
import { identifyAs as identify, newPhone, setUpMembersApp, t } from './members.testkit.js';

setUpMembersApp();

describe('list cursors', () => {
  it('page on with the cursor a list gave out and refuse one it did not', async () => {
    for (let i = 0; i < 3; i++) {
      await identify({ identifiers: [{ type: 'phone', value: newPhone() }], channel: 'pos' });
    }
    const first = await t.request({ method: 'GET', url: '/v1/members?limit=2' });
    expect(first.statusCode, first.body).toBe(200);
    const { items, nextCursor } = first.json<{ items: { id: string }[]; nextCursor: string }>();
    expect(items).toHaveLength(2);
    expect(nextCursor).toEqual(expect.any(String));
    const second = await t.request({ method: 'GET', url: `/v1/members?limit=2&cursor=${nextCursor}` });
    expect(second.statusCode, second.body).toBe(200);
    const next = second.json<{ items: { id: string }[] }>().items.map((i) => i.id);
    expect(next.length).toBeGreaterThan(0);
    expect(next).not.toContain(items[0]!.id);
    expect(next).not.toContain(items[1]!.id);

    const notOurs = Buffer.from('not-ours').toString('base64url');
    for (const url of [
      `/v1/members?cursor=${notOurs}`,
      `/v1/identity/reviews?cursor=${notOurs}`,
      `/v1/audit-log?cursor=${notOurs}`,
      `/v1/sms/messages?cursor=${notOurs}`,
      // A cursor of another list is not one this list gave out.
      `/v1/audit-log?cursor=${nextCursor}`,
    ]) {
      const res = await t.request({ method: 'GET', url });
      expect(res.statusCode, url).toBe(400);
      expect(res.json(), url).toMatchObject({
        code: 'REQUEST.INVALID',
        errors: [{ path: 'query.cursor', message: 'is not a cursor this list gave out' }],
      });
    }
  });
});
