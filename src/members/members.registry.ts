import type {
  AppModule,
  MemberListFilter,
  MemberListFilterName,
  MemberReference,
  MemberViewer,
  MemberViewSection,
} from '../platform/index.js';

export type { MemberReference, MemberViewer, MemberViewSection };

const NAME = /^[a-z_][a-z0-9_]*$/;
let references: readonly MemberReference[] | undefined;
let sections: ReadonlyMap<string, MemberViewSection> | undefined;
let filters: ReadonlyMap<MemberListFilterName, MemberListFilter> | undefined;

/**
 * Takes every module's member references and 360-view sections (their `AppModule` fields). `src/app.ts` calls it
 * once with the node's modules; calling it again with the same modules changes nothing.
 */
export function linkMemberRecords(
  modules: readonly Pick<
    AppModule,
    'name' | 'memberReferences' | 'memberViewSections' | 'memberListFilters'
  >[],
): void {
  const linkedReferences: MemberReference[] = [];
  const linkedFilters = new Map<MemberListFilterName, MemberListFilter>();
  const linkedSections = new Map<string, MemberViewSection>();
  for (const module of modules) {
    for (const reference of module.memberReferences ?? []) {
      for (const name of [reference.table, reference.memberColumn, reference.keyColumn]) {
        if (!NAME.test(name)) throw new Error(`"${name}" is not a plain snake_case table or column name`);
      }
      const known = linkedReferences.some(
        (r) => r.table === reference.table && r.memberColumn === reference.memberColumn,
      );
      if (!known) linkedReferences.push({ ...reference });
    }
    for (const [name, section] of Object.entries(module.memberViewSections ?? {})) {
      if (!/^[a-z][A-Za-z0-9]*$/.test(name)) throw new Error(`"${name}" is not a camelCase section name`);
      if (linkedSections.has(name))
        throw new Error(`The member view section "${name}" of ${module.name} is already another module's`);
      linkedSections.set(name, section);
    }
    for (const [name, filter] of Object.entries(module.memberListFilters ?? {}) as [
      MemberListFilterName,
      MemberListFilter,
    ][]) {
      if (linkedFilters.has(name))
        throw new Error(`The member list filter "${name}" of ${module.name} is already another module's`);
      linkedFilters.set(name, filter);
    }
  }
  references = linkedReferences;
  sections = linkedSections;
  filters = linkedFilters;
}

/**
 * The tables whose rows follow a member through merges. Refuses to answer before `linkMemberRecords`: a merge
 * that knew no tables would leave the merged member's orders, points and trials behind.
 */
export function memberReferences(): readonly MemberReference[] {
  if (!references)
    throw new Error('Member records are not linked yet: src/app.ts links them from the modules');
  return references;
}

export function memberViewSections(): ReadonlyMap<string, MemberViewSection> {
  if (!sections) throw new Error('Member records are not linked yet: src/app.ts links them from the modules');
  return sections;
}

/** The member list's filters by name (a filter no module supplies is absent: the list refuses it). */
export function memberListFilters(): ReadonlyMap<MemberListFilterName, MemberListFilter> {
  if (!filters) throw new Error('Member records are not linked yet: src/app.ts links them from the modules');
  return filters;
}
