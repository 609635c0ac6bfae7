import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Static } from 'typebox';
import { appendEvent, type DB, newEvent, newId, nowIso, scheduleJob, type Trx } from '../platform/index.js';
import type { MemberTier as MemberTierAnswer, TierInput } from './loyalty.contract.js';
import { LoyaltyErrors } from './loyalty.errors.js';
import { RulesChanged, TierChanged, TiersChanged } from './loyalty.events.js';
import {
  DEFAULT_RULES,
  type EarningRules,
  nextTierReview,
  QUALIFYING_WINDOW_DAYS,
  rulesProblems,
  type Tier,
  tierForSpend,
  tierProblems,
} from './loyalty.rules.js';
import type { LoyaltyTiersTable, TierChangeReason } from './loyalty.schema.js';

export const TIER_REVIEW_JOB = 'loyalty.tiers.review';
const RULES_KEY = 'earning_rules';

/** Until the brand configures tiers, everyone is in one base tier. */
export const DEFAULT_TIERS: Tier[] = [
  { code: 'regular', name: '普通会员', rank: 0, threshold: 0, multiplier: 1, benefits: [] },
];

// ---------------------------------------------------------------------------------------------------------------
// Earning rules

export async function getRules(db: Kysely<DB>): Promise<EarningRules> {
  const row = await db
    .selectFrom('loyalty_settings')
    .select('value')
    .where('key', '=', RULES_KEY)
    .executeTakeFirst();
  if (!row) return DEFAULT_RULES;
  return { ...DEFAULT_RULES, ...(JSON.parse(row.value) as Partial<EarningRules>) };
}

export async function putRules(trx: Trx, input: Partial<EarningRules>, actor: string): Promise<EarningRules> {
  const rules: EarningRules = { ...DEFAULT_RULES, ...input };
  const problems = rulesProblems(rules);
  if (problems.length > 0) {
    throw LoyaltyErrors.invalidRules(problems.map((p) => `${p.path} ${p.message}`).join('; '), {
      errors: problems,
    });
  }
  const now = nowIso();
  const value = JSON.stringify(rules);
  await trx
    .insertInto('loyalty_settings')
    .values({ key: RULES_KEY, value, updated_by: actor, updated_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_by: actor, updated_at: now }))
    .execute();
  await appendEvent(trx, newEvent(RulesChanged, { stream: 'loyalty:rules', payload: { rules } }));
  return rules;
}

// ---------------------------------------------------------------------------------------------------------------
// Tiers

function toTier(row: LoyaltyTiersTable): Tier {
  return {
    code: row.code,
    name: row.name,
    rank: Number(row.rank),
    threshold: Number(row.threshold),
    multiplier: Number(row.multiplier),
    benefits: JSON.parse(row.benefits) as string[],
  };
}

/**
 * A member's tier code as SQL, for set-based reads (segments, the member list): her tier row, else the base tier
 * (the lowest rank of the brand's tiers, or of the defaults when none are set).
 */
export function memberTierSql(memberId: RawBuilder<unknown>): RawBuilder<string> {
  return sql<string>`coalesce((select lt.tier from loyalty_member_tiers lt where lt.member_id = ${memberId}),
    (select bt.code from loyalty_tiers bt order by bt.rank limit 1), ${DEFAULT_TIERS[0]!.code})`;
}

/** The tiers in rank order (the base tier first). */
export async function listTiers(db: Kysely<DB>): Promise<Tier[]> {
  const rows = await db.selectFrom('loyalty_tiers').selectAll().orderBy('rank').execute();
  return rows.length === 0 ? DEFAULT_TIERS : rows.map(toTier);
}

/**
 * Replaces the tier set. Members keep the tier they hold (a downgrade waits for the yearly review); one whose
 * tier was removed counts as the base tier until then.
 */
export async function putTiers(trx: Trx, input: TierInput[]): Promise<Tier[]> {
  const problems = tierProblems(input.map((t) => ({ ...t, benefits: t.benefits ?? [] })));
  if (problems.length > 0) {
    throw LoyaltyErrors.invalidTiers(problems.map((p) => `${p.path} ${p.message}`).join('; '), {
      errors: problems,
    });
  }
  const now = nowIso();
  await trx.deleteFrom('loyalty_tiers').execute();
  await trx
    .insertInto('loyalty_tiers')
    .values(
      input.map((t, rank) => ({
        code: t.code,
        name: t.name,
        rank,
        threshold: t.threshold,
        multiplier: t.multiplier,
        benefits: JSON.stringify(t.benefits ?? []),
        updated_at: now,
      })),
    )
    .execute();
  const tiers = await listTiers(trx);
  await appendEvent(trx, newEvent(TiersChanged, { stream: 'loyalty:tiers', payload: { tiers } }));
  // Upgrades now happen as soon as spend crosses a threshold; the yearly review must exist to ever downgrade.
  await scheduleTierReview(trx, await getRules(trx));
  return tiers;
}

export async function scheduleTierReview(trx: Trx, rules: EarningRules): Promise<void> {
  const next = nextTierReview(new Date(), rules.timeZone);
  await scheduleJob(trx, {
    kind: TIER_REVIEW_JOB,
    runAt: next.at,
    payload: { period: next.period },
    key: `${TIER_REVIEW_JOB}:${next.period}`,
  });
}

export interface MemberTier {
  tier: Tier;
  since: string | null;
}

/** A member's tier now (the base tier when none was ever reached). */
export async function tierOf(db: Kysely<DB>, memberId: string, tiers?: Tier[]): Promise<MemberTier> {
  const all = tiers ?? (await listTiers(db));
  const row = await db
    .selectFrom('loyalty_member_tiers')
    .select(['tier', 'since'])
    .where('member_id', '=', memberId)
    .executeTakeFirst();
  const held = row ? all.find((t) => t.code === row.tier) : undefined;
  return held ? { tier: held, since: row?.since ?? null } : { tier: all[0]!, since: null };
}

function windowStart(now: Date): string {
  return new Date(now.getTime() - QUALIFYING_WINDOW_DAYS * 24 * 3600 * 1000).toISOString();
}

/** Qualifying spend over the rolling 12 months, across every channel (completed orders less returns). */
export async function qualifyingSpend(db: Kysely<DB>, memberId: string, now = new Date()): Promise<number> {
  const row = await db
    .selectFrom('loyalty_spend')
    .select((eb) => eb.fn.sum<number>('amount').as('total'))
    .where('member_id', '=', memberId)
    .where('occurred_at', '>', windowStart(now))
    .executeTakeFirst();
  return Math.max(0, Number(row?.total ?? 0));
}

/**
 * Moves a member to another tier, conditional on the tier it holds now (a concurrent change makes this one a
 * no-op rather than overwriting it), records the change and emits `member.tier_changed`.
 */
async function changeTier(
  trx: Trx,
  memberId: string,
  from: Tier | null,
  to: Tier,
  reason: TierChangeReason,
  spend: number,
): Promise<boolean> {
  const now = nowIso();
  const existing = await trx
    .selectFrom('loyalty_member_tiers')
    .select('tier')
    .where('member_id', '=', memberId)
    .executeTakeFirst();
  let changed: boolean;
  if (existing) {
    const result = await trx
      .updateTable('loyalty_member_tiers')
      .set({ tier: to.code, since: now, updated_at: now })
      .where('member_id', '=', memberId)
      .where('tier', '=', existing.tier)
      .executeTakeFirst();
    changed = Number(result.numUpdatedRows) === 1;
  } else {
    const result = await trx
      .insertInto('loyalty_member_tiers')
      .values({ member_id: memberId, tier: to.code, since: now, updated_at: now })
      .onConflict((oc) => oc.column('member_id').doNothing())
      .executeTakeFirst();
    changed = Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
  }
  if (!changed) return false;
  await trx
    .insertInto('loyalty_tier_changes')
    .values({
      id: newId('tch'),
      member_id: memberId,
      from_tier: from?.code ?? null,
      to_tier: to.code,
      reason,
      qualifying_spend: spend,
      changed_at: now,
    })
    .execute();
  await appendEvent(
    trx,
    newEvent(TierChanged, {
      stream: `member:${memberId}`,
      payload: {
        memberId,
        from: from?.code ?? null,
        to: to.code,
        toName: to.name,
        direction: from && from.rank > to.rank ? 'down' : 'up',
        reason,
        qualifyingSpend: spend,
      },
    }),
  );
  return true;
}

/** Upgrades at once when the rolling spend crosses a higher threshold (never downgrades: that is the review's). */
export async function upgradeIfQualified(
  trx: Trx,
  memberId: string,
  tiers: Tier[],
  held?: Tier,
): Promise<void> {
  const current = held ?? (await tierOf(trx, memberId, tiers)).tier;
  if (current.rank === tiers[tiers.length - 1]?.rank) return;
  const spend = await qualifyingSpend(trx, memberId);
  const reached = tierForSpend(tiers, spend);
  if (reached.rank > current.rank) {
    await changeTier(trx, memberId, current, reached, 'upgrade', spend);
    await scheduleTierReview(trx, await getRules(trx));
  }
}

/**
 * The yearly review (a durable job at 1 January, brand time): every member holding a tier above the base is set
 * to the tier their rolling spend reaches — the only moment a tier goes down. Runs once per period.
 */
export async function runTierReview(trx: Trx, period: string): Promise<number> {
  const claimed = await trx
    .insertInto('loyalty_tier_reviews')
    .values({ period, changed: 0, ran_at: nowIso() })
    .onConflict((oc) => oc.column('period').doNothing())
    .executeTakeFirst();
  if (Number(claimed.numInsertedOrUpdatedRows ?? 0n) !== 1) return 0;
  const tiers = await listTiers(trx);
  const now = new Date();
  const spends = new Map(
    (
      await trx
        .selectFrom('loyalty_spend')
        .select(['member_id', (eb) => eb.fn.sum<number>('amount').as('total')])
        .where('occurred_at', '>', windowStart(now))
        .groupBy('member_id')
        .execute()
    ).map((r) => [r.member_id, Math.max(0, Number(r.total ?? 0))]),
  );
  const holders = await trx.selectFrom('loyalty_member_tiers').select(['member_id', 'tier']).execute();
  let changed = 0;
  for (const holder of holders) {
    const spend = spends.get(holder.member_id) ?? 0;
    const current = tiers.find((t) => t.code === holder.tier) ?? null;
    const reached = tierForSpend(tiers, spend);
    if (current?.code === reached.code) continue;
    if (await changeTier(trx, holder.member_id, current, reached, 'review', spend)) changed++;
  }
  await trx.updateTable('loyalty_tier_reviews').set({ changed }).where('period', '=', period).execute();
  await scheduleTierReview(trx, await getRules(trx));
  return changed;
}

/**
 * After a merge the surviving member holds the better of the two tiers, or a higher one if their combined spend
 * reaches it. An unmerge leaves the survivor's tier alone until the yearly review (a tier never drops mid-year);
 * the restored member finds its own tier row untouched.
 */
export async function settleTierAfterMerge(trx: Trx, targetId: string, sourceId: string): Promise<void> {
  const tiers = await listTiers(trx);
  const [target, source] = await Promise.all([tierOf(trx, targetId, tiers), tierOf(trx, sourceId, tiers)]);
  const spend = await qualifyingSpend(trx, targetId);
  const bySpend = tierForSpend(tiers, spend);
  const best = [target.tier, source.tier, bySpend].reduce((a, b) => (b.rank > a.rank ? b : a));
  if (best.rank > target.tier.rank) {
    await changeTier(trx, targetId, target.tier, best, 'merge', spend);
    await scheduleTierReview(trx, await getRules(trx));
  }
}

export type TierView = Static<typeof MemberTierAnswer>;

/** The member 360 view's `tier` section. */
export async function tierView(db: Kysely<DB>, memberId: string): Promise<TierView> {
  const tiers = await listTiers(db);
  const { tier, since } = await tierOf(db, memberId, tiers);
  const spend = await qualifyingSpend(db, memberId);
  const next = tiers.find((t) => t.rank > tier.rank);
  return {
    code: tier.code,
    name: tier.name,
    rank: tier.rank,
    multiplier: tier.multiplier,
    benefits: tier.benefits,
    since,
    qualifyingSpend: spend,
    next: next
      ? {
          code: next.code,
          name: next.name,
          threshold: next.threshold,
          missing: Math.max(0, next.threshold - spend),
        }
      : null,
  };
}

export type { TierInput };
