import Type from 'typebox';
import { appendEvent, defineEvent, newEvent, type Trx } from '../platform/index.js';

/**
 * Some members' profile data changed: activity recorded, traits updated, tags set or removed, an RFM run scored
 * them. Segments and rule tags follow this one event rather than every fact of every context, so that they
 * re-evaluate a member only after what they read (traits, activity, tags) has been written.
 */
export const MemberProfileChanged = defineEvent(
  'audience.profile_changed',
  Type.Object({
    memberIds: Type.Array(Type.String(), { minItems: 1, maxItems: 1000 }),
    what: Type.Union([
      Type.Literal('activity'),
      Type.Literal('traits'),
      Type.Literal('tags'),
      Type.Literal('rfm'),
    ]),
  }),
);

export type ProfileChange = 'activity' | 'traits' | 'tags' | 'rfm';

/** Says, in the transaction that changed them, that these members' profile data changed (chunks of 1,000). */
export async function profileChanged(
  trx: Trx,
  memberIds: Iterable<string>,
  what: ProfileChange,
): Promise<void> {
  const distinct = [...new Set(memberIds)];
  for (let i = 0; i < distinct.length; i += 1000) {
    await appendEvent(
      trx,
      newEvent(MemberProfileChanged, {
        stream: `audience:profile:${what}`,
        payload: { memberIds: distinct.slice(i, i + 1000), what },
      }),
    );
  }
}
