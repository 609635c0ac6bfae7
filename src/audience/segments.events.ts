import Type from 'typebox';
import { defineEvent } from '../platform/index.js';

/** A member now matches a segment's rule (after it was defined: its first members enter without events). */
export const SegmentEntered = defineEvent(
  'segment.entered',
  Type.Object({ segmentId: Type.String(), memberId: Type.String() }),
);

/** A member no longer matches a segment's rule. */
export const SegmentExited = defineEvent(
  'segment.exited',
  Type.Object({ segmentId: Type.String(), memberId: Type.String() }),
);
