import { defineError } from '../platform/index.js';

/** The experience context's error catalogue. */
export const ExperienceErrors = {
  notFound: defineError('EXPERIENCE.NOT_FOUND', 'not_found', 'No such experience'),
  notAStore: defineError('EXPERIENCE.NOT_A_STORE', 'invalid', 'Experiences happen in stores'),
};
