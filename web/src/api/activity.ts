import { type Answer, call, client } from './client';

/** One page of a member's activity, newest first. */
export type ActivityPage = Answer<'/v1/members/{id}/activity'>;
export type ActivityEntry = ActivityPage['items'][number];

export const activityOf = (
  memberId: string,
  query: { type?: string; cursor?: string; limit?: number },
  signal?: AbortSignal,
) =>
  call(
    client.GET('/v1/members/{id}/activity', {
      params: { path: { id: memberId }, query },
      signal,
    }),
  );
