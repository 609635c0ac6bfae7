import { randomInt } from 'node:crypto';
import {
  type Actor,
  type Channel,
  type Database,
  decodeCursor,
  encodeCursor,
  type Job,
  newId,
  nowIso,
  scheduleJob,
  type Trx,
} from '../platform/index.js';
import { identify, retryOnRace } from './identify.service.js';
import { MemberErrors } from './members.errors.js';
import type { Pii } from './members.pii.js';
import { indexScope, normalisePhone } from './members.rules.js';

/** Sends a text message. A real carrier (Aliyun, Tencent Cloud SMS) implements this with the same contract. */
export interface SmsSender {
  /** Accepts a message for delivery; delivery happens later and may fail (see the message's status). */
  send(to: string, template: string, params: Record<string, string>): Promise<{ messageId: string }>;
}

export const SMS_TEMPLATES: Record<string, string> = {
  login_code: '【澜境】您的登录验证码是 {code}，5 分钟内有效。如非本人操作，请忽略本短信。',
};

export const SMS_DELIVER_JOB = 'members.sms_deliver';
const SMS_MAX_ATTEMPTS = 5;

/**
 * The built-in carrier: each message is a row of `sms_outbox` written in the caller's transaction, delivered by a
 * durable job. Delivery fails at the rate `OMNILOOP_SMS_FAILURE_RATE` (0–1, default 0) and is retried with
 * back-off; the row says what happened (queued, delivered, failed) and nothing is reported delivered unless the
 * delivery step ran.
 */
export function localSmsSender(trx: Trx, pii: Pii): SmsSender {
  return {
    async send(to, template, params) {
      if (!SMS_TEMPLATES[template]) throw new Error(`Unknown SMS template "${template}"`);
      const id = newId('sms');
      const now = nowIso();
      await trx
        .insertInto('sms_outbox')
        .values({
          id,
          phone_index: pii.blindIndex(indexScope('phone', ''), to),
          phone_ciphertext: pii.encrypt(to),
          template,
          params_ciphertext: pii.encrypt(JSON.stringify(params)),
          status: 'queued',
          attempts: 0,
          provider_message_id: null,
          last_error: null,
          created_at: now,
          updated_at: now,
          delivered_at: null,
        })
        .execute();
      await scheduleJob(trx, {
        kind: SMS_DELIVER_JOB,
        runAt: now,
        key: `sms:${id}:1`,
        payload: { messageId: id },
      });
      return { messageId: id };
    },
  };
}

export function smsFailureRate(): number {
  const rate = Number(process.env.OMNILOOP_SMS_FAILURE_RATE ?? 0);
  return Number.isFinite(rate) ? Math.min(1, Math.max(0, rate)) : 0;
}

/** The local carrier's delivery attempt (a durable job). */
export async function deliverSms(trx: Trx, job: Job, random: () => number = Math.random): Promise<void> {
  const messageId = String(job.payload.messageId);
  const row = await trx
    .selectFrom('sms_outbox')
    .select(['attempts', 'status'])
    .where('id', '=', messageId)
    .executeTakeFirst();
  if (row?.status !== 'queued') return;
  const attempt = Number(row.attempts) + 1;
  const now = nowIso();
  if (random() < smsFailureRate()) {
    const exhausted = attempt >= SMS_MAX_ATTEMPTS;
    await trx
      .updateTable('sms_outbox')
      .set({
        attempts: attempt,
        status: exhausted ? 'failed' : 'queued',
        last_error: 'carrier rejected the message (simulated failure)',
        updated_at: now,
      })
      .where('id', '=', messageId)
      .execute();
    if (!exhausted) {
      await scheduleJob(trx, {
        kind: SMS_DELIVER_JOB,
        runAt: new Date(Date.now() + 500 * 2 ** (attempt - 1)),
        key: `sms:${messageId}:${attempt + 1}`,
        payload: { messageId },
      });
    }
    return;
  }
  await trx
    .updateTable('sms_outbox')
    .set({
      attempts: attempt,
      status: 'delivered',
      provider_message_id: newId('carrier'),
      last_error: null,
      delivered_at: now,
      updated_at: now,
    })
    .where('id', '=', messageId)
    .execute();
}

export interface SmsMessage {
  id: string;
  to: string;
  template: string;
  params: Record<string, string>;
  text: string;
  status: string;
  attempts: number;
  providerMessageId: string | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

export async function listSmsMessages(
  db: Database['db'],
  pii: Pii,
  query: { phone?: string | undefined; limit: number; cursor?: string | undefined },
): Promise<{ items: SmsMessage[]; nextCursor: string | null }> {
  let q = db
    .selectFrom('sms_outbox')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(query.limit + 1);
  if (query.phone !== undefined) {
    q = q.where('phone_index', '=', pii.blindIndex(indexScope('phone', ''), requirePhone(query.phone)));
  }
  const after = decodeCursor(query.cursor, ['string']);
  if (after) q = q.where('id', '<', after[0]);
  const rows = await q.execute();
  const page = rows.slice(0, query.limit);
  return {
    items: page.map((r) => {
      const params = JSON.parse(pii.decrypt(r.params_ciphertext)) as Record<string, string>;
      return {
        id: r.id,
        to: pii.decrypt(r.phone_ciphertext),
        template: r.template,
        params,
        text: (SMS_TEMPLATES[r.template] ?? r.template).replace(
          /\{(\w+)\}/g,
          (_, k: string) => params[k] ?? '',
        ),
        status: r.status,
        attempts: Number(r.attempts),
        providerMessageId: r.provider_message_id,
        lastError: r.last_error,
        createdAt: r.created_at,
        deliveredAt: r.delivered_at,
      };
    }),
    nextCursor: rows.length > query.limit ? encodeCursor([page[page.length - 1]!.id]) : null,
  };
}

function requirePhone(raw: string): string {
  const phone = normalisePhone(raw);
  if (!phone) {
    throw MemberErrors.invalidIdentifier('Not a phone number', {
      errors: [{ path: 'phone', message: 'not a phone number (e.g. 13812345678)' }],
    });
  }
  return phone;
}

// ---------------------------------------------------------------------------------------------------------
// Phone login for the customer pages.

export const LOGIN_CODE_TTL_MS = 5 * 60_000;
export const LOGIN_CODE_MAX_ATTEMPTS = 5;
const LOGIN_CODE_RESEND_MS = 30_000;

// Codes are stored as a keyed hash (HMAC with a secret-derived key, salted by the code's id): someone holding
// the database file cannot try the million possible codes without the secret.
function codeHash(pii: Pii, id: string, code: string): string {
  return pii.blindIndex('sms-code', `${id}:${code}`);
}

export async function requestLoginCode(
  trx: Trx,
  pii: Pii,
  sender: SmsSender,
  rawPhone: string,
): Promise<{ status: 'queued'; messageId: string; expiresAt: string }> {
  const phone = requirePhone(rawPhone);
  const phoneIndex = pii.blindIndex(indexScope('phone', ''), phone);
  const recent = await trx
    .selectFrom('sms_codes')
    .select('created_at')
    .where('phone_index', '=', phoneIndex)
    .where('created_at', '>', new Date(Date.now() - LOGIN_CODE_RESEND_MS).toISOString())
    .executeTakeFirst();
  if (recent) throw MemberErrors.smsCodeTooSoon('A code was sent to this phone less than 30 seconds ago');
  const id = newId('code');
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const now = Date.now();
  const expiresAt = new Date(now + LOGIN_CODE_TTL_MS).toISOString();
  await trx
    .insertInto('sms_codes')
    .values({
      id,
      phone_index: phoneIndex,
      code_hash: codeHash(pii, id, code),
      attempts: 0,
      expires_at: expiresAt,
      consumed_at: null,
      created_at: new Date(now).toISOString(),
    })
    .execute();
  const { messageId } = await sender.send(phone, 'login_code', { code });
  return { status: 'queued', messageId, expiresAt };
}

/**
 * Checks a login code and identifies the member by the (now verified) phone, creating one when the phone is new.
 * The attempt is counted in its own committed transaction first, so a wrong guess counts even though the login
 * fails; the code is then consumed in the login's transaction, so it works once.
 */
export async function loginWithCode(
  database: Database,
  pii: Pii,
  input: { phone: string; code: string; channel: Channel },
): Promise<{ memberId: string; created: boolean }> {
  const phone = requirePhone(input.phone);
  const phoneIndex = pii.blindIndex(indexScope('phone', ''), phone);
  const checked = await database.transaction(async (trx) => {
    const row = await trx
      .selectFrom('sms_codes')
      .selectAll()
      .where('phone_index', '=', phoneIndex)
      .where('consumed_at', 'is', null)
      .where('expires_at', '>', nowIso())
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!row) return 'invalid' as const;
    const counted = await trx
      .updateTable('sms_codes')
      .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
      .where('id', '=', row.id)
      .where('attempts', '<', LOGIN_CODE_MAX_ATTEMPTS)
      .executeTakeFirst();
    if (Number(counted.numUpdatedRows) !== 1) return 'locked' as const;
    return codeHash(pii, row.id, input.code) === row.code_hash ? row.id : ('invalid' as const);
  });
  if (checked === 'locked') throw MemberErrors.smsCodeLocked('Five wrong codes: ask for a new code');
  if (checked === 'invalid') throw MemberErrors.smsCodeInvalid('The code is wrong, used or expired');
  const actor: Actor = { role: 'customer', subject: 'sms-login' };
  return retryOnRace(() =>
    database.transaction(async (trx) => {
      const consumed = await trx
        .updateTable('sms_codes')
        .set({ consumed_at: nowIso() })
        .where('id', '=', checked)
        .where('consumed_at', 'is', null)
        .executeTakeFirst();
      if (Number(consumed.numUpdatedRows) !== 1)
        throw MemberErrors.smsCodeInvalid('The code was already used');
      const result = await identify(
        trx,
        pii,
        { identifiers: [{ type: 'phone', value: phone, verified: true }], channel: input.channel },
        actor,
      );
      return { memberId: result.memberId, created: result.created };
    }),
  );
}
