import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';

// Tag groups over HTTP: created, listed in their order with their tag counts, changed; a taken code and an unknown
// group are refused with their codes.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
}, 60_000);
afterAll(() => t.close());

const skin = {
  code: 'skin_type',
  names: { 'zh-CN': '肤质', 'en-US': 'Skin type' },
  exclusive: true,
  position: 1,
};

describe('tag groups', () => {
  it('creates, lists and changes a group', async () => {
    const created = await t.request({ method: 'POST', url: '/v1/tag-groups', body: skin });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ ...skin, tags: 0 });
    const changed = await t.request({
      method: 'PUT',
      url: '/v1/tag-groups/skin_type',
      body: { ...skin, names: { 'zh-CN': '肤质类型', 'en-US': 'Skin type' }, position: 2 },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    const list = await t.request({ method: 'GET', url: '/v1/tag-groups' });
    expect(list.statusCode).toBe(200);
    expect(list.json().items.find((g: { code: string }) => g.code === 'skin_type')).toMatchObject({
      names: { 'zh-CN': '肤质类型' },
      position: 2,
      exclusive: true,
    });
  });

  it('refuses a taken code and an unknown group', async () => {
    const again = await t.request({ method: 'POST', url: '/v1/tag-groups', body: skin });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('TAG.CODE_TAKEN');
    const unknown = await t.request({
      method: 'PUT',
      url: '/v1/tag-groups/nope',
      body: { ...skin, code: 'nope' },
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('TAG.GROUP_NOT_FOUND');
  });
});
