// Checks on what a client sends that JSON Schema alone does not make: dates PostgreSQL will read
// the same way, and text without control characters (a NUL is refused by PostgreSQL, and none has
// a meaning in a URL, an id or a search).

const DATE_OR_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?(Z|[+-](\d{2}):?(\d{2}))?)?$/i;

/**
 * An ISO 8601 date (2024-05-06) or date-time with an optional offset (2024-05-06T08:00:00+02:00)
 * that names a real day and time, and an offset within ±14:00 — what PostgreSQL accepts.
 */
export function isDateOrTime(value: string): boolean {
  const m = DATE_OR_TIME.exec(value);
  if (!m) return false;
  const [, y, mo, d, h, mi, s, zone, zh, zm] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return false;
  if (h !== undefined && (Number(h) > 23 || Number(mi) > 59 || (s !== undefined && Number(s) > 59))) return false;
  if (zone && zone.toUpperCase() !== 'Z' && (Number(zh) > 14 || Number(zm) > 59 || (Number(zh) === 14 && Number(zm) > 0))) return false;
  return true;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is what it is for
const CONTROL = /[\u0000-\u001F\u007F]/;

/** The path of the first string below `value` (at most `depth` levels) holding a control character. */
export function fieldWithControlCharacter(value: unknown, path: string, depth = 4): string | null {
  if (typeof value === 'string') return CONTROL.test(value) ? path : null;
  if (depth === 0 || value === null || typeof value !== 'object') return null;
  for (const [key, inner] of Object.entries(value)) {
    const found = fieldWithControlCharacter(inner, `${path}/${key}`, depth - 1);
    if (found) return found;
  }
  return null;
}
