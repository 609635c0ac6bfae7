import type { BenchContext } from '../lib.js';

/** The audience benchmark's part on activity: POST /v1/track over HTTP in batches of 50 against the HTTP ceiling. */
export async function trackPart(_ctx: BenchContext): Promise<void> {}
