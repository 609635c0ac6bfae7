import type { Kysely } from 'kysely';
import { isPostgres, serialKey } from './util.js';

// The customer data platform's tables, all keyed by member so that they can be distributed by it:
// - member_activity: what a member (or a not-yet-known device) did — tracked app events and the facts the platform
//   records itself (a purchase, a return, a trial, a coupon redeemed), one row per SKU touched, `ref` naming the
//   order/return/trial so that a count of "orders" is a count of distinct refs;
// - member_traits: the computed profile kept current by durable consumers (and equal to a full recompute);
// - tag_groups, tags, member_tags, member_tag_history: manual and rule tags, and who or what set each one when;
// - rfm_runs, rfm_scores: every RFM run with each member's scores;
// - segments, segment_members: the brand's segments and their live membership.
export async function up(db: Kysely<any>): Promise<void> {
  const bigint = isPostgres(db) ? 'bigint' : 'integer';
  await db.schema
    .createTable('member_activity')
    .addColumn('seq', ...serialKey(db))
    .addColumn('member_id', 'text')
    .addColumn('anonymous_id', 'text')
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('sku', 'text')
    .addColumn('category', 'text')
    .addColumn('store', 'text')
    .addColumn('ref', 'text')
    .addColumn('amount', bigint)
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('properties', 'text')
    .execute();
  await db.schema
    .createIndex('member_activity_member')
    .on('member_activity')
    .columns(['member_id', 'type', 'occurred_at'])
    .execute();
  await db.schema
    .createIndex('member_activity_type_time')
    .on('member_activity')
    .columns(['type', 'occurred_at'])
    .execute();
  await db.schema
    .createIndex('member_activity_anonymous')
    .on('member_activity')
    .column('anonymous_id')
    .where('anonymous_id', 'is not', null)
    .execute();
  await db.schema
    .createIndex('member_activity_received')
    .on('member_activity')
    .column('received_at')
    .execute();

  await db.schema
    .createTable('member_traits')
    .addColumn('member_id', 'text', (c) => c.primaryKey())
    .addColumn('card', 'text')
    .addColumn('first_order_at', 'text')
    .addColumn('last_order_at', 'text')
    .addColumn('order_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('spend', bigint, (c) => c.notNull().defaultTo(0))
    .addColumn('spend_365', bigint, (c) => c.notNull().defaultTo(0))
    .addColumn('average_order', bigint, (c) => c.notNull().defaultTo(0))
    .addColumn('units_bought', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('units_returned', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('returned_amount', bigint, (c) => c.notNull().defaultTo(0))
    .addColumn('return_rate', 'real', (c) => c.notNull().defaultTo(0))
    .addColumn('channels', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('stores', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('top_categories', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('home_store', 'text')
    .addColumn('city', 'text')
    .addColumn('trial_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_trial_at', 'text')
    .addColumn('last_seen_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  for (const column of ['order_count', 'spend', 'last_order_at', 'spend_365', 'home_store']) {
    await db.schema.createIndex(`member_traits_${column}`).on('member_traits').column(column).execute();
  }

  await db.schema
    .createTable('tag_groups')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('names', 'text', (c) => c.notNull())
    .addColumn('exclusive', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('tags')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('names', 'text', (c) => c.notNull())
    .addColumn('group_code', 'text')
    .addColumn('rule', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('member_tags')
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('tag_code', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('set_by', 'text', (c) => c.notNull())
    .addColumn('set_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('member_tags_pk', ['member_id', 'tag_code'])
    .execute();
  await db.schema
    .createIndex('member_tags_tag')
    .on('member_tags')
    .columns(['tag_code', 'member_id'])
    .execute();
  await db.schema
    .createTable('member_tag_history')
    .addColumn('seq', ...serialKey(db))
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('tag_code', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('member_tag_history_member')
    .on('member_tag_history')
    .columns(['member_id', 'seq'])
    .execute();

  await db.schema
    .createTable('rfm_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('scheme', 'text', (c) => c.notNull())
    .addColumn('as_of', 'text', (c) => c.notNull())
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('members', 'integer', (c) => c.notNull())
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('segments', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rfm_runs_scheme').on('rfm_runs').columns(['scheme', 'created_at']).execute();
  await db.schema
    .createTable('rfm_scores')
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('recency', 'integer', (c) => c.notNull())
    .addColumn('frequency', 'integer', (c) => c.notNull())
    .addColumn('monetary', bigint, (c) => c.notNull())
    .addColumn('r_score', 'integer', (c) => c.notNull())
    .addColumn('f_score', 'integer', (c) => c.notNull())
    .addColumn('m_score', 'integer', (c) => c.notNull())
    .addColumn('segment', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('rfm_scores_pk', ['run_id', 'member_id'])
    .execute();
  await db.schema.createIndex('rfm_scores_segment').on('rfm_scores').columns(['run_id', 'segment']).execute();
  await db.schema.createIndex('rfm_scores_member').on('rfm_scores').column('member_id').execute();

  await db.schema
    .createTable('segments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('computed_at', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('segment_members')
    .addColumn('segment_id', 'text', (c) => c.notNull())
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('entered_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('segment_members_pk', ['segment_id', 'member_id'])
    .execute();
  await db.schema.createIndex('segment_members_member').on('segment_members').column('member_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'segment_members',
    'segments',
    'rfm_scores',
    'rfm_runs',
    'member_tag_history',
    'member_tags',
    'tags',
    'tag_groups',
    'member_traits',
    'member_activity',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
