import { type JetStreamClient, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { EventForwarder } from './dispatcher.js';
import type { PublishedEvent } from './outbox.js';

export const NATS_STREAM = 'OMNILOOP';

/** The subject an event goes to: `omniloop.<context>.<type>`, e.g. `omniloop.inventory.level_changed`. */
export function natsSubject(event: Pick<PublishedEvent, 'type'>): string {
  return `omniloop.${event.type}`;
}

export interface NatsBridge {
  forwarder: EventForwarder;
  close(): Promise<void>;
}

/**
 * Connects to NATS, makes sure the JetStream stream that keeps `omniloop.>` exists (with `replicas` copies on a
 * cluster when it creates it), and returns a forwarder
 * that publishes each event with its id as `Nats-Msg-Id`: a batch sent again after a crash is de-duplicated
 * by JetStream.
 */
export async function connectNats(url: string, replicas = 1): Promise<NatsBridge> {
  // A cluster is several URLs, comma-separated: the client connects to one and fails over to the others.
  const servers = url.split(',').map((server) => server.trim());
  const nc: NatsConnection = await connect({ servers, name: 'omniloop', maxReconnectAttempts: -1 });
  const jsm = await jetstreamManager(nc);
  try {
    await jsm.streams.info(NATS_STREAM);
  } catch {
    await jsm.streams.add({ name: NATS_STREAM, subjects: ['omniloop.>'], num_replicas: replicas });
  }
  const js: JetStreamClient = jetstream(nc);
  return {
    forwarder: {
      name: 'nats',
      async forward(events) {
        for (const event of events) {
          const body = JSON.stringify({
            id: event.id,
            position: event.position,
            type: event.type,
            occurredAt: event.occurredAt,
            data: event.payload,
          });
          await js.publish(natsSubject(event), body, { msgID: event.id });
        }
      },
    },
    async close() {
      await nc.drain();
    },
  };
}
