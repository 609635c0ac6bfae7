/** Times are stored as ISO 8601 UTC text (`2026-11-22T08:00:00.000Z`): the fixed width makes text order equal time order on both engines. */
export function nowIso(): string {
  return new Date().toISOString();
}

export function isoAfter(ms: number, from: number = Date.now()): string {
  return new Date(from + ms).toISOString();
}
