import type { FieldError } from '../platform/index.js';

/** 身份标识: the kinds of identifier a member can hold (DOMAIN.md). */
export const IDENTIFIER_TYPES = [
  'phone',
  'unionid',
  'openid',
  'email',
  'card',
  'marketplace',
  'device',
] as const;
export type IdentifierType = (typeof IDENTIFIER_TYPES)[number];

/**
 * Why One ID asks a person (an identity review): two different unique identifiers of one type
 * (`conflicting_phone`), or more of a type than a person has (`too_many_device`). The console names each.
 */
export const REVIEW_REASONS = IDENTIFIER_TYPES.flatMap((type) => [`conflicting_${type}`, `too_many_${type}`]);

/**
 * The traits the platform itself writes (the demo brand, the consoles) and the values it gives them; the console
 * names each. A brand may add others: they show as they are.
 */
export const KNOWN_TRAITS: Record<string, readonly string[]> = {
  name: [],
  birthday: [],
  address: [],
  gender: ['female', 'male'],
  skinType: ['dry', 'oily', 'combination', 'sensitive', 'normal'],
};

export const CONSENT_PURPOSES = ['marketing', 'personalization', 'third_party_sharing'] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

/** Traits that are personal data: encrypted at rest, masked for store staff. */
export const PERSONAL_TRAITS = ['name', 'birthday', 'address'] as const;
export type PersonalTrait = (typeof PERSONAL_TRAITS)[number];

/**
 * A member holds at most one of these (a verified phone, a WeChat unionid, a member card): two members that each
 * hold a different one are two people as far as any automatic rule can tell, so they are never merged without a
 * person deciding.
 */
export const UNIQUE_PER_MEMBER: readonly IdentifierType[] = ['phone', 'unionid', 'card'];

/**
 * How many identifiers of a type one member may hold. A member with more is almost always several people fused
 * by something shared (a family iPad, a store's till tablet), so a merge or attach beyond these stops.
 */
export const IDENTIFIER_LIMITS: Record<IdentifierType, number> = {
  phone: 3,
  unionid: 1,
  openid: 10,
  email: 3,
  card: 1,
  marketplace: 5,
  device: 3,
};

/** Types whose value is only unique within an app (a mini-program's openid) or a marketplace. */
export const APP_SCOPED: readonly IdentifierType[] = ['openid', 'marketplace'];

// Values that channels send when they have nothing: placeholders, test data, a zeroed advertising id (iOS with
// tracking limited). Matching on them would merge everyone who shares them.
const JUNK_VALUES = new Set([
  '',
  'null',
  'undefined',
  'nil',
  'none',
  'n/a',
  'na',
  'test',
  'unknown',
  '0',
  '-',
  '00000000-0000-0000-0000-000000000000',
]);

export interface IdentifierInput {
  type: IdentifierType;
  value: string;
  appId?: string | undefined;
  verified?: boolean | undefined;
}

/** An identifier in its canonical form. */
export interface NormalisedIdentifier {
  type: IdentifierType;
  appId: string;
  value: string;
  verified: boolean;
}

export type Normalised =
  | { ok: true; identifier: NormalisedIdentifier }
  | { ok: false; junk: true }
  | { ok: false; junk: false; message: string };

/** Phone numbers to E.164; mainland China (+86) when no country is given. */
export function normalisePhone(raw: string): string | undefined {
  const compact = raw.replace(/[\s\-().]/g, '');
  let digits: string;
  if (compact.startsWith('+')) digits = compact.slice(1);
  else if (compact.startsWith('00')) digits = compact.slice(2);
  else if (/^1\d{10}$/.test(compact)) digits = `86${compact}`;
  else if (/^861\d{10}$/.test(compact)) digits = compact;
  else return undefined;
  if (!/^[1-9]\d{7,14}$/.test(digits)) return undefined;
  // Mainland numbers are mobile numbers of 11 digits starting 13–19.
  if (digits.startsWith('86') && !/^861[3-9]\d{9}$/.test(digits)) return undefined;
  return `+${digits}`;
}

export function normaliseIdentifier(input: IdentifierInput): Normalised {
  const trimmed = input.value.trim();
  if (JUNK_VALUES.has(trimmed.toLowerCase())) return { ok: false, junk: true };
  const appId = APP_SCOPED.includes(input.type) ? (input.appId?.trim() ?? '') : '';
  if (input.type === 'openid' && appId === '') {
    return { ok: false, junk: false, message: 'an openid needs the appId of its mini-program or account' };
  }
  const done = (value: string): Normalised => ({
    ok: true,
    identifier: { type: input.type, appId, value, verified: input.verified === true },
  });
  switch (input.type) {
    case 'phone': {
      // A number of one repeated digit is a placeholder typed at a till, not a phone.
      if (/^\+?(\d)\1+$/.test(trimmed.replace(/[\s-]/g, ''))) return { ok: false, junk: true };
      const phone = normalisePhone(trimmed);
      return phone
        ? done(phone)
        : {
            ok: false,
            junk: false,
            message: 'not a phone number (e.g. 13812345678, +86 138 1234 5678, +14155550100)',
          };
    }
    case 'email': {
      const email = trimmed.toLowerCase();
      return email.length <= 254 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)
        ? done(email)
        : { ok: false, junk: false, message: 'not an e-mail address' };
    }
    case 'unionid':
    case 'openid':
      return /^[A-Za-z0-9_-]{6,128}$/.test(trimmed)
        ? done(trimmed)
        : { ok: false, junk: false, message: `not a WeChat ${input.type} (6–128 letters, digits, _ or -)` };
    case 'card': {
      const card = trimmed.toUpperCase();
      return /^[A-Z0-9-]{4,32}$/.test(card)
        ? done(card)
        : { ok: false, junk: false, message: 'not a member card number (4–32 letters, digits or -)' };
    }
    case 'device': {
      const device = trimmed.toLowerCase();
      return /^[\x21-\x7e]{6,128}$/.test(device)
        ? done(device)
        : { ok: false, junk: false, message: 'not a device id (6–128 visible characters)' };
    }
    case 'marketplace':
      return /^[\x21-\x7e]{2,128}$/.test(trimmed)
        ? done(trimmed)
        : { ok: false, junk: false, message: 'not a marketplace buyer id (2–128 visible characters)' };
  }
}

/** The scope of a blind index: equal values of different types or apps must not collide. */
export function indexScope(type: IdentifierType, appId: string): string {
  return `${type}:${appId}`;
}

export function identifierKey(i: { type: string; appId: string; blindIndex: string }): string {
  return `${i.type}\u0000${i.appId}\u0000${i.blindIndex}`;
}

// ---------------------------------------------------------------------------------------------------------
// Masking: what store staff see.

export function maskPhone(e164: string): string {
  if (/^\+861\d{10}$/.test(e164)) return `${e164.slice(3, 6)}****${e164.slice(10)}`;
  const digits = e164.replace(/^\+/, '');
  return `+${digits.slice(0, 3)}****${digits.slice(-2)}`;
}

export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${email.slice(0, 1)}***${email.slice(at)}`;
}

export function maskIdentifier(type: IdentifierType, value: string): string {
  if (type === 'phone') return maskPhone(value);
  if (type === 'email') return maskEmail(value);
  if (value.length > 8) return `${value.slice(0, 3)}***${value.slice(-3)}`;
  return `${value.slice(0, 1)}***`;
}

export function maskName(name: string): string {
  const chars = Array.from(name);
  return chars.length <= 1 ? '*' : `${chars[0]}${'*'.repeat(Math.min(chars.length - 1, 3))}`;
}

export function maskTrait(trait: PersonalTrait, value: string): string {
  if (trait === 'name') return maskName(value);
  // Month and day stay visible: a guide greets customers on their birthday without knowing their age.
  if (trait === 'birthday') return /^\d{4}-\d{2}-\d{2}$/.test(value) ? `****${value.slice(4)}` : '****';
  return `${Array.from(value).slice(0, 3).join('')}****`;
}

export function normaliseName(name: string): string {
  return name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

// ---------------------------------------------------------------------------------------------------------
// Resolution: which member a set of identifiers belongs to, and what must change.

/** An identifier of the request, with its blind index and the member that already holds it (if any). */
export interface IncomingIdentifier extends NormalisedIdentifier {
  blindIndex: string;
  ownerId: string | null;
}

export interface HeldIdentifier {
  id: string;
  memberId: string;
  type: IdentifierType;
  appId: string;
  blindIndex: string;
  verified: boolean;
}

export interface CandidateMember {
  id: string;
  createdAt: string;
  identifiers: HeldIdentifier[];
}

export interface IgnoredIdentifier {
  type: IdentifierType;
  appId: string;
  reason: 'blocklisted' | 'limit_reached';
}

export interface Resolution {
  /** The member the request resolves to; null: create one. */
  targetId: string | null;
  /** Members merged into the target, oldest first. */
  mergeSourceIds: string[];
  attach: IncomingIdentifier[];
  /** Held identifiers (ids) the request verifies (a phone confirmed by SMS). */
  verify: string[];
  ignored: IgnoredIdentifier[];
  review: { reason: string; memberIds: string[]; pending: IncomingIdentifier[] } | null;
}

function holdsOther(
  held: readonly { type: IdentifierType; blindIndex: string; verified: boolean }[],
  incoming: { type: IdentifierType; blindIndex: string; verified: boolean },
): boolean {
  if (!UNIQUE_PER_MEMBER.includes(incoming.type)) return false;
  // Only verified phones are unique: a till may type a second, unconfirmed number for the same customer.
  if (incoming.type === 'phone' && !incoming.verified) return false;
  return held.some(
    (h) =>
      h.type === incoming.type &&
      h.blindIndex !== incoming.blindIndex &&
      (incoming.type !== 'phone' || h.verified),
  );
}

/** The unique type held with two different values in a set of identifiers, if any. */
export function uniqueConflict(
  held: readonly { type: IdentifierType; blindIndex: string; verified: boolean }[],
): IdentifierType | undefined {
  for (const type of UNIQUE_PER_MEMBER) {
    const values = new Set(
      held.filter((h) => h.type === type && (type !== 'phone' || h.verified)).map((h) => h.blindIndex),
    );
    if (values.size > 1) return type;
  }
  return undefined;
}

export function limitExceeded(held: readonly { type: IdentifierType }[]): IdentifierType | undefined {
  const counts = new Map<IdentifierType, number>();
  for (const h of held) counts.set(h.type, (counts.get(h.type) ?? 0) + 1);
  for (const [type, count] of counts) if (count > IDENTIFIER_LIMITS[type]) return type;
  return undefined;
}

/**
 * The One ID resolution rule. None of the identifiers known → a new member. Known to one member → attach the
 * new ones. Known to several → merge them into the oldest, unless that would give one person two different
 * unique identifiers or more identifiers than a person has (then a review, and nobody is merged). A new unique
 * identifier that contradicts the member's own is held back for review instead of attached.
 */
export function resolveIdentity(
  incoming: readonly IncomingIdentifier[],
  candidates: readonly CandidateMember[],
): Resolution {
  const sorted = [...candidates].sort((a, b) =>
    a.createdAt === b.createdAt ? (a.id < b.id ? -1 : 1) : a.createdAt < b.createdAt ? -1 : 1,
  );
  const fresh = incoming.filter((i) => i.ownerId === null);
  const ignored: IgnoredIdentifier[] = [];
  const attach: IncomingIdentifier[] = [];
  const pending: IncomingIdentifier[] = [];
  const target = sorted[0];

  let held: { type: IdentifierType; blindIndex: string; verified: boolean; id?: string }[] = [];
  let mergeSourceIds: string[] = [];
  let mergeBlocked: string | null = null;
  if (target) {
    const all = sorted.flatMap((m) => m.identifiers);
    if (sorted.length > 1) {
      const conflict = uniqueConflict(all);
      const overLimit = conflict ? undefined : limitExceeded(all);
      if (conflict) mergeBlocked = `conflicting_${conflict}`;
      else if (overLimit) mergeBlocked = `too_many_${overLimit}`;
      else mergeSourceIds = sorted.slice(1).map((m) => m.id);
    }
    held = mergeBlocked ? [...target.identifiers] : [...all];
  }

  for (const identifier of fresh) {
    if (holdsOther(held, identifier)) {
      pending.push(identifier);
      continue;
    }
    // When members could not be merged, new unique identifiers might belong to either person: a person decides.
    if (mergeBlocked && UNIQUE_PER_MEMBER.includes(identifier.type)) {
      pending.push(identifier);
      continue;
    }
    const count = held.filter((h) => h.type === identifier.type).length;
    if (count >= IDENTIFIER_LIMITS[identifier.type]) {
      ignored.push({ type: identifier.type, appId: identifier.appId, reason: 'limit_reached' });
      continue;
    }
    attach.push(identifier);
    held.push(identifier);
  }

  const verify: string[] = [];
  if (target) {
    const mine = new Set([target.id, ...mergeSourceIds]);
    const byKey = new Map(sorted.flatMap((m) => m.identifiers).map((h) => [identifierKey(h), h]));
    for (const identifier of incoming) {
      if (identifier.ownerId === null || !mine.has(identifier.ownerId) || !identifier.verified) continue;
      const stored = byKey.get(identifierKey(identifier));
      if (!stored || stored.verified) continue;
      if (identifier.type === 'phone' && held.some((h) => h.type === 'phone' && h.verified)) continue;
      verify.push(stored.id);
      const h = held.find((x) => x.id === stored.id);
      if (h) h.verified = true;
    }
  }

  let review: Resolution['review'] = null;
  if (mergeBlocked) {
    review = { reason: mergeBlocked, memberIds: sorted.map((m) => m.id), pending };
  } else if (pending.length > 0 && target) {
    review = {
      reason: `conflicting_${pending[0]!.type}`,
      memberIds: [target.id, ...mergeSourceIds],
      pending,
    };
  }
  return { targetId: target?.id ?? null, mergeSourceIds, attach, verify, ignored, review };
}

/** Two different values of a unique type in one request cannot be one person's. */
export function requestConflicts(identifiers: readonly NormalisedIdentifier[]): FieldError[] {
  const errors: FieldError[] = [];
  for (const type of UNIQUE_PER_MEMBER) {
    const values = new Set(
      identifiers.filter((i) => i.type === type && (type !== 'phone' || i.verified)).map((i) => i.value),
    );
    if (values.size > 1) {
      errors.push({
        path: 'identifiers',
        message: `two different ${type} values cannot belong to one member`,
      });
    }
  }
  return errors;
}
