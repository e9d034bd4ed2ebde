// Durations as operators write them: "500ms", "30s", "10m", "2h", "1d".
import { PermanentError } from './errors.js';

const UNITS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** "30s", "10m", "2h", "1d", "500ms" → milliseconds; throws `invalid_duration` otherwise. */
export function parseDuration(value: string): number {
  const m = /^(\d+)(ms|s|m|h|d)$/.exec(value.trim());
  if (!m) throw new PermanentError('invalid_duration', `not a duration: ${JSON.stringify(value)} (use 30s, 10m, 2h, 1d)`);
  return Number(m[1]) * UNITS[m[2] as keyof typeof UNITS];
}
