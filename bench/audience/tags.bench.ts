import type { BenchContext } from '../lib.js';

/** The audience benchmark's part on tags. */
export async function tagsPart(_ctx: BenchContext): Promise<void> {}
