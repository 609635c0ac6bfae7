import { CompiledQuery, sql } from 'kysely';
import { type Queryable, runRepeated } from '../platform/index.js';
import type { SegmentRule } from './segments.contract.js';
import { type CompileContext, compileRule } from './segments.sql.js';

// Some members (an event's) read against every segment: one statement per chunk of members, with a column per
// segment's rule (does she match now) and one per segment (is she stored in it). A member's order re-evaluates her
// segments while she waits for nothing, but thousands of orders an hour do it: the statement is built once per
// set of segments, not at every event.

const CHUNK = 500;

/**
 * Which of some members match each of several rules: one statement per chunk of members with a column per rule,
 * so that re-evaluating an event's member against every segment is one read, not one per segment.
 */
export async function matchesPerRule(
  db: Queryable,
  rules: readonly SegmentRule[],
  ctx: CompileContext,
  ids: readonly string[],
): Promise<Set<string>[]> {
  return (await readMembers(db, rules, ctx, ids, [])).matched;
}

/**
 * Some members, read once per chunk: for each rule, who matches it now, and for each segment named, who is in it
 * as stored. The members come from the list itself, so that one who is no longer active (merged, erased) still
 * shows where she is stored, and matches nothing.
 */
export async function readMembers(
  db: Queryable,
  rules: readonly SegmentRule[],
  ctx: CompileContext,
  ids: readonly string[],
  storedIn: readonly string[],
): Promise<{ matched: Set<string>[]; stored: Set<string>[] }> {
  const matched = rules.map(() => new Set<string>());
  const stored = storedIn.map(() => new Set<string>());
  if (rules.length === 0 && storedIn.length === 0) return { matched, stored };
  const flags = (sets: Set<string>[], prefix: string, row: Record<string, unknown>) =>
    sets.forEach((set, i) => {
      if (Number(row[`${prefix}${i}`]) === 1) set.add(String(row.member_id));
    });
  const build = (now: Date, members: readonly string[]) =>
    membersQuery(db, rules, { ...ctx, now, fewMembers: true }, members, storedIn);
  const segments = JSON.stringify([ctx.engine, ctx.latestRuns, rules, storedIn]);
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const key = `${segments} x${chunk.length}`;
    const { rows } = await runRepeated(db, statementFor(key, build, ctx.now, chunk));
    for (const row of rows) {
      flags(matched, 'r', row);
      flags(stored, 's', row);
    }
  }
  return { matched, stored };
}

function membersQuery(
  db: Queryable,
  rules: readonly SegmentRule[],
  ctx: CompileContext,
  ids: readonly string[],
  storedIn: readonly string[],
): CompiledQuery<Record<string, unknown>> {
  const columns = [
    ...rules.map(
      (rule, i) =>
        sql`case when m.status = 'active' and ${compileRule(rule, ctx)} then 1 else 0 end as ${sql.ref(`r${i}`)}`,
    ),
    ...storedIn.map(
      (segmentId, i) =>
        sql`case when exists (select 1 from segment_members sm where sm.segment_id = ${segmentId}
          and sm.member_id = ids.column1) then 1 else 0 end as ${sql.ref(`s${i}`)}`,
    ),
  ];
  const list = ids.map((id) => sql`(cast(${id} as text))`);
  return sql<Record<string, unknown>>`select ids.column1 as member_id, ${sql.join(columns)}
    from (values ${sql.join(list)}) as ids
    left join members m on m.id = ids.column1 left join member_traits t on t.member_id = m.id`.compile(db);
}

/**
 * A statement's text with where each of its parameters comes from: a constant of the rules, an instant that long
 * before now (a window such as `P30D`), or the k-th member.
 */
interface Template {
  sql: string;
  parameters: ({ value: unknown } | { before: number } | { member: number })[];
}

// Built statements by segments, runs and chunk size; null: its parameters could not all be told apart.
const templates = new Map<string, Template | null>();
const MAX_TEMPLATES = 200;

/** The statement for these members now, from its template (learnt on first use), or built as it is. */
function statementFor(
  key: string,
  build: (now: Date, ids: readonly string[]) => CompiledQuery<Record<string, unknown>>,
  now: Date,
  ids: readonly string[],
): CompiledQuery<Record<string, unknown>> {
  const fill = (template: Template) =>
    CompiledQuery.raw(
      template.sql,
      template.parameters.map((p) =>
        'value' in p
          ? p.value
          : 'member' in p
            ? ids[p.member]
            : new Date(now.getTime() - p.before).toISOString(),
      ),
    ) as CompiledQuery<Record<string, unknown>>;
  let template = templates.get(key);
  if (template === undefined) {
    template = learn(build, ids.length);
    // Its first use is checked against the statement built as it is: a template that differs is not kept.
    const built = build(now, ids);
    if (template !== null) {
      const filled = fill(template);
      const same =
        filled.sql === built.sql && filled.parameters.every((value, i) => value === built.parameters[i]);
      if (!same) template = null;
    }
    if (templates.size >= MAX_TEMPLATES) templates.delete(templates.keys().next().value as string);
    templates.set(key, template);
    return built;
  }
  return template === null ? build(now, ids) : fill(template);
}

/**
 * Builds the statement twice, at two instants a day and a millisecond apart and for two lists of stand-in members,
 * and compares: a parameter equal in both is a constant; one that moved by exactly that time is an instant that
 * long before now; one that is the k-th stand-in is the k-th member. Anything else leaves no template.
 */
function learn(
  build: (now: Date, ids: readonly string[]) => CompiledQuery<Record<string, unknown>>,
  count: number,
): Template | null {
  const a = Date.UTC(2001, 0, 1, 0, 0, 0, 1);
  const b = a + 86_400_001;
  const idsA = Array.from({ length: count }, (_, k) => `\u0000a${k}`);
  const idsB = Array.from({ length: count }, (_, k) => `\u0000b${k}`);
  const first = build(new Date(a), idsA);
  const second = build(new Date(b), idsB);
  if (first.sql !== second.sql || first.parameters.length !== second.parameters.length) return null;
  const parameters: Template['parameters'] = [];
  for (const [i, value] of first.parameters.entries()) {
    const other = second.parameters[i];
    if (value === other) {
      parameters.push({ value });
      continue;
    }
    const member = typeof value === 'string' ? idsA.indexOf(value) : -1;
    if (member >= 0 && other === idsB[member]) {
      parameters.push({ member });
      continue;
    }
    const at = typeof value === 'string' ? Date.parse(value) : Number.NaN;
    const otherAt = typeof other === 'string' ? Date.parse(other) : Number.NaN;
    if (otherAt - at !== b - a || new Date(at).toISOString() !== value) return null;
    parameters.push({ before: a - at });
  }
  return { sql: first.sql, parameters };
}
