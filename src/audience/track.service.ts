import type { Engine, Queryable, Trx } from '../platform/index.js';
import { appendEvent, insertRows, newEvent, nowIso } from '../platform/index.js';
import type { TrackAnswer, TrackedEvent } from './activity.contract.js';
import { ActivityErrors } from './activity.errors.js';
import { ActivityTracked } from './activity.events.js';
import { type CheckedEvent, checkEvent, type Tracker } from './activity.rules.js';
import { retentionDaysOf } from './activity.settings.js';
import { profileChanged } from './audience.events.js';
import type { MemberActivityTable } from './audience.schema.js';

type ActivityRow = Omit<MemberActivityTable, 'seq'>;

interface PendingBatch {
  events: TrackedEvent[];
  tracker: Tracker;
  inTransaction: ((trx: Trx, answer: TrackAnswer) => Promise<void>) | undefined;
  resolve(answer: TrackAnswer): void;
  reject(error: unknown): void;
}

// Ids per `in (…)` list of the member check: far below both engines' bind limits.
const MEMBER_CHUNK = 5000;

/**
 * Group commit for tracking. The requests that arrive while a transaction commits queue up, and the next
 * transaction takes them all: one read of the retention, one query for every member they name, one multi-row
 * insert of every accepted event, one `activity.tracked` and one `audience.profile_changed` — where a request
 * on its own would pay all of that (and a commit) for its 50 events. Each caller still gets its own answer.
 */
export class TrackBatcher {
  private queue: PendingBatch[] = [];
  private flushing = false;

  constructor(
    private readonly database: { engine: Engine; transaction<T>(fn: (trx: Trx) => Promise<T>): Promise<T> },
    private readonly maxRequests = 256,
  ) {}

  /** Tracks a request's events through the next batch; `inTransaction` stores an idempotent answer with them. */
  track(
    events: TrackedEvent[],
    tracker: Tracker,
    inTransaction?: (trx: Trx, answer: TrackAnswer) => Promise<void>,
  ): Promise<TrackAnswer> {
    return new Promise<TrackAnswer>((resolve, reject) => {
      this.queue.push({ events, tracker, inTransaction, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        // The next turn of the event loop: every request read from the sockets in this turn joins the batch.
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    try {
      while (this.queue.length > 0) await this.runBatch(this.queue.splice(0, this.maxRequests));
    } finally {
      this.flushing = false;
    }
  }

  private async runBatch(batch: PendingBatch[]): Promise<void> {
    let answers: TrackAnswer[];
    try {
      answers = await this.database.transaction(async (trx) => {
        const written = await trackInTransaction(
          trx,
          batch.map((p) => ({ events: p.events, tracker: p.tracker })),
        );
        for (const [i, pending] of batch.entries()) await pending.inTransaction?.(trx, written[i]!);
        return written;
      });
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      return;
    }
    for (const [i, pending] of batch.entries()) pending.resolve(answers[i]!);
  }
}

/**
 * Checks and writes several requests' events in the caller's transaction; one answer per request, in order.
 * A member merged away is tracked as the member she was merged into; an erased or unknown one is refused.
 */
export async function trackInTransaction(
  trx: Trx,
  requests: readonly { events: readonly TrackedEvent[]; tracker: Tracker }[],
): Promise<TrackAnswer[]> {
  const retentionDays = await retentionDaysOf(trx);
  const now = Date.now();
  const answers: TrackAnswer[] = [];
  const checked: CheckedEvent[][] = [];
  const named = new Set<string>();
  for (const request of requests) {
    const answer: TrackAnswer = { accepted: 0, rejected: [] };
    const good: CheckedEvent[] = [];
    request.events.forEach((event, index) => {
      const outcome = checkEvent(event, index, request.tracker, now, retentionDays);
      if (!outcome.ok) answer.rejected.push({ index: outcome.index, code: outcome.code });
      else {
        good.push(outcome.event);
        if (outcome.event.memberId !== null) named.add(outcome.event.memberId);
      }
    });
    answers.push(answer);
    checked.push(good);
  }

  const memberOf = await activeMembers(trx, [...named]);
  const receivedAt = nowIso();
  const rows: ActivityRow[] = [];
  const members = new Set<string>();
  let anonymous = 0;
  checked.forEach((good, r) => {
    const answer = answers[r]!;
    for (const event of good) {
      let memberId: string | null = null;
      if (event.memberId !== null) {
        memberId = memberOf.get(event.memberId) ?? null;
        if (memberId === null) {
          answer.rejected.push({ index: event.index, code: ActivityErrors.unknownMember.code });
          continue;
        }
        members.add(memberId);
      } else anonymous++;
      answer.accepted++;
      rows.push({
        member_id: memberId,
        anonymous_id: event.anonymousId,
        type: event.type,
        channel: event.channel,
        sku: event.sku,
        category: null,
        store: null,
        ref: null,
        amount: null,
        occurred_at: event.occurredAt,
        received_at: receivedAt,
        properties: event.properties,
      });
    }
    // Refusals in the request's order, whichever check found them.
    answer.rejected.sort((a, b) => a.index - b.index);
  });
  if (rows.length === 0) return answers;
  await insertRows(trx, 'member_activity', rows);
  await appendEvent(
    trx,
    newEvent(ActivityTracked, {
      stream: 'audience:activity',
      payload: { accepted: rows.length, members: members.size, anonymous },
    }),
  );
  if (members.size > 0) await profileChanged(trx, members, 'activity');
  return answers;
}

/** The active member each id stands for (a merged one: the member she was merged into), one query per chunk. */
async function activeMembers(db: Queryable, ids: readonly string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (let i = 0; i < ids.length; i += MEMBER_CHUNK) {
    const rows = await db
      .selectFrom('members as m')
      .leftJoin('members as survivor', 'survivor.id', 'm.merged_into')
      .select(['m.id', 'm.status', 'survivor.id as survivorId', 'survivor.status as survivorStatus'])
      .where('m.id', 'in', ids.slice(i, i + MEMBER_CHUNK))
      .execute();
    for (const row of rows) {
      if (row.status === 'active') found.set(row.id, row.id);
      else if (row.status === 'merged' && row.survivorId && row.survivorStatus === 'active')
        found.set(row.id, row.survivorId);
    }
  }
  return found;
}
