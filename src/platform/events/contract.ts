import type { Static, TSchema } from 'typebox';
import { Compile, type Validator } from 'typebox/compile';
import type { NewEvent, PublishedEvent } from './outbox.js';

// An event's payload is an API too: other contexts, the live stream and NATS subscribers read it. Each context
// writes its events once, in `<ctx>.events.ts`, as a type name and a TypeBox schema; producers build payloads of
// that type and consumers parse them against the same schema rather than cast them.

/** One kind of event: its type (`<context>.<what happened>`) and the schema of its payload. */
export interface EventContract<Name extends string = string, Payload extends TSchema = TSchema> {
  readonly type: Name;
  readonly payload: Payload;
  readonly validator: Validator;
}

export function defineEvent<const Name extends string, const Payload extends TSchema>(
  type: Name,
  payload: Payload,
): EventContract<Name, Payload> {
  return { type, payload, validator: Compile(payload) };
}

/** The payload a consumer can rely on: what the producer's contract says. */
export type EventPayload<C extends EventContract> = Static<C['payload']>;

// Under the test runner every produced payload is also checked against its schema at run time, so that the test
// suite proves what the compiler cannot (formats, ranges, a null where the schema says string). Production does
// not pay for the check: consumers parse what they read (payloadOf).
const CHECK_PRODUCED = process.env.VITEST === 'true';

/** An event to append (`appendEvent(s)`), its payload typed by its contract. */
export function newEvent<C extends EventContract>(
  contract: C,
  event: { stream: string; location?: string | null; payload: EventPayload<C> },
): NewEvent {
  if (CHECK_PRODUCED && !contract.validator.Check(event.payload)) {
    throw new EventContractError({ id: '(new)', type: contract.type }, problemsOf(contract, event.payload));
  }
  return {
    type: contract.type,
    stream: event.stream,
    location: event.location ?? null,
    payload: event.payload as object,
  };
}

/** Thrown by {@link payloadOf} for an event that does not match its contract: a producer broke it. */
export class EventContractError extends Error {
  constructor(
    readonly event: Pick<PublishedEvent, 'id' | 'type'>,
    readonly problems: string[],
  ) {
    super(`Event ${event.id} (${event.type}) does not match its contract: ${problems.join('; ')}`);
    this.name = 'EventContractError';
  }
}

/**
 * The payload of a consumed event, checked against its contract. A mismatch throws: the consumer's transaction
 * rolls back and its checkpoint stays before the event (logged and retried), so nothing is done with half an
 * event. Unknown extra fields are allowed (a producer may add fields before its consumers read them).
 */
export function payloadOf<C extends EventContract>(contract: C, event: PublishedEvent): EventPayload<C> {
  if (event.type !== contract.type) throw new EventContractError(event, [`expected type ${contract.type}`]);
  if (contract.validator.Check(event.payload)) return event.payload as EventPayload<C>;
  throw new EventContractError(event, problemsOf(contract, event.payload));
}

function problemsOf(contract: EventContract, payload: unknown): string[] {
  return contract.validator
    .Errors(payload)
    .slice(0, 5)
    .map((error) => `${error.instancePath || '/'} ${error.message}`);
}

/** Whether an event is of this contract (for a consumer that takes several types). */
export function isEvent<C extends EventContract>(contract: C, event: PublishedEvent): boolean {
  return event.type === contract.type;
}
