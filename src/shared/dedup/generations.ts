// The dedup indexes keep their entries in generations of half the window: a lookup reads the last
// GENERATIONS, so an entry is found for at least the window and dropped within one and a half.

export const GENERATIONS = 3;

/**
 * Seconds from `nowMs` until generation `current` is no longer read (lookups read it while it is
 * one of the last GENERATIONS), plus an hour of slack: the expiry of that generation's keys. It is
 * set once, when a key is created; renewing it on every write would cost a command per write (and
 * one more in the AOF and to every replica) and keep the key no longer than it is read.
 */
export function generationTtl(nowMs: number, generationSeconds: number, current: number): number {
  return Math.ceil((current + GENERATIONS) * generationSeconds + 3_600 - nowMs / 1000);
}
