import Type from 'typebox';
import { defineEvent } from '../platform/index.js';
import { Experience, Favourite } from './experience.contract.js';

// The experience events (topic `member`, on the member's stream): what a customer tried or saved in a store. They
// carry the trial or favourite as the API shows it. Producers build them with newEvent, consumers read them with
// payloadOf.

/** A trial (试用 / 试色 / 试穿 / skin test) was recorded. */
export const ExperienceRecorded = defineEvent('experience.recorded', Experience);

/** A product was saved as a favourite (the first time only). */
export const FavouriteSaved = defineEvent('experience.favourite_saved', Favourite);

/** A product was taken off her favourites. */
export const FavouriteRemoved = defineEvent(
  'experience.favourite_removed',
  Type.Object({ memberId: Type.String(), sku: Type.String(), favouriteId: Type.String() }),
);
