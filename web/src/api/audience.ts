import { type Answer, type Body, call, client, type QueryOf } from './client';

/** Customer data as the console reads it: RFM runs and a member's computed traits. */
export type RfmRun = Answer<'/v1/rfm/runs/{id}'>;
export type RfmRunRequest = Body<'/v1/rfm/runs'>;
export type RfmSegmentSize = RfmRun['segments'][number];
export type RfmMovements = Answer<'/v1/rfm/runs/{id}/movements'>;
export type RfmGrid = Answer<'/v1/rfm/runs/{id}/grid'>;
export type MemberRfmScore = Answer<'/v1/members/{id}/rfm'>[number];
export type MemberTraits = NonNullable<Answer<'/v1/members/{id}/traits'>>;

export const startRfmRun = (body: RfmRunRequest) => call(client.POST('/v1/rfm/runs', { body }));
export const listRfmRuns = (query: QueryOf<'/v1/rfm/runs'> = {}, signal?: AbortSignal) =>
  call(client.GET('/v1/rfm/runs', { params: { query }, signal }));
export const rfmGrid = (id: string, signal?: AbortSignal) =>
  call(client.GET('/v1/rfm/runs/{id}/grid', { params: { path: { id } }, signal }));
export const rfmMovements = (id: string, from: string, signal?: AbortSignal) =>
  call(client.GET('/v1/rfm/runs/{id}/movements', { params: { path: { id }, query: { from } }, signal }));
