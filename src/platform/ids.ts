import { randomFillSync } from 'node:crypto';

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
  let rand = '';
  for (let i = 0; i < 16; i++) rand += CROCKFORD[randomByte() & 31];
  return time + rand;
}

// One call into the kernel's random source per 4 KiB instead of one per id: on a hot path that makes several ids
// per request, the per-call cost of randomBytes was larger than everything else an id costs.
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;

function randomByte(): number {
  if (poolOffset === pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  return pool[poolOffset++]!;
}
