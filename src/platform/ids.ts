import { randomBytes } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A server-made id: `<prefix>_<ulid>`. ULIDs sort by creation time, which keeps b-tree inserts at the
 * right edge of the index on both engines and makes ids readable in logs ("ord_01JD…").
 */
export function newId(prefix: string): string {
  return `${prefix}_${ulid()}`;
}

export function ulid(now = Date.now()): string {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = randomBytes(16);
  let rand = '';
  for (let i = 0; i < 16; i++) rand += CROCKFORD[bytes[i]! % 32];
  return time + rand;
}
