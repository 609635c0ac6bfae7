import { type Answer, type Body, call, client } from './client';

/** Tag groups, tags and a member's tags as the console reads them, typed from /openapi.json. */
export type TagGroup = Answer<'/v1/tag-groups/{code}', 'put'>;
export type TagGroupInput = Body<'/v1/tag-groups'>;
export type Tag = Answer<'/v1/tags/{code}'>;
export type TagInput = Body<'/v1/tags'>;
export type MemberTags = Answer<'/v1/members/{id}/tags'>;
export type MemberTag = MemberTags['items'][number];
export type TagSource = MemberTag['source'];

export const listTagGroups = (signal?: AbortSignal) => call(client.GET('/v1/tag-groups', { signal }));
export const createTagGroup = (body: TagGroupInput) => call(client.POST('/v1/tag-groups', { body }));
export const updateTagGroup = (code: string, body: TagGroupInput) =>
  call(client.PUT('/v1/tag-groups/{code}', { params: { path: { code } }, body }));

export const listTags = (signal?: AbortSignal) => call(client.GET('/v1/tags', { signal }));
export const createTag = (body: TagInput) => call(client.POST('/v1/tags', { body }));
export const updateTag = (code: string, body: TagInput) =>
  call(client.PUT('/v1/tags/{code}', { params: { path: { code } }, body }));
export const deleteTag = (code: string) =>
  call(client.DELETE('/v1/tags/{code}', { params: { path: { code } } }));

export const memberTagsOf = (id: string, signal?: AbortSignal) =>
  call(client.GET('/v1/members/{id}/tags', { params: { path: { id } }, signal }));
export const setMemberTag = (id: string, code: string) =>
  call(client.PUT('/v1/members/{id}/tags/{code}', { params: { path: { id, code } } }));
export const removeMemberTag = (id: string, code: string) =>
  call(client.DELETE('/v1/members/{id}/tags/{code}', { params: { path: { id, code } } }));
