import { randomFillSync } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A server-made id: `<prefix>_<ulid>`. ULIDs sort by creation time, which keeps b-tree inserts at the
 * right edge of the index on both engines and makes ids readable in logs ("ord_01JD…").
 */
export function newId(prefix: string): string {
  return `${prefix}_${ulid()}`;
}

// The ULID spec's monotonic mode: within one millisecond (or if the clock steps back) the next id is the last one
// plus one in its random part, so ids made by one process sort in the order they were made — lists that page
// "newest first" by id would otherwise order two rows of the same millisecond at random.
let lastTime = -1;
const lastRandom = new Uint8Array(16);

export function ulid(now = Date.now()): string {
  if (now <= lastTime) {
    incrementRandom();
  } else {
    lastTime = now;
    for (let i = 0; i < 16; i++) lastRandom[i] = randomByte() & 31;
  }
  let time = '';
  let t = lastTime;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  let rand = '';
  for (let i = 0; i < 16; i++) rand += CROCKFORD[lastRandom[i]!];
  return time + rand;
}

function incrementRandom(): void {
  for (let i = 15; i >= 0; i--) {
    if (lastRandom[i]! < 31) {
      lastRandom[i]!++;
      return;
    }
    lastRandom[i] = 0;
  }
  // 80 bits ran over within one millisecond: move to the next millisecond rather than repeat an id.
  lastTime++;
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
