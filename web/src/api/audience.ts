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

export type Segment = Answer<'/v1/segments/{id}'>;
export type SegmentRule = Segment['rule'];
export type SegmentPreview = Answer<'/v1/segments/preview', 'post'>;
export const previewSegment = (rule: SegmentRule, signal?: AbortSignal) =>
  call(client.POST('/v1/segments/preview', { body: { rule }, signal }));
export const createSegment = (name: string, rule: SegmentRule) =>
  call(client.POST('/v1/segments', { body: { name, rule } }));
export const listSegments = (signal?: AbortSignal) => call(client.GET('/v1/segments', { signal }));
/** A saved segment's member as its list shows her: her purchases, her name and phone masked. */
export type SegmentMemberListed = Answer<'/v1/segments/{id}/members'>['items'][number];
export const segmentMembers = (
  id: string,
  query: QueryOf<'/v1/segments/{id}/members'> = {},
  signal?: AbortSignal,
) => call(client.GET('/v1/segments/{id}/members', { params: { path: { id }, query }, signal }));

/** A segment's members as a CSV file the browser saves (only those with marketing consent when asked). */
export async function downloadSegment(id: string, marketingOnly: boolean): Promise<void> {
  const blob = await call(
    client.GET('/v1/segments/{id}/export', {
      params: { path: { id }, query: marketingOnly ? { consent: 'marketing' } : {} },
      parseAs: 'blob',
    }),
  );
  const url = URL.createObjectURL(blob as unknown as Blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = `segment-${id}.csv`;
  link.click();
  URL.revokeObjectURL(url);
}
