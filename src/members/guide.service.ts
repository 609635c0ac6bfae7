import { type Actor, actorName, appendEvent, newEvent, nowIso, type Trx } from '../platform/index.js';
import { MemberErrors } from './members.errors.js';
import { MemberGuideAssigned } from './members.events.js';
import { type GuideBinding, requireActiveMember } from './members.rows.js';

// ---------------------------------------------------------------------------------------------------------
// Exclusive guide (专属导购).

export async function assignGuide(
  trx: Trx,
  memberId: string,
  input: { guide: string; store: string },
  actor: Actor,
): Promise<GuideBinding> {
  const id = await requireActiveMember(trx, memberId);
  const staff = await trx
    .selectFrom('users')
    .select(['username'])
    .where('username', '=', input.guide)
    .where('store_code', '=', input.store)
    .where('role', 'in', ['guide', 'store_manager'])
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
  if (!staff) throw MemberErrors.guideUnknown(`${input.guide} is not a guide of store ${input.store}`);
  const now = nowIso();
  await trx
    .insertInto('member_guide_bindings')
    .values({
      member_id: id,
      guide: input.guide,
      store_code: input.store,
      bound_by: actorName(actor),
      bound_at: now,
    })
    .execute();
  await appendEvent(
    trx,
    newEvent(MemberGuideAssigned, {
      stream: `member:${id}`,
      location: input.store,
      payload: { memberId: id, guide: input.guide, store: input.store },
    }),
  );
  return { guide: input.guide, store: input.store, boundBy: actorName(actor), boundAt: now };
}
