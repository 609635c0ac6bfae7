import type { BenchContext } from '../lib.js';

/** The audience benchmark's part on segments: a three-condition count over 1,000,000 members, and one member's re-evaluation when an order arrives. */
export async function segmentsPart(_ctx: BenchContext): Promise<void> {}
