// Dates as pages write them, normalised to ISO 8601 with an offset.

/** English month names and their abbreviations (`sept` too), lower-case, to month numbers. */
export const MONTHS: Record<string, number> = {
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

/**
 * Month names, as date lines write them, in the languages newsline reads besides English: the
 * genitive in Russian and Ukrainian («5 декабря»), full names and their usual abbreviations
 * elsewhere. The same word never means two months across these languages.
 */
const WRITTEN_MONTHS: ReadonlyArray<readonly [month: number, names: string]> = [
  [1, 'januar jänner janvier enero gennaio janeiro januari janv ene genn gen января янв січня січ'],
  [2, 'februar février fevrier febrero febbraio fevereiro februari févr fevr fév feb febr fev февраля фев февр лютого лют'],
  [3, 'märz maerz mars marzo março maart mär марта мар березня бер'],
  [4, 'april avril abril aprile avr abr апреля апр квітня квіт'],
  [5, 'mai mayo maggio maio mei травня трав мая'],
  [6, 'juni juin junio giugno junho июня июн червня черв'],
  [7, 'juli juillet julio luglio julho juil lug июля июл липня лип'],
  [8, 'august août aout agosto augustus ago авг августа серпня серп'],
  [9, 'september septembre septiembre setiembre settembre setembro sept sep set сентября сен сент вересня вер'],
  [10, 'oktober octobre octubre ottobre outubro okt ott out октября окт жовтня жовт'],
  [11, 'november novembre noviembre novembro ноября нояб листопада лист'],
  [12, 'dezember décembre decembre diciembre dicembre dezembro december dez déc dic дек декабря грудня груд'],
];

const MONTH_BY_NAME = new Map(WRITTEN_MONTHS.flatMap(([month, names]) => names.split(' ').map((name) => [name, month] as const)));
const escapeName = (name: string) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const MONTH_WORD = `(${[...MONTH_BY_NAME.keys()]
  .sort((a, b) => b.length - a.length)
  .map(escapeName)
  .join('|')})\\.?`;

/**
 * «5. Dezember 2024», «1er décembre 2024», «5 de diciembre de 2024», «5 декабря 2024 г.»: the day,
 * the month's name (not inside a longer word), and the year.
 */
const WRITTEN_DAY_FIRST = new RegExp(
  `(?<![\\p{L}\\d])(\\d{1,2})(?:er|\\.|º|°)?\\s+(?:de\\s+)?${MONTH_WORD}(?!\\p{L})\\s*(?:de\\s+|del\\s+)?,?\\s*(\\d{4})(?!\\d)`,
  'iu',
);
/** «2024年12月5日» (Chinese, Japanese) and «2024년 12월 5일» (Korean). */
const CJK_DATE = /(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]/u;
/** «05.12.2024»: day, month, year, as German, Russian, Ukrainian and Polish pages write them. */
const DOTTED_DATE = /(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4})(?![\d.]*\d)/;

/**
 * A date line as a page writes it: "Thursday, 20 June 2024", "June 20, 2024", "20 Jun 2024", and
 * the same in German, French, Spanish, Italian, Portuguese, Dutch, Russian and Ukrainian, Chinese,
 * Japanese and Korean year-month-day, and day.month.year.
 */
export function parseWrittenDate(text: string): string | null {
  const dayFirst = DAY_FIRST.exec(text);
  if (dayFirst) {
    return dayOnly(Number(dayFirst[3]), MONTHS[dayFirst[2]!.toLowerCase()]!, Number(dayFirst[1]));
  }
  const monthFirst = MONTH_FIRST.exec(text);
  if (monthFirst) {
    return dayOnly(Number(monthFirst[3]), MONTHS[monthFirst[1]!.toLowerCase()]!, Number(monthFirst[2]));
  }
  const written = WRITTEN_DAY_FIRST.exec(text);
  if (written) {
    const month = MONTH_BY_NAME.get(written[2]!.toLowerCase());
    if (month) return dayOnly(Number(written[3]), month, Number(written[1]));
  }
  const cjk = CJK_DATE.exec(text);
  if (cjk) return dayOnly(Number(cjk[1]), Number(cjk[2]), Number(cjk[3]));
  const dotted = DOTTED_DATE.exec(text);
  if (dotted) return dayOnly(Number(dotted[3]), Number(dotted[2]), Number(dotted[1]));
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
