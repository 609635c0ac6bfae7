import type { BenchContext } from '../lib.js';

/** The audience benchmark's part on traits: the consumer's events per second and the full recompute's members per second. */
export async function traitsPart(_ctx: BenchContext): Promise<void> {}
