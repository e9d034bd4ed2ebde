// The dedup indexes keep their entries in generations of half the window: a lookup reads the last
// GENERATIONS, so an entry is found for at least the window and dropped within one and a half.

export const GENERATIONS = 3;

/** A generation lasts half the window (at least a second). */
export function generationSeconds(windowSeconds: number): number {
  return Math.max(1, Math.floor(windowSeconds / 2));
}

/**
 * The generation `nowMs` falls in, and the expiry its keys get when they are created: the seconds
 * until lookups stop reading it (while it is one of the last GENERATIONS), plus an hour of slack.
 * It is set once; renewing it on every write would cost a command per write (and one more in the
 * AOF and to every replica) and keep the key no longer than it is read.
 */
export function generationAt(nowMs: number, seconds: number): { current: number; expirySeconds: number } {
  const current = Math.floor(nowMs / 1000 / seconds);
  return { current, expirySeconds: Math.ceil((current + GENERATIONS) * seconds + 3_600 - nowMs / 1000) };
}
