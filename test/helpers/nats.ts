import { connect } from '@nats-io/transport-node';

/** The NATS server tests publish to (CI starts one with JetStream). */
export const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

/** Whether NATS answers: the tests that need it are skipped, with a warning, where it does not. */
export async function natsReachable(): Promise<boolean> {
  try {
    const nc = await connect({ servers: NATS_URL, timeout: 1000, reconnect: false });
    await nc.close();
    return true;
  } catch {
    return false;
  }
}
