import { type RawBuilder, sql } from 'kysely';
import { memberTierSql } from '../loyalty/index.js';
import type { Engine, FieldError } from '../platform/index.js';
import { type OPS, type RuleTrait, ruleProblems, type SegmentRule } from './segments.contract.js';
import { SegmentErrors } from './segments.errors.js';

// A segment rule compiled to one SQL predicate over `m` (members) and `t` (their traits): counting, listing and
// re-evaluating some members are the same set-based statement, with or without `m.id in (…)`.

export interface CompileContext {
  engine: Engine;
  now: Date;
  /** The latest run of each RFM scheme (an rfm rule reads it); none: nobody matches. */
  latestRuns: Partial<Record<'quintile' | 'eight_class', string>>;
  /**
   * The statement reads a few named members (an event's): tags and events are probed per member by their index.
   * Otherwise (counts, whole passes) they are read once as a set: `m.id in (a tag's holders)`.
   */
  fewMembers?: boolean;
}

// A member without traits (she never bought) counts 0 for these.
const NUMERIC: Partial<Record<RuleTrait, string>> = {
  orderCount: 't.order_count',
  spend: 't.spend',
  spend365: 't.spend_365',
  averageOrder: 't.average_order',
  unitsBought: 't.units_bought',
  returnRate: 't.return_rate',
  trialCount: 't.trial_count',
};
const TIMES: Partial<Record<RuleTrait, string>> = {
  firstOrderAt: 't.first_order_at',
  lastOrderAt: 't.last_order_at',
  lastTrialAt: 't.last_trial_at',
  lastSeenAt: 't.last_seen_at',
};
const TEXTS: Partial<Record<RuleTrait, RawBuilder<unknown>>> = {
  city: sql.raw('t.city'),
  homeStore: sql.raw('t.home_store'),
  // A member without a tier row is in the base tier.
  tier: memberTierSql(sql.ref('m.id')),
  // Bindings are a history: her guide is the latest.
  guide: sql.raw(
    '(select b.guide from member_guide_bindings b where b.member_id = m.id order by b.seq desc limit 1)',
  ),
};

/** Milliseconds of an ISO duration of the rule language (`P30D`, `PT12H`). */
export function durationMs(duration: string): number {
  const days = /^P(\d+)D$/.exec(duration);
  if (days) return Number(days[1]) * 86_400_000;
  const hours = /^PT(\d+)H$/.exec(duration);
  if (hours) return Number(hours[1]) * 3_600_000;
  throw SegmentErrors.ruleInvalid(`Not a duration: ${duration}`, {
    errors: [{ path: 'rule', message: duration }],
  });
}

function invalid(path: string, message: string): never {
  const errors: FieldError[] = [{ path, message }];
  throw SegmentErrors.ruleInvalid(`The rule at ${path} ${message}`, { errors, extra: { path } });
}

function assertOfTheLanguage(rule: SegmentRule): void {
  const errors = ruleProblems(rule);
  if (errors.length > 0) {
    throw SegmentErrors.ruleInvalid(
      `The rule is not one of the language: ${errors[0]!.path} ${errors[0]!.message}`,
      {
        errors,
        extra: { path: errors[0]!.path },
      },
    );
  }
}

/**
 * The members who match a rule, everyone considered: `from … where …` over `m` (the member's id) and `t` (her
 * traits), for a count, a sample or a whole pass.
 *
 * When the rule (or its top `all`) names sets — a tag's holders, who did something lately — the statement reads
 * only the members in all of them, each set from its index alone (SQLite intersects them; PostgreSQL starts from a
 * tag's holders and semi-joins the rest, below), and leaves out the few no longer active by their own index.
 * Otherwise it reads every active member. Tags and activity only ever name members (rows are never deleted from
 * `members`), so the two agree.
 */
export function matchingMembersSql(rule: SegmentRule, ctx: CompileContext): RawBuilder<unknown> {
  assertOfTheLanguage(rule);
  const conditions = 'all' in rule ? rule.all : [rule];
  const asSets = conditions.map((r) => (ctx.fewMembers ? null : setOf(r, ctx)));
  const sets = asSets.filter((set) => set !== null);
  if (sets.length === 0) {
    return sql`members m left join member_traits t on t.member_id = m.id
      where m.status = 'active' and ${predicateOf(rule, ctx, 'rule')}`;
  }
  const rest = conditions.flatMap((r, i) =>
    asSets[i] !== null ? [] : [predicateOf(r, ctx, 'all' in rule ? `rule.all[${i}]` : 'rule')],
  );
  // PostgreSQL starts from a set that names each member once (a tag's holders) and semi-joins the others: a plan
  // its parallel workers share, where an intersection runs in one process (over a million members the benchmark's
  // rule counts in 0.55 of the time). SQLite intersects: it would run the semi-joins from the traits, 1.8 × slower.
  const driver =
    ctx.engine === 'postgres' && sets.length > 1
      ? conditions.findIndex((r, i) => asSets[i] !== null && 'tag' in r)
      : -1;
  if (driver >= 0) {
    const others = asSets.flatMap((set, i) => (set === null || i === driver ? [] : [set]));
    rest.unshift(...others.map((set) => sql<boolean>`m.id in (${set})`));
  }
  // An event's set holds a member once for each time she did it: a set alone is made distinct (an intersection is).
  const members =
    driver >= 0
      ? asSets[driver]!
      : sets.length > 1
        ? sql.join(sets, sql` intersect `)
        : sql`select distinct id from (${sets[0]}) s`;
  // SQLite lists the inactive once; PostgreSQL anti-joins them (its `not in` list is hashed only while it fits
  // work_mem, and would be scanned once per member beyond it).
  const active =
    ctx.engine === 'sqlite'
      ? sql<boolean>`m.id not in (select x.id from members x where x.status <> 'active')`
      : sql<boolean>`not exists (select 1 from members x where x.id = m.id and x.status <> 'active')`;
  return sql`(${members}) m left join member_traits t on t.member_id = m.id
    where ${sql.join([active, ...rest], sql` and `)}`;
}

/** The SQL predicate of a rule (validated beyond its schema: values that fit the trait and the operator). */
export function compileRule(rule: SegmentRule, ctx: CompileContext): RawBuilder<boolean> {
  assertOfTheLanguage(rule);
  return predicateOf(rule, ctx, 'rule');
}

/** The predicate of a rule checked against the grammar already; `path` names it in errors. */
function predicateOf(rule: SegmentRule, ctx: CompileContext, path: string): RawBuilder<boolean> {
  if ('all' in rule) {
    // Over everyone, the conditions that are sets (a tag's holders, who did something lately) are intersected
    // first, each read from its index alone, so that the statement reads the members and traits of the few in all
    // of them, not of each set's (a rule's top `all` starts from them: matchingMembersSql).
    const asSets = rule.all.map((r) => (ctx.fewMembers ? null : setOf(r, ctx)));
    const sets = asSets.filter((set) => set !== null);
    const rest = rule.all.flatMap((r, i) =>
      sets.length > 1 && asSets[i] !== null ? [] : [predicateOf(r, ctx, `${path}.all[${i}]`)],
    );
    const parts =
      sets.length > 1 ? [sql<boolean>`(m.id in (${sql.join(sets, sql` intersect `)}))`, ...rest] : rest;
    return sql<boolean>`(${sql.join(parts, sql` and `)})`;
  }
  if ('any' in rule) {
    return sql<boolean>`(${sql.join(
      rule.any.map((r, i) => predicateOf(r, ctx, `${path}.any[${i}]`)),
      sql` or `,
    )})`;
  }
  if ('not' in rule) return sql<boolean>`(not ${predicateOf(rule.not, ctx, `${path}.not`)})`;
  if ('trait' in rule) return traitPredicate(rule, ctx, path);
  const set = ctx.fewMembers ? null : setOf(rule, ctx);
  if (set !== null) return sql<boolean>`(m.id in (${set}))`;
  if ('tag' in rule) {
    return sql<boolean>`exists (select 1 from member_tags mt where mt.member_id = m.id and mt.tag_code = ${rule.tag})`;
  }
  if ('consent' in rule) {
    return sql<boolean>`exists (select 1 from member_consents c where c.member_id = m.id and c.purpose = ${rule.consent}
      and c.granted = 1 and c.seq = (select max(c2.seq) from member_consents c2
        where c2.member_id = m.id and c2.purpose = ${rule.consent}))`;
  }
  if ('rfm' in rule) {
    const run = ctx.latestRuns[rule.rfm.scheme];
    if (run === undefined) return sql<boolean>`(1 = 0)`;
    return sql<boolean>`exists (select 1 from rfm_scores s where s.run_id = ${run} and s.member_id = m.id
      and s.segment = ${rule.rfm.segment})`;
  }
  if ('event' in rule) {
    const since = new Date(ctx.now.getTime() - durationMs(rule.within)).toISOString();
    if (plainEvent(rule))
      return sql<boolean>`exists (select 1 from member_activity a where a.member_id = m.id
        and a.type = ${rule.event} and a.occurred_at >= ${since} ${where('a', rule.where)})`;
    const count = rule.count ?? { op: '>=', value: 1 };
    const refs =
      ctx.engine === 'postgres' ? sql`coalesce(a.ref, cast(a.seq as text))` : sql`coalesce(a.ref, a.seq)`;
    return sql<boolean>`((select count(distinct ${refs}) from member_activity a where a.member_id = m.id
      and a.type = ${rule.event} and a.occurred_at >= ${since} ${where('a', rule.where)})
      ${sql.raw(count.op === '!=' ? '<>' : count.op)} ${count.value})`;
  }
  // A sequence: she did one thing, and in the `within` after it not the other — counted for a `did` whose
  // following period ended within the last `within` (so that the rule holds for a while, then lets go).
  const { did, thenNot, within } = rule.sequence;
  const w = durationMs(within);
  const from = new Date(ctx.now.getTime() - 2 * w).toISOString();
  const to = new Date(ctx.now.getTime() - w).toISOString();
  return sql<boolean>`exists (select 1 from member_activity a where a.member_id = m.id and a.type = ${did.event}
      and a.occurred_at > ${from} and a.occurred_at <= ${to} ${where('a', did.where)}
      and not exists (select 1 from member_activity b where b.member_id = m.id and b.type = ${thenNot.event}
        and b.occurred_at > a.occurred_at and b.occurred_at <= ${plus(ctx.engine, sql.ref('a.occurred_at'), w)}
        ${where('b', thenNot.where)}))`;
}

/** "Did it at least once within": a set of members, not a count per member. */
function plainEvent(rule: Extract<SegmentRule, { event: string }>): boolean {
  return rule.count === undefined || (rule.count.op === '>=' && rule.count.value === 1);
}

/**
 * The members a condition holds for, as one query over its index — for a tag (its holders) and a plain event (who
 * did it within the window); null for the others, which are read per member. Used over everyone (counts, passes):
 * the set is read once instead of probed once per member.
 */
function setOf(rule: SegmentRule, ctx: CompileContext): RawBuilder<unknown> | null {
  if ('tag' in rule)
    return sql`select mt.member_id as id from member_tags mt where mt.tag_code = ${rule.tag}`;
  if ('event' in rule && plainEvent(rule)) {
    const since = new Date(ctx.now.getTime() - durationMs(rule.within)).toISOString();
    // SQLite would rather walk the whole (member, type, time) index for members in order than sort the window's
    // few: the (type, time, member) index is named for it (a fifth faster over a million members).
    const indexed = ctx.engine === 'sqlite' ? sql` indexed by member_activity_type_time` : sql``;
    return sql`select a.member_id as id from member_activity a${indexed} where a.type = ${rule.event}
      and a.occurred_at >= ${since} and a.member_id is not null ${where('a', rule.where)}`;
  }
  return null;
}

function where(
  alias: string,
  filter: { sku?: string; category?: string; store?: string; channel?: string } = {},
) {
  const parts = (['sku', 'category', 'store', 'channel'] as const).flatMap((key) =>
    filter[key] === undefined ? [] : [sql`and ${sql.ref(`${alias}.${key}`)} = ${filter[key]}`],
  );
  return parts.length === 0 ? sql`` : sql.join(parts, sql` `);
}

/** An ISO instant column plus some milliseconds, as the same ISO text (comparable with the stored instants). */
function plus(engine: Engine, column: RawBuilder<unknown>, ms: number): RawBuilder<string> {
  const seconds = Math.round(ms / 1000);
  return engine === 'postgres'
    ? sql<string>`to_char((cast(${column} as timestamptz) + ${sql.lit(seconds)} * interval '1 second') at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
    : sql<string>`strftime('%Y-%m-%dT%H:%M:%fZ', ${column}, ${sql.lit(`+${seconds} seconds`)})`;
}

function traitPredicate(
  rule: Extract<SegmentRule, { trait: string }>,
  ctx: CompileContext,
  path: string,
): RawBuilder<boolean> {
  const { trait, op, value } = rule;
  const list = Array.isArray(value) ? value : null;
  if ((op === 'in' || op === 'between') !== (list !== null)) {
    invalid(`${path}.value`, op === 'in' || op === 'between' ? `needs a list for ${op}` : 'needs one value');
  }
  if (op === 'between' && list?.length !== 2) invalid(`${path}.value`, 'needs two values for between');
  let column: RawBuilder<unknown>;
  let read: (v: string | number, at: string) => string | number;
  if (NUMERIC[trait] !== undefined) {
    read = (v, at) => (typeof v === 'number' ? v : invalid(at, 'must be a number'));
    const values = (list ?? [value]).map((v, i) =>
      read(v as number, list ? `${path}.value[${i}]` : `${path}.value`),
    );
    // Only when 0 passes is a member without traits in (coalesce); otherwise the bare column, which the planner
    // can estimate and index (a null never passes a comparison, as a member without traits must not here).
    column = holds(0, op, values as number[])
      ? sql.raw(`coalesce(${NUMERIC[trait]!}, 0)`)
      : sql.raw(NUMERIC[trait]!);
  } else if (TIMES[trait] !== undefined) {
    column = sql.raw(TIMES[trait]!);
    // An instant, or a duration meaning that long before now (a window that moves with time).
    read = (v, at) => {
      if (typeof v !== 'string') return invalid(at, 'must be an instant or a duration');
      if (/^P/.test(v)) return new Date(ctx.now.getTime() - durationMs(v)).toISOString();
      const ms = Date.parse(v);
      return Number.isNaN(ms) ? invalid(at, 'must be an instant or a duration') : new Date(ms).toISOString();
    };
  } else {
    column = TEXTS[trait]!;
    if (!['=', '!=', 'in'].includes(op)) invalid(`${path}.op`, `cannot compare ${trait} with ${op}`);
    read = (v, at) => (typeof v === 'string' ? v : invalid(at, 'must be text'));
  }
  const c = column;
  if (list !== null) {
    const values = list.map((v, i) => read(v, `${path}.value[${i}]`));
    return op === 'in'
      ? sql<boolean>`(${c} in (${sql.join(values)}))`
      : sql<boolean>`(${c} between ${values[0]} and ${values[1]})`;
  }
  const v = read(value as string | number, `${path}.value`);
  return sql<boolean>`(${c} ${sql.raw(op === '!=' ? '<>' : op)} ${v})`;
}

/** Does a number pass a comparison of the rule language? */
export function holds(x: number, op: (typeof OPS)[number], values: readonly number[]): boolean {
  const [a = 0, b = 0] = values;
  switch (op) {
    case '=':
      return x === a;
    case '!=':
      return x !== a;
    case '<':
      return x < a;
    case '<=':
      return x <= a;
    case '>':
      return x > a;
    case '>=':
      return x >= a;
    case 'in':
      return values.includes(x);
    case 'between':
      return a <= x && x <= b;
  }
}

/** Does any rule in it move with time (a window relative to now)? Those are re-evaluated by the hourly pass. */
export function movesWithTime(rule: SegmentRule): boolean {
  if ('all' in rule) return rule.all.some(movesWithTime);
  if ('any' in rule) return rule.any.some(movesWithTime);
  if ('not' in rule) return movesWithTime(rule.not);
  if ('event' in rule || 'sequence' in rule) return true;
  if ('trait' in rule) return [rule.value].flat().some((v) => typeof v === 'string' && /^P/.test(v));
  return false;
}
