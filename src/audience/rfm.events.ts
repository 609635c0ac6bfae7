import Type from 'typebox';
import { defineEvent } from '../platform/index.js';

/**
 * An RFM run is stored: every member it scored has new scores. One event for the run, not one per member — what
 * follows RFM segments re-reads them set-based from the run.
 */
export const RfmRunCompleted = defineEvent(
  'rfm.run_completed',
  Type.Object({
    runId: Type.String(),
    scheme: Type.Union([Type.Literal('quintile'), Type.Literal('eight_class')]),
    asOf: Type.String({ format: 'date-time' }),
    members: Type.Integer({ minimum: 0 }),
  }),
);
