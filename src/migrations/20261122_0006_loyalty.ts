import type { Kysely } from 'kysely';

// Loyalty (tiers, the points ledger, coupons) and experiences (trials, favourites, the purchase projection that
// recommendations read). No table points at another context's tables: member ids and order ids are plain text.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('loyalty_tiers')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('rank', 'integer', (c) => c.notNull())
    .addColumn('threshold', 'bigint', (c) => c.notNull())
    .addColumn('multiplier', 'double precision', (c) => c.notNull())
    .addColumn('benefits', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('loyalty_settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  // A member's tier now. Keyed by member, so it is not moved by merges: the merge reaction decides the tier.
  await db.schema
    .createTable('loyalty_member_tiers')
    .addColumn('member_id', 'text', (c) => c.primaryKey())
    .addColumn('tier', 'text', (c) => c.notNull())
    .addColumn('since', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('loyalty_tier_changes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('from_tier', 'text')
    .addColumn('to_tier', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('qualifying_spend', 'bigint', (c) => c.notNull())
    .addColumn('changed_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('loyalty_tier_changes_member')
    .on('loyalty_tier_changes')
    .columns(['member_id', 'changed_at'])
    .execute();

  await db.schema
    .createTable('loyalty_tier_reviews')
    .addColumn('period', 'text', (c) => c.primaryKey())
    .addColumn('changed', 'integer', (c) => c.notNull())
    .addColumn('ran_at', 'text', (c) => c.notNull())
    .execute();

  // Qualifying spend: one row per completed order (+) and per returned line (−), so the rolling 12 months is a sum.
  await db.schema
    .createTable('loyalty_spend')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('source_key', 'text', (c) => c.notNull().unique())
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('loyalty_spend_member')
    .on('loyalty_spend')
    .columns(['member_id', 'occurred_at'])
    .execute();

  await db.schema
    .createTable('loyalty_points_lots')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('member_id', 'text', (c) => c.notNull())
    // What made the lot (an order line, a debt of a return): a retry finds it instead of making a second one.
    .addColumn('source_key', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('order_id', 'text')
    .addColumn('line_no', 'integer')
    .addColumn('sku', 'text')
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('paid_amount', 'bigint', (c) => c.notNull())
    .addColumn('points', 'integer', (c) => c.notNull())
    .addColumn('reversed_points', 'integer', (c) => c.notNull())
    .addColumn('reversed_quantity', 'integer', (c) => c.notNull())
    .addColumn('remaining', 'integer', (c) => c.notNull())
    .addColumn('expired_points', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('earned_at', 'text', (c) => c.notNull())
    .addColumn('available_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text')
    .execute();
  await db.schema
    .createIndex('loyalty_points_lots_member')
    .on('loyalty_points_lots')
    .columns(['member_id', 'status', 'expires_at'])
    .execute();
  await db.schema
    .createIndex('loyalty_points_lots_order')
    .on('loyalty_points_lots')
    .columns(['order_id', 'line_no'])
    .execute();

  // The ledger: `points` changes the available balance, `pending_points` the pending one. Each entry is unique by
  // its source, so a retried event, job or request never writes it twice.
  await db.schema
    .createTable('loyalty_points_ledger')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('source_key', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('points', 'integer', (c) => c.notNull())
    .addColumn('pending_points', 'integer', (c) => c.notNull())
    .addColumn('lot_id', 'text')
    .addColumn('order_id', 'text')
    .addColumn('reference', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('loyalty_points_ledger_member')
    .on('loyalty_points_ledger')
    .columns(['member_id', 'created_at', 'id'])
    .execute();

  // Which lots a spend took points from, so that giving points back returns them to the same lots.
  await db.schema
    .createTable('loyalty_points_allocations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('spend_key', 'text', (c) => c.notNull())
    .addColumn('lot_id', 'text', (c) => c.notNull())
    .addColumn('points', 'integer', (c) => c.notNull())
    .addColumn('restored', 'integer', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('loyalty_points_allocations_spend')
    .on('loyalty_points_allocations')
    .columns(['spend_key', 'seq'])
    .execute();

  await db.schema
    .createTable('loyalty_points_redemptions')
    .addColumn('order_id', 'text', (c) => c.primaryKey())
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('points', 'integer', (c) => c.notNull())
    .addColumn('amount', 'integer', (c) => c.notNull())
    .addColumn('restored_points', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('loyalty_points_redemptions_member')
    .on('loyalty_points_redemptions')
    .column('member_id')
    .execute();

  // Guards that make restoring an order's benefits and reversing a return happen once each.
  await db.schema
    .createTable('loyalty_order_restorations')
    .addColumn('order_id', 'text', (c) => c.primaryKey())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('loyalty_return_reversals')
    .addColumn('return_id', 'text', (c) => c.primaryKey())
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('result', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('coupon_templates')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value', 'integer', (c) => c.notNull())
    .addColumn('max_discount', 'integer')
    .addColumn('min_spend', 'integer', (c) => c.notNull())
    .addColumn('channels', 'text')
    .addColumn('stores', 'text')
    .addColumn('skus', 'text')
    .addColumn('categories', 'text')
    .addColumn('tiers', 'text')
    .addColumn('valid_from', 'text', (c) => c.notNull())
    .addColumn('valid_to', 'text', (c) => c.notNull())
    .addColumn('valid_days', 'integer')
    .addColumn('per_member_limit', 'integer')
    .addColumn('total_limit', 'integer')
    .addColumn('issued_count', 'integer', (c) => c.notNull())
    .addColumn('stackable', 'integer', (c) => c.notNull())
    .addColumn('issuable_in_store', 'integer', (c) => c.notNull())
    .addColumn('points_cost', 'integer')
    .addColumn('description', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('coupons')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('template', 'text', (c) => c.notNull())
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('valid_from', 'text', (c) => c.notNull())
    .addColumn('valid_to', 'text', (c) => c.notNull())
    .addColumn('issued_at', 'text', (c) => c.notNull())
    .addColumn('issued_by', 'text', (c) => c.notNull())
    .addColumn('issued_store', 'text')
    .addColumn('order_id', 'text')
    .addColumn('redeemed_at', 'text')
    .addColumn('redeemed_channel', 'text')
    .addColumn('redeemed_store', 'text')
    .addColumn('amount', 'integer')
    .execute();
  await db.schema
    .createIndex('coupons_member')
    .on('coupons')
    .columns(['member_id', 'status', 'issued_at'])
    .execute();
  await db.schema
    .createIndex('coupons_template_member')
    .on('coupons')
    .columns(['template', 'member_id'])
    .execute();
  await db.schema.createIndex('coupons_order').on('coupons').column('order_id').execute();

  await db.schema
    .createTable('coupon_redemptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('order_id', 'text')
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('store', 'text')
    .addColumn('amount', 'integer', (c) => c.notNull())
    .addColumn('redeemed_by', 'text', (c) => c.notNull())
    .addColumn('redeemed_at', 'text', (c) => c.notNull())
    .addColumn('restored_at', 'text')
    .execute();
  await db.schema.createIndex('coupon_redemptions_code').on('coupon_redemptions').column('code').execute();
  await db.schema
    .createIndex('coupon_redemptions_order')
    .on('coupon_redemptions')
    .column('order_id')
    .execute();

  await db.schema
    .createTable('experiences')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('store', 'text', (c) => c.notNull())
    .addColumn('guide', 'text')
    .addColumn('sku', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('result', 'text')
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('experiences_member')
    .on('experiences')
    .columns(['member_id', 'recorded_at'])
    .execute();
  await db.schema
    .createIndex('experiences_store')
    .on('experiences')
    .columns(['store', 'recorded_at'])
    .execute();

  await db.schema
    .createTable('experience_favourites')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('sku', 'text', (c) => c.notNull())
    .addColumn('store', 'text')
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('experience_favourites_member')
    .on('experience_favourites')
    .columns(['member_id', 'created_at'])
    .execute();

  // What completed orders contained, per line: the experience context's own projection of `order.completed`.
  await db.schema
    .createTable('experience_purchases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('source_key', 'text', (c) => c.notNull().unique())
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('member_id', 'text')
    .addColumn('sku', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('completed_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('experience_purchases_order')
    .on('experience_purchases')
    .column('order_id')
    .execute();
  await db.schema
    .createIndex('experience_purchases_member')
    .on('experience_purchases')
    .column('member_id')
    .execute();
  await db.schema
    .createIndex('experience_purchases_sku')
    .on('experience_purchases')
    .columns(['sku', 'order_id'])
    .execute();
  await db.schema
    .createIndex('experience_purchases_completed')
    .on('experience_purchases')
    .column('completed_at')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'experience_purchases',
    'experience_favourites',
    'experiences',
    'coupon_redemptions',
    'coupons',
    'coupon_templates',
    'loyalty_return_reversals',
    'loyalty_order_restorations',
    'loyalty_points_redemptions',
    'loyalty_points_allocations',
    'loyalty_points_ledger',
    'loyalty_points_lots',
    'loyalty_spend',
    'loyalty_tier_reviews',
    'loyalty_tier_changes',
    'loyalty_member_tiers',
    'loyalty_settings',
    'loyalty_tiers',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
