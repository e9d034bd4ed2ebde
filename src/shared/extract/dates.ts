// Dates as pages write them, normalised to ISO 8601 with an offset.

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  sept: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function isValidDay(year: number, month: number, day: number): boolean {
  if (year < 1900 || year > 2100 || month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function dayOnly(year: number, month: number, day: number): string | null {
  return isValidDay(year, month, day) ? `${year}-${pad(month)}-${pad(day)}T00:00:00Z` : null;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?/i;

/**
 * Normalise a machine-readable or written date. Keeps the page's own offset when it gives one;
 * a time without an offset is taken as UTC; a date alone becomes midnight UTC.
 * Returns null for anything it cannot read with confidence.
 */
export function normalizeDate(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const text = raw.trim();
  const iso = ISO.exec(text);
  if (iso) {
    const [, y, mo, d, h, mi, s, zone] = iso;
    const year = Number(y),
      month = Number(mo),
      day = Number(d);
    if (!isValidDay(year, month, day)) return null;
    if (h === undefined) return dayOnly(year, month, day);
    if (Number(h) > 23 || Number(mi) > 59) return null;
    let offset = 'Z';
    if (zone && zone.toUpperCase() !== 'Z') {
      const digits = zone.replace(':', '');
      offset = digits === '+0000' || digits === '-0000' ? 'Z' : `${digits.slice(0, 3)}:${digits.slice(3)}`;
    }
    return `${y}-${mo}-${d}T${h}:${mi}:${s ?? '00'}${offset}`;
  }
  return parseWrittenDate(text);
}

const MONTH_NAME = '(jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\\.?';
const DAY_FIRST = new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+${MONTH_NAME},?\\s+(\\d{4})\\b`, 'i');
const MONTH_FIRST = new RegExp(`\\b${MONTH_NAME}\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})\\b`, 'i');

/** "Thursday, 20 June 2024", "June 20, 2024", "20 Jun 2024". */
export function parseWrittenDate(text: string): string | null {
  const dayFirst = DAY_FIRST.exec(text);
  if (dayFirst) {
    return dayOnly(Number(dayFirst[3]), MONTHS[dayFirst[2]!.toLowerCase()]!, Number(dayFirst[1]));
  }
  const monthFirst = MONTH_FIRST.exec(text);
  if (monthFirst) {
    return dayOnly(Number(monthFirst[3]), MONTHS[monthFirst[1]!.toLowerCase()]!, Number(monthFirst[2]));
  }
  return null;
}

/** `/2024/06/20/` or `/2024-06-20/` in a URL path. */
export function dateFromUrl(url: string): string | null {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return null;
  }
  const m = /\/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:\/|-|$)/.exec(path);
  return m ? dayOnly(Number(m[1]), Number(m[2]), Number(m[3])) : null;
}
