import type { Kysely } from 'kysely';
import type { DB } from '../platform/index.js';
import type { MemberTraitsTable } from './audience.schema.js';
import type { MemberTraits } from './traits.contract.js';

export function toMemberTraits(row: MemberTraitsTable): MemberTraits {
  return {
    memberId: row.member_id,
    firstOrderAt: row.first_order_at,
    lastOrderAt: row.last_order_at,
    orderCount: Number(row.order_count),
    spend: Number(row.spend),
    spend365: Number(row.spend_365),
    averageOrder: Number(row.average_order),
    unitsBought: Number(row.units_bought),
    unitsReturned: Number(row.units_returned),
    returnedAmount: Number(row.returned_amount),
    returnRate: Number(row.return_rate),
    channels: JSON.parse(row.channels) as string[],
    stores: JSON.parse(row.stores) as string[],
    topCategories: JSON.parse(row.top_categories) as string[],
    homeStore: row.home_store,
    city: row.city,
    trialCount: Number(row.trial_count),
    lastTrialAt: row.last_trial_at,
    lastSeenAt: row.last_seen_at,
    updatedAt: row.updated_at,
  };
}

/** A member's traits; null when nothing is known of her yet (no order, return, trial or activity). */
export async function traitsOf(db: Kysely<DB>, memberId: string): Promise<MemberTraits | null> {
  const row = await db
    .selectFrom('member_traits')
    .selectAll()
    .where('member_id', '=', memberId)
    .executeTakeFirst();
  return row ? toMemberTraits(row) : null;
}
