import type { Kysely } from 'kysely';
import { serialKey } from './util.js';

// Members (One ID). Personal data is stored only as ciphertext plus HMAC blind indexes: no column below holds
// a phone, name, e-mail, address or birthday in clear.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('members')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('merged_into', 'text')
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('profile_ciphertext', 'text')
    .addColumn('name_index', 'text')
    .addColumn('traits', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('erased_at', 'text')
    .execute();
  await db.schema.createIndex('members_merged_into').on('members').column('merged_into').execute();
  await db.schema.createIndex('members_name_index').on('members').column('name_index').execute();
  await db.schema.createIndex('members_created').on('members').columns(['created_at', 'id']).execute();

  await db.schema
    .createTable('member_identifiers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('blind_index', 'text', (c) => c.notNull())
    .addColumn('ciphertext', 'text', (c) => c.notNull())
    .addColumn('verified', 'integer', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  // An identifier belongs to at most one member: the database enforces it, also between concurrent requests.
  await db.schema
    .createIndex('member_identifiers_value')
    .on('member_identifiers')
    .columns(['type', 'app_id', 'blind_index'])
    .unique()
    .execute();
  await db.schema
    .createIndex('member_identifiers_member')
    .on('member_identifiers')
    .column('member_id')
    .execute();

  await db.schema
    .createTable('member_consents')
    .addColumn('seq', ...serialKey(db))
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('granted', 'integer', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('source', 'text')
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('member_consents_member')
    .on('member_consents')
    .columns(['member_id', 'purpose', 'seq'])
    .execute();

  await db.schema
    .createTable('member_guide_bindings')
    .addColumn('seq', ...serialKey(db))
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('guide', 'text', (c) => c.notNull())
    .addColumn('store_code', 'text', (c) => c.notNull())
    .addColumn('bound_by', 'text', (c) => c.notNull())
    .addColumn('bound_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('member_guide_bindings_member')
    .on('member_guide_bindings')
    .columns(['member_id', 'seq'])
    .execute();

  await db.schema
    .createTable('member_merges')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('target_member_id', 'text', (c) => c.notNull())
    .addColumn('source_member_id', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('review_id', 'text')
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('record', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('undone_at', 'text')
    .addColumn('undone_by', 'text')
    .execute();
  await db.schema
    .createIndex('member_merges_target')
    .on('member_merges')
    .column('target_member_id')
    .execute();
  await db.schema
    .createIndex('member_merges_source')
    .on('member_merges')
    .column('source_member_id')
    .execute();

  await db.schema
    .createTable('identity_reviews')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('member_ids', 'text', (c) => c.notNull())
    .addColumn('pending_identifiers', 'text')
    .addColumn('open_key', 'text', (c) => c.unique())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'text')
    .addColumn('decided_by', 'text')
    .addColumn('merge_ids', 'text')
    .execute();
  await db.schema
    .createIndex('identity_reviews_status')
    .on('identity_reviews')
    .columns(['status', 'id'])
    .execute();

  await db.schema
    .createTable('identity_blocklist')
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('blind_index', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('identity_blocklist_pk', ['type', 'app_id', 'blind_index'])
    .execute();

  await db.schema
    .createTable('pii_access_log')
    .addColumn('seq', ...serialKey(db))
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('actor_role', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('request_id', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('pii_access_log_member')
    .on('pii_access_log')
    .columns(['member_id', 'seq'])
    .execute();

  await db.schema
    .createTable('sms_outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('phone_index', 'text', (c) => c.notNull())
    .addColumn('phone_ciphertext', 'text', (c) => c.notNull())
    .addColumn('template', 'text', (c) => c.notNull())
    .addColumn('params_ciphertext', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('provider_message_id', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('delivered_at', 'text')
    .execute();
  await db.schema.createIndex('sms_outbox_phone').on('sms_outbox').columns(['phone_index', 'id']).execute();

  await db.schema
    .createTable('sms_codes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('phone_index', 'text', (c) => c.notNull())
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('consumed_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('sms_codes_phone')
    .on('sms_codes')
    .columns(['phone_index', 'created_at'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'sms_codes',
    'sms_outbox',
    'pii_access_log',
    'identity_blocklist',
    'identity_reviews',
    'member_merges',
    'member_guide_bindings',
    'member_consents',
    'member_identifiers',
    'members',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
