import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { removeMemberTag, setMemberTag } from './tags.service.js';

// Setting and removing a member's tags: exclusive groups replace, every change is in the history, setting a held
// tag changes nothing, and each change announces audience.profile_changed in its own transaction.

let t: TestApp;
let memberId: string;
const at = (minute: number) => new Date(Date.UTC(2026, 11, 1, 10, minute)).toISOString();

beforeAll(async () => {
  t = await startTestApp();
  memberId = (
    await t.request({
      method: 'POST',
      url: '/v1/identify',
      body: { identifiers: [{ type: 'card', value: '91001' }], channel: 'pos' },
    })
  ).json().memberId;
  const db = t.runtime.database.db;
  const now = at(0);
  await db
    .insertInto('tag_groups')
    .values([
      {
        code: 'skin_t',
        names: '{"zh-CN":"肤质","en-US":"Skin type"}',
        exclusive: 1,
        position: 1,
        updated_at: now,
      },
      {
        code: 'style_t',
        names: '{"zh-CN":"风格","en-US":"Style"}',
        exclusive: 0,
        position: 2,
        updated_at: now,
      },
    ])
    .execute();
  await db
    .insertInto('tags')
    .values(
      [
        ['dry_t', 'skin_t'],
        ['oily_t', 'skin_t'],
        ['classic_t', 'style_t'],
        ['sporty_t', 'style_t'],
      ].map(([code, group]) => ({
        code: code!,
        names: `{"zh-CN":"${code}","en-US":"${code}"}`,
        group_code: group!,
        rule: null,
        created_by: 'test',
        created_at: now,
        updated_at: now,
      })),
    )
    .execute();
}, 60_000);
afterAll(() => t.close());

const held = async () =>
  (
    await t.runtime.database.db
      .selectFrom('member_tags')
      .select(['tag_code', 'source', 'set_by'])
      .where('member_id', '=', memberId)
      .orderBy('tag_code')
      .execute()
  ).map((r) => r.tag_code);
const history = async () =>
  (
    await t.runtime.database.db
      .selectFrom('member_tag_history')
      .select(['tag_code', 'action', 'actor'])
      .where('member_id', '=', memberId)
      .orderBy('seq')
      .execute()
  ).map((r) => `${r.action} ${r.tag_code} ${r.actor}`);
const announced = async () =>
  Number(
    (
      await t.runtime.database.db
        .selectFrom('outbox_events')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('type', '=', 'audience.profile_changed')
        .where('stream', '=', 'audience:profile:tags')
        .executeTakeFirstOrThrow()
    ).n,
  );
const change = (tagCode: string, minute: number, actor = 'ops-1') => ({
  memberId,
  tagCode,
  source: 'manual' as const,
  actor,
  at: at(minute),
});

describe('member tags', () => {
  it('sets, replaces within an exclusive group, keeps both in an open one, and is idempotent', async () => {
    const tx = <T>(f: Parameters<typeof t.runtime.database.transaction<T>>[0]) =>
      t.runtime.database.transaction(f);
    expect(await tx((trx) => setMemberTag(trx, change('dry_t', 1)))).toEqual({ changed: true, replaced: [] });
    expect(await tx((trx) => setMemberTag(trx, change('classic_t', 2)))).toEqual({
      changed: true,
      replaced: [],
    });
    expect(await tx((trx) => setMemberTag(trx, change('sporty_t', 3)))).toEqual({
      changed: true,
      replaced: [],
    });
    expect(await held()).toEqual(['classic_t', 'dry_t', 'sporty_t']);
    const before = await announced();
    // Setting a tag she holds writes nothing: no history line, no event.
    expect(await tx((trx) => setMemberTag(trx, change('dry_t', 4, 'ops-2')))).toEqual({
      changed: false,
      replaced: [],
    });
    expect(await announced()).toBe(before);
    // Oily replaces dry in the exclusive skin group.
    expect(await tx((trx) => setMemberTag(trx, change('oily_t', 5)))).toEqual({
      changed: true,
      replaced: ['dry_t'],
    });
    expect(await held()).toEqual(['classic_t', 'oily_t', 'sporty_t']);
    expect(await announced()).toBe(before + 1);
    expect(await tx((trx) => removeMemberTag(trx, change('sporty_t', 6)))).toEqual({
      changed: true,
      replaced: [],
    });
    expect(await tx((trx) => removeMemberTag(trx, change('sporty_t', 7)))).toEqual({
      changed: false,
      replaced: [],
    });
    expect(await held()).toEqual(['classic_t', 'oily_t']);
    expect(await history()).toEqual([
      'set dry_t ops-1',
      'set classic_t ops-1',
      'set sporty_t ops-1',
      'removed dry_t ops-1',
      'set oily_t ops-1',
      'removed sporty_t ops-1',
    ]);
  });

  it('refuses an unknown tag and leaves nothing written', async () => {
    const before = await history();
    await expect(
      t.runtime.database.transaction((trx) => setMemberTag(trx, change('nope_t', 8))),
    ).rejects.toMatchObject({ code: 'TAG.NOT_FOUND' });
    expect(await history()).toEqual(before);
  });

  it('concurrent sets of the same tag write it once', async () => {
    await t.runtime.database.transaction((trx) => removeMemberTag(trx, change('classic_t', 9)));
    const before = (await history()).length;
    const outcomes = await Promise.all(
      [1, 2, 3, 4].map(() =>
        t.runtime.database.transaction((trx) => setMemberTag(trx, change('classic_t', 10))),
      ),
    );
    expect(outcomes.filter((o) => o.changed)).toHaveLength(1);
    expect((await history()).length).toBe(before + 1);
  });
});
