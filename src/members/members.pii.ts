import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

// Random 96-bit GCM nonces, drawn from a pool refilled from the system's generator: one call to it per 1,024
// encryptions instead of one each (every order with an address encrypts it).
const IV_BYTES = 12;
let ivPool = Buffer.alloc(0);
let ivOffset = 0;
function freshIv(): Buffer {
  if (ivOffset + IV_BYTES > ivPool.length) {
    ivPool = randomBytes(IV_BYTES * 1024);
    ivOffset = 0;
  }
  // A copy: the nonce must not change if the pool is refilled while the caller still holds it.
  const iv = Buffer.from(ivPool.subarray(ivOffset, ivOffset + IV_BYTES));
  ivOffset += IV_BYTES;
  return iv;
}

import { deriveKey, hmacBase64Url } from '../platform/crypto.js';

/**
 * Personal data at rest: AES-256-GCM with keys derived from OMNILOOP_SECRET. Each ciphertext names the key it
 * was made with (`<keyId>.<iv>.<tag>.<data>`), so a new key can become current while older ciphertexts stay
 * readable until they are re-encrypted. Exact lookup goes through an HMAC blind index instead of decryption.
 */
export interface Pii {
  encrypt(plain: string): string;
  decrypt(ciphertext: string): string;
  /** Deterministic keyed hash of a normalised value: equal values, equal index; no way back to the value. */
  blindIndex(scope: string, value: string): string;
  readonly currentKeyId: string;
}

export interface KeyringOptions {
  /** The key id new ciphertexts use; its key is `deriveKey(secret, 'pii-<id>')`. */
  current?: string;
  /** Older key ids still accepted for decryption. */
  previous?: string[];
}

/** Key ids in use. Rotating: add the new id as `current`, move the old one to `previous`, re-encrypt, drop it. */
export const PII_KEYRING: Required<KeyringOptions> = { current: 'v1', previous: [] };

export function createPii(secret: string, options: KeyringOptions = {}): Pii {
  const current = options.current ?? PII_KEYRING.current;
  const keys = new Map<string, Buffer>();
  for (const id of [current, ...(options.previous ?? PII_KEYRING.previous)]) {
    if (!/^[a-z0-9]+$/.test(id)) throw new Error(`A PII key id is letters and digits, not "${id}"`);
    keys.set(id, deriveKey(secret, `pii-${id}`));
  }
  const currentKey = keys.get(current)!;
  // The blind index cannot rotate like the encryption key (every stored index would have to be recomputed),
  // so it has its own key, versioned by name.
  const indexKey = deriveKey(secret, 'pii-index-v1');
  return {
    currentKeyId: current,
    encrypt(plain) {
      const iv = freshIv();
      const cipher = createCipheriv('aes-256-gcm', currentKey, iv);
      const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return `${current}.${iv.toString('base64url')}.${tag.toString('base64url')}.${data.toString('base64url')}`;
    },
    decrypt(ciphertext) {
      const [keyId, iv, tag, data] = ciphertext.split('.');
      const key = keyId === undefined ? undefined : keys.get(keyId);
      if (!key || iv === undefined || tag === undefined || data === undefined) {
        throw new Error(`Cannot decrypt: unknown key id "${keyId}" or malformed ciphertext`);
      }
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString(
        'utf8',
      );
    },
    blindIndex(scope, value) {
      return hmacBase64Url(indexKey, `${scope}\u0000${value}`);
    },
  };
}

const cache = new Map<string, Pii>();

/** One keyring per secret for the life of the process (key derivation is not free). */
export function piiFor(secret: string): Pii {
  let pii = cache.get(secret);
  if (!pii) {
    pii = createPii(secret);
    cache.set(secret, pii);
  }
  return pii;
}
