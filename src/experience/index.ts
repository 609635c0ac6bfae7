import Type from 'typebox';
import { OrderCompleted } from '../orders/orders.events.js';
import { type AppModule, memberViewSection } from '../platform/index.js';
import { Experience, Favourite } from './experience.contract.js';
import { registerExperienceRoutes } from './experience.routes.js';
import { experiencesOf, favouritesOf, projectCompletedOrder } from './experience.service.js';

/** In-store experiences (trials, try-ons, skin tests, fittings), favourites, and recommendations v1. */
export const experienceModule: AppModule = {
  name: 'experience',
  routes: registerExperienceRoutes,
  consumers: [
    {
      name: 'experience.purchases',
      topics: ['order'],
      types: [OrderCompleted.type],
      handle: projectCompletedOrder,
    },
  ],
  // A member's trials, favourites and purchases follow them through merges (and back on unmerge).
  memberReferences: [
    { table: 'experiences', memberColumn: 'member_id', keyColumn: 'id' },
    { table: 'experience_favourites', memberColumn: 'member_id', keyColumn: 'id' },
    { table: 'experience_purchases', memberColumn: 'member_id', keyColumn: 'id' },
  ],
  memberViewSections: {
    experiences: memberViewSection(Type.Array(Experience), async (db, memberId, viewer) =>
      (await experiencesOf(db, memberId, { limit: 20 })).items.filter(
        (e) => viewer.store === null || e.store === viewer.store,
      ),
    ),
    favourites: memberViewSection(Type.Array(Favourite), (db, memberId) => favouritesOf(db, memberId)),
  },
};

export { ExperienceErrors } from './experience.errors.js';
export { EXPERIENCE_KINDS, type ExperienceKind } from './experience.rules.js';
export type { ExperienceTables } from './experience.schema.js';
/** Records a trial inside the caller's transaction (the demo seed; a POS sync). */
export {
  type Experience,
  type NewExperience,
  recordExperience,
  saveFavourite,
} from './experience.service.js';
