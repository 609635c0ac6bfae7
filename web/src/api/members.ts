import { type Answer, anonymousClient, call, client, type QueryOf } from './client';

/** Members (One ID, the 360 view, reviews) and logins as the console reads them, typed from /openapi.json. */
export type Member = Answer<'/v1/members/{id}'>;
export type MemberTier = NonNullable<Member['tier']>;
export type MergeRecord = Answer<'/v1/members/{id}/merges'>['items'][number];
export type IdentityReview = Answer<'/v1/identity/reviews'>['items'][number];
export type StaffLogin = Answer<'/v1/auth/login', 'post'>;
export type CustomerToken = Answer<'/v1/auth/customer-login', 'post'>;
export type Me = Answer<'/v1/auth/me'>;

export type MemberSummary = Answer<'/v1/members'>['items'][number];
export type MemberListQuery = QueryOf<'/v1/members'>;

/** Members, newest first, narrowed by a search and by tag, segment, RFM segment and tier. */
export const listMembers = (query: MemberListQuery, signal?: AbortSignal) =>
  call(client.GET('/v1/members', { params: { query }, signal }));
export const getMember = (id: string, signal?: AbortSignal) =>
  call(client.GET('/v1/members/{id}', { params: { path: { id } }, signal }));
export const lookupMember = (query: QueryOf<'/v1/members/lookup'>, signal?: AbortSignal) =>
  call(client.GET('/v1/members/lookup', { params: { query }, signal }));
/** Her member code (会员码) for this minute. */
export const showMemberCode = (id: string) =>
  call(client.POST('/v1/members/{id}/code', { params: { path: { id } } }));
/** The member a scanned member code names (store staff see her masked). */
export const memberOfCode = (code: string, signal?: AbortSignal) =>
  call(client.GET('/v1/member-codes/{code}', { params: { path: { code } }, signal }));
export const mergesOf = (id: string, signal?: AbortSignal) =>
  call(client.GET('/v1/members/{id}/merges', { params: { path: { id } }, signal }));
export const unmerge = (id: string, mergeId: string) =>
  call(client.POST('/v1/members/{id}/unmerge', { params: { path: { id } }, body: { mergeId } }));
export const listReviews = (query: QueryOf<'/v1/identity/reviews'>, signal?: AbortSignal) =>
  call(client.GET('/v1/identity/reviews', { params: { query }, signal }));
export const decideReview = (id: string, decision: 'merge' | 'reject') =>
  decision === 'merge'
    ? call(client.POST('/v1/identity/reviews/{id}/merge', { params: { path: { id } } }))
    : call(client.POST('/v1/identity/reviews/{id}/reject', { params: { path: { id } } }));

/** Staff login: no token is sent (a stale one must not get in the way). */
export const staffLogin = (username: string, password: string) =>
  call(anonymousClient.POST('/v1/auth/login', { body: { username, password } }));
export const sendLoginCode = (phone: string) =>
  call(anonymousClient.POST('/v1/auth/sms-codes', { body: { phone } }));
export const customerLogin = (phone: string, code: string) =>
  call(anonymousClient.POST('/v1/auth/customer-login', { body: { phone, code } }));

/** Who a token belongs to (a customer's token from SMS login, before it is the session's). */
export const whoIs = (token: string) =>
  call(anonymousClient.GET('/v1/auth/me', { headers: { authorization: `Bearer ${token}` } }));

/**
 * How a person is named on screen: her name, else her phone, else her e-mail (each as the server shows it to this
 * viewer: masked for store staff), and only then the member id.
 */
export function memberLabel(m: Pick<Member, 'id' | 'traits' | 'identifiers'>): string {
  const name = m.traits.name;
  if (typeof name === 'string' && name.trim() !== '') return name;
  for (const type of ['phone', 'email'] as const) {
    const found = m.identifiers.find((i) => i.type === type);
    // A mainland mobile number is shown as people write it, without +86.
    if (found) return type === 'phone' ? found.value.replace(/^\+86(?=1\d{10}$)/, '') : found.value;
  }
  return m.id;
}
