import Type from 'typebox';
import { defineEvent } from '../platform/index.js';

/**
 * Tracked events were recorded: one event per written batch (however many requests and rows it took), with
 * counts only — the rows are in member_activity, and `audience.profile_changed` names the members.
 */
export const ActivityTracked = defineEvent(
  'activity.tracked',
  Type.Object({
    accepted: Type.Integer({ minimum: 1 }),
    members: Type.Integer({ minimum: 0, description: 'distinct known members' }),
    anonymous: Type.Integer({ minimum: 0, description: 'events of devices not yet joined to a member' }),
  }),
);

/** Anonymous activity of devices joined to a member on identify now belongs to her. */
export const ActivityJoined = defineEvent(
  'activity.joined',
  Type.Object({ memberId: Type.String(), rows: Type.Integer({ minimum: 1 }) }),
);
