import type { Actor, Channel, Database } from '../platform/index.js';
import { recordConsent } from './consent.service.js';
import { assignGuide } from './guide.service.js';
import { findMemberIdByIdentifier, identify } from './identify.service.js';
import { piiFor } from './members.pii.js';
import type { TraitValue } from './members.rows.js';
import { type IdentifierInput, KNOWN_TRAITS } from './members.rules.js';
import { blockIdentifier } from './merges.service.js';

const SURNAMES = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '黄',
  '赵',
  '周',
  '吴',
  '徐',
  '孙',
  '林',
  '何',
  '郭',
  '马',
];
const GIVEN = [
  '静',
  '敏',
  '婷',
  '娜',
  '丽',
  '芳',
  '颖',
  '洁',
  '雪',
  '琳',
  '欣怡',
  '梓涵',
  '雨桐',
  '思琪',
  '佳怡',
  '子轩',
];
const SKIN_TYPES = KNOWN_TRAITS.skinType ?? [];
const STORES: { store: string; guide: string }[] = [
  { store: 'SH01', guide: 'sh01.guide' },
  { store: 'SH02', guide: 'sh02.guide' },
  { store: 'SZ01', guide: 'sz01.guide' },
];

export const DEMO_MEMBER_COUNT = 200;
/** Member n (1…200) has the phone 138000 followed by n in five digits: 13800000001 is the first. */
export const demoPhone = (n: number): string => `138${String(n).padStart(8, '0')}`;
export const DEMO_MINI_PROGRAM_APP = 'wx_lanjing_mp';
export const DEMO_SHARED_DEVICE = 'ipad-sh01-counter-01';

/**
 * The demo brand's members: 200 people met in every channel — mini-program users (phone, unionid, openid), online
 * shoppers (phone, e-mail), POS-only customers (a phone typed at the till, a member card), marketplace buyers,
 * WeCom contacts — with traits, consents and exclusive guides; one merge already made (a guest who logged in) and
 * one identity review waiting. Idempotent: nothing happens when the first demo member exists.
 */
export async function seedMembers(database: Database, secret: string): Promise<Record<string, number>> {
  const pii = piiFor(secret);
  const exists = await findMemberIdByIdentifier(database.db, pii, {
    type: 'phone',
    value: demoPhone(1),
  }).then(
    () => true,
    () => false,
  );
  if (exists) return {};
  const actor: Actor = { role: 'admin', subject: 'demo-seed' };
  const staff = new Set(
    (await database.db.selectFrom('users').select('username').execute()).map((u) => u.username),
  );
  let reviews = 0;
  await database.transaction(async (trx) => {
    await blockIdentifier(
      trx,
      pii,
      { type: 'device', value: DEMO_SHARED_DEVICE, reason: 'shared counter iPad at SH01' },
      actor,
    );
    for (let n = 1; n <= DEMO_MEMBER_COUNT; n++) {
      const kind = n % 5;
      const phone = demoPhone(n);
      const identifiers: IdentifierInput[] = [];
      let channel: Channel;
      if (kind === 1) {
        channel = 'mini_program';
        identifiers.push(
          { type: 'phone', value: phone, verified: true },
          { type: 'unionid', value: `oUnion_demo_${n}` },
          { type: 'openid', value: `oMp_demo_${n}`, appId: DEMO_MINI_PROGRAM_APP },
        );
      } else if (kind === 2) {
        channel = 'online';
        identifiers.push(
          { type: 'phone', value: phone, verified: true },
          { type: 'email', value: `member${n}@example.com` },
        );
      } else if (kind === 3) {
        channel = 'marketplace';
        identifiers.push(
          { type: 'marketplace', value: `tmall_buyer_${n}`, appId: 'tmall' },
          { type: 'phone', value: phone },
        );
      } else if (kind === 4) {
        channel = 'wecom';
        identifiers.push(
          { type: 'phone', value: phone, verified: true },
          { type: 'unionid', value: `oUnion_demo_${n}` },
          { type: 'device', value: `device-demo-${n}` },
        );
      } else {
        channel = 'pos';
        identifiers.push(
          { type: 'phone', value: phone },
          { type: 'card', value: `LJ${String(n).padStart(8, '0')}` },
        );
      }
      const traits: Record<string, TraitValue> = {
        name: `${SURNAMES[n % SURNAMES.length]}${GIVEN[(n * 7) % GIVEN.length]}`,
        gender: n % 9 === 0 ? 'male' : 'female',
        birthday: `${1975 + (n % 30)}-${String((n % 12) + 1).padStart(2, '0')}-${String((n % 28) + 1).padStart(2, '0')}`,
        skinType: SKIN_TYPES[n % SKIN_TYPES.length]!,
      };
      const { memberId } = await identify(trx, pii, { identifiers, traits, channel }, actor);
      if (n % 5 !== 0) {
        await recordConsent(
          trx,
          memberId,
          'personalization',
          { granted: true, channel, source: '会员注册时勾选《个性化推荐说明》' },
          actor,
        );
      }
      if (n % 3 !== 0) {
        await recordConsent(
          trx,
          memberId,
          'marketing',
          { granted: true, channel, source: '同意接收澜境的活动短信与微信消息' },
          actor,
        );
      }
      const binding = STORES[n % STORES.length]!;
      if (n % 4 === 0 && staff.has(binding.guide)) {
        await assignGuide(trx, memberId, binding, actor);
      }
    }

    // A mini-program guest who browsed with an openid, then logged in with member 11's phone: one person, merged.
    await identify(
      trx,
      pii,
      {
        identifiers: [{ type: 'openid', value: 'oMp_demo_guest_1', appId: DEMO_MINI_PROGRAM_APP }],
        channel: 'mini_program',
      },
      actor,
    );
    await identify(
      trx,
      pii,
      {
        identifiers: [
          { type: 'phone', value: demoPhone(11), verified: true },
          { type: 'openid', value: 'oMp_demo_guest_1', appId: DEMO_MINI_PROGRAM_APP },
        ],
        channel: 'mini_program',
      },
      actor,
    );
    // Member 6's phone logs into WeChat with a different unionid (a recycled number?): a person must decide.
    const conflict = await identify(
      trx,
      pii,
      {
        identifiers: [
          { type: 'phone', value: demoPhone(6), verified: true },
          { type: 'unionid', value: 'oUnion_demo_recycled_6' },
        ],
        channel: 'mini_program',
      },
      actor,
    );
    if (conflict.review) reviews++;
  });
  return { members: DEMO_MEMBER_COUNT + 1, identityReviews: reviews };
}
