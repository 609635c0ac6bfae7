import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { createNetwork, expectInventoryInvariants } from '../../test/helpers/inventory.js';
import { isDomainError } from '../platform/errors.js';
import { availableOf, levelKey } from './inventory.rules.js';
import { adjustStock, countLevel } from './levels.service.js';
import {
  commitReservation,
  expireReservation,
  ReservationBatcher,
  releaseReservation,
  reserveStock,
} from './reservations.service.js';
import { moveTransfer, requestTransfer } from './transfers.service.js';

// A model-based test: random sequences of receive, count, reserve (direct and group-committed), commit, release,
// expire and transfer run against the real service and a plain model; after every step the database must equal
// the model and every invariant of DOMAIN.md must hold.

const LOCATIONS = ['M-L1', 'M-L2', 'M-L3'];

interface ModelLevel {
  onHand: number;
  reserved: number;
  safetyStock: number;
  inTransit: number;
}
interface Model {
  skus: string[];
  levels: Map<string, ModelLevel>;
  reservations: {
    id: string;
    lines: { sku: string; location: string; quantity: number }[];
    status: string;
  }[];
  transfers: { id: string; sku: string; from: string; to: string; quantity: number; status: string }[];
}
interface Real {
  t: TestApp;
  batcher: ReservationBatcher;
}

const level = (m: Model, sku: string, location: string): ModelLevel => {
  const key = levelKey(sku, location);
  let l = m.levels.get(key);
  if (!l) {
    l = { onHand: 0, reserved: 0, safetyStock: 0, inTransit: 0 };
    m.levels.set(key, l);
  }
  return l;
};

async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  try {
    await promise;
  } catch (error) {
    if (isDomainError(error) && error.code === code) return;
    throw error;
  }
  throw new Error(`expected ${code}`);
}

async function expectModel(m: Model, r: Real): Promise<void> {
  const rows = await r.t.runtime.database.db
    .selectFrom('stock_levels')
    .selectAll()
    .where('sku', 'in', m.skus)
    .execute();
  for (const row of rows) {
    const expected = m.levels.get(levelKey(row.sku, row.location)) ?? {
      onHand: 0,
      reserved: 0,
      safetyStock: 0,
      inTransit: 0,
    };
    expect({
      onHand: row.on_hand,
      reserved: row.reserved,
      safetyStock: row.safety_stock,
      inTransit: row.in_transit,
    }).toEqual(expected);
  }
  await expectInventoryInvariants(r.t);
}

type Cmd = fc.AsyncCommand<Model, Real>;
const tx = <T>(r: Real, fn: Parameters<Real['t']['runtime']['database']['transaction']>[0]) =>
  r.t.runtime.database.transaction(fn) as Promise<T>;

class Receive implements Cmd {
  constructor(
    readonly s: number,
    readonly l: number,
    readonly q: number,
  ) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const sku = m.skus[this.s]!;
    const location = LOCATIONS[this.l]!;
    await tx(r, (trx) =>
      adjustStock(trx, {
        adjustments: [{ sku, location, delta: this.q, reason: 'receipt' }],
        requestHash: 'x',
        actor: 'model',
      }),
    );
    level(m, sku, location).onHand += this.q;
    await expectModel(m, r);
  }
  toString = () => `receive(${this.s},${this.l},${this.q})`;
}

class Count implements Cmd {
  constructor(
    readonly s: number,
    readonly l: number,
    readonly onHand: number,
    readonly safety: number,
  ) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const sku = m.skus[this.s]!;
    const location = LOCATIONS[this.l]!;
    const current = level(m, sku, location);
    const run = tx(r, (trx) =>
      countLevel(trx, r.t.runtime.database.engine, {
        sku,
        location,
        onHand: this.onHand,
        safetyStock: this.safety,
        actor: 'model',
      }),
    );
    if (this.onHand < current.reserved) {
      await expectCode(run, 'INVENTORY.NEGATIVE_STOCK');
    } else {
      await run;
      current.onHand = this.onHand;
      current.safetyStock = this.safety;
    }
    await expectModel(m, r);
  }
  toString = () => `count(${this.s},${this.l},${this.onHand},${this.safety})`;
}

class Reserve implements Cmd {
  constructor(
    readonly lines: { s: number; l: number; q: number }[],
    readonly batched: boolean,
  ) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const lines = this.lines.map((x) => ({ sku: m.skus[x.s]!, location: LOCATIONS[x.l]!, quantity: x.q }));
    const wanted = new Map<string, number>();
    for (const line of lines)
      wanted.set(
        levelKey(line.sku, line.location),
        (wanted.get(levelKey(line.sku, line.location)) ?? 0) + line.quantity,
      );
    const fits = [...wanted].every(([key, q]) => {
      const l = m.levels.get(key);
      return l !== undefined && availableOf(l) >= q;
    });
    const run = this.batched
      ? r.batcher.reserve({ lines })
      : tx<{ id: string }>(r, (trx) => reserveStock(trx, { lines }));
    if (!fits) {
      await expectCode(run, 'INVENTORY.INSUFFICIENT_STOCK');
    } else {
      const reservation = (await run) as { id: string };
      for (const line of lines) level(m, line.sku, line.location).reserved += line.quantity;
      m.reservations.push({ id: reservation.id, lines, status: 'active' });
    }
    await expectModel(m, r);
  }
  toString = () => `reserve(${JSON.stringify(this.lines)},${this.batched})`;
}

class End implements Cmd {
  constructor(
    readonly index: number,
    readonly how: 'commit' | 'release' | 'expire',
  ) {}
  check = (m: Readonly<Model>) => m.reservations.length > 0;
  async run(m: Model, r: Real) {
    const reservation = m.reservations[this.index % m.reservations.length]!;
    const db = r.t.runtime.database.db;
    if (this.how === 'expire') {
      await db
        .updateTable('reservations')
        .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
        .where('id', '=', reservation.id)
        .execute();
      await tx(r, (trx) => expireReservation(trx, reservation.id));
      if (reservation.status === 'active') {
        for (const line of reservation.lines) level(m, line.sku, line.location).reserved -= line.quantity;
        reservation.status = 'expired';
      }
    } else {
      const run = tx(r, (trx) =>
        this.how === 'commit'
          ? commitReservation(trx, reservation.id, 'model')
          : releaseReservation(trx, reservation.id),
      );
      if (reservation.status !== 'active') {
        await expectCode(run, 'RESERVATION.NOT_ACTIVE');
      } else {
        await run;
        for (const line of reservation.lines) {
          const l = level(m, line.sku, line.location);
          l.reserved -= line.quantity;
          if (this.how === 'commit') l.onHand -= line.quantity;
        }
        reservation.status = this.how === 'commit' ? 'committed' : 'released';
      }
    }
    await expectModel(m, r);
  }
  toString = () => `${this.how}(${this.index})`;
}

class Transfer implements Cmd {
  constructor(
    readonly s: number,
    readonly from: number,
    readonly to: number,
    readonly q: number,
  ) {}
  check = () => this.from !== this.to;
  async run(m: Model, r: Real) {
    const sku = m.skus[this.s]!;
    const from = LOCATIONS[this.from]!;
    const to = LOCATIONS[this.to]!;
    const source = m.levels.get(levelKey(sku, from));
    const run = tx<{ id: string }>(r, (trx) => requestTransfer(trx, { sku, from, to, quantity: this.q }));
    if (!source || availableOf(source) < this.q) {
      await expectCode(run, 'INVENTORY.INSUFFICIENT_STOCK');
    } else {
      const transfer = (await run) as { id: string };
      source.reserved += this.q;
      m.transfers.push({ id: transfer.id, sku, from, to, quantity: this.q, status: 'requested' });
    }
    await expectModel(m, r);
  }
  toString = () => `transfer(${this.s},${this.from}→${this.to},${this.q})`;
}

class MoveTransfer implements Cmd {
  constructor(
    readonly index: number,
    readonly move: 'ship' | 'receive' | 'cancel',
  ) {}
  check = (m: Readonly<Model>) => m.transfers.length > 0;
  async run(m: Model, r: Real) {
    const transfer = m.transfers[this.index % m.transfers.length]!;
    const allowed = { ship: 'requested', receive: 'in_transit', cancel: 'requested' }[this.move];
    const run = tx(r, (trx) =>
      moveTransfer(trx, r.t.runtime.database.engine, transfer.id, this.move, 'model'),
    );
    if (transfer.status !== allowed) {
      await expectCode(run, 'TRANSFER.INVALID_TRANSITION');
    } else {
      await run;
      const source = level(m, transfer.sku, transfer.from);
      const destination = level(m, transfer.sku, transfer.to);
      if (this.move === 'cancel') {
        source.reserved -= transfer.quantity;
        transfer.status = 'cancelled';
      } else if (this.move === 'ship') {
        source.reserved -= transfer.quantity;
        source.onHand -= transfer.quantity;
        destination.inTransit += transfer.quantity;
        transfer.status = 'in_transit';
      } else {
        destination.inTransit -= transfer.quantity;
        destination.onHand += transfer.quantity;
        transfer.status = 'received';
      }
    }
    await expectModel(m, r);
  }
  toString = () => `${this.move}Transfer(${this.index})`;
}

let t: TestApp;
let batcher: ReservationBatcher;
beforeAll(async () => {
  t = await startTestApp({ workers: false });
  await createNetwork(
    t,
    LOCATIONS.map((code, i) => ({
      code,
      kind: 'store' as const,
      city: '上海',
      lat: 31.2 + i / 100,
      lng: 121.4,
    })),
    [],
  );
  batcher = new ReservationBatcher(t.runtime.database);
});
afterAll(() => t.close());

describe('inventory model', () => {
  it('keeps every invariant through random sequences of operations', async () => {
    let run = 0;
    const made = { reservations: 0, transfers: 0 };
    const s = fc.integer({ min: 0, max: 1 });
    const l = fc.integer({ min: 0, max: LOCATIONS.length - 1 });
    const q = fc.integer({ min: 1, max: 6 });
    const receive = fc.tuple(s, l, fc.integer({ min: 5, max: 30 })).map(([a, b, c]) => new Receive(a, b, c));
    const reserve = fc
      .tuple(
        fc.array(fc.record({ s, l, q: fc.integer({ min: 1, max: 3 }) }), { minLength: 1, maxLength: 2 }),
        fc.boolean(),
      )
      .map(([lines, batched]) => new Reserve(lines, batched));
    // Receipts and reservations are listed twice: more of them makes longer, richer histories.
    const commands = [
      receive,
      receive,
      reserve,
      fc
        .tuple(s, l, fc.integer({ min: 0, max: 15 }), fc.integer({ min: 0, max: 3 }))
        .map(([a, b, c, d]) => new Count(a, b, c, d)),
      reserve,
      fc
        .tuple(fc.nat(), fc.constantFrom('commit' as const, 'release' as const, 'expire' as const))
        .map(([i, how]) => new End(i, how)),
      fc.tuple(s, l, l, q).map(([a, b, c, d]) => new Transfer(a, b, c, d)),
      fc
        .tuple(fc.nat(), fc.constantFrom('ship' as const, 'receive' as const, 'cancel' as const))
        .map(([i, move]) => new MoveTransfer(i, move)),
    ];
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 40, size: 'max' }), async (cmds) => {
        run++;
        const model: Model = {
          skus: [`MDL-${run}-A`, `MDL-${run}-B`],
          levels: new Map(),
          reservations: [],
          transfers: [],
        };
        // Fresh SKUs per run (stock exists only for SKUs of the catalog).
        const product = await t.request({
          method: 'POST',
          url: '/v1/products',
          body: {
            code: `MDL-${run}`,
            name: 'Model run',
            category: 'lipstick',
            skus: model.skus.map((code) => ({ code, name: code, price: 100 })),
          },
        });
        expect(product.statusCode, product.body).toBe(201);
        await fc.asyncModelRun(() => ({ model, real: { t, batcher } }), cmds);
        made.reservations += model.reservations.length;
        made.transfers += model.transfers.length;
      }),
      // Seeded: the check below, that the histories reach the interesting states, must not depend on the draw.
      { numRuns: 40, seed: 20261204 },
    );
    // The histories did reach the interesting states, not only refusals.
    expect(made.reservations).toBeGreaterThan(40);
    expect(made.transfers).toBeGreaterThan(10);
  });
});
