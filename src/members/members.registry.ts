import type { Kysely } from 'kysely';
import type { DB } from '../platform/index.js';

/** A table whose rows belong to a member: a merge moves them to the surviving member, an unmerge moves them back. */
export interface MemberReference {
  table: string;
  /** The column holding the member id. */
  memberColumn: string;
  /** A column that identifies a row for good (its primary key): the merge log keeps these to undo the move. */
  keyColumn: string;
}

const NAME = /^[a-z_][a-z0-9_]*$/;
const references: MemberReference[] = [];

export function registerMemberReference(reference: MemberReference): void {
  for (const name of [reference.table, reference.memberColumn, reference.keyColumn]) {
    if (!NAME.test(name)) throw new Error(`"${name}" is not a plain snake_case table or column name`);
  }
  const known = references.some(
    (r) => r.table === reference.table && r.memberColumn === reference.memberColumn,
  );
  if (!known) references.push({ ...reference });
}

export function memberReferences(): readonly MemberReference[] {
  return references;
}

/** Who is looking at a member: store staff and channel apps see personal data masked. */
export interface MemberViewer {
  role: string;
  masked: boolean;
}

/** Loads one part of the member 360 view (recent orders, points, tier, coupons, experiences …). */
export type MemberViewSectionLoader = (
  db: Kysely<DB>,
  memberId: string,
  viewer: MemberViewer,
) => Promise<unknown>;

const sections = new Map<string, MemberViewSectionLoader>();

export function registerMemberViewSection(name: string, loader: MemberViewSectionLoader): void {
  if (!/^[a-z][A-Za-z0-9]*$/.test(name)) throw new Error(`"${name}" is not a camelCase section name`);
  if (sections.has(name)) throw new Error(`The member view section "${name}" is already registered`);
  sections.set(name, loader);
}

export function memberViewSections(): ReadonlyMap<string, MemberViewSectionLoader> {
  return sections;
}
