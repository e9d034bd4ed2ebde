// Dates as feeds and sitemaps write them: RFC 822/2822 (RSS pubDate) with numeric or named zones,
// and ISO 8601 / W3C-DTF (Atom, dc:date, sitemaps). A date without a zone is UTC, never the
// process's own zone; a date that cannot be read is no date.
import { MONTHS, normalizeDate } from '../extract/dates.js';

/**
 * Zone abbreviations feeds use, in minutes east of UTC: RFC 822's own, and the common ones of the
 * places this news comes from. An abbreviation that means two things (IST: India or Ireland, CST:
 * US Central or China) is read as RFC 822 or as its most common news use.
 */
const ZONES: Record<string, number> = {
  UT: 0,
  UTC: 0,
  GMT: 0,
  Z: 0,
  WET: 0,
  WEST: 60,
  BST: 60,
  IST: 330,
  EST: -300,
  EDT: -240,
  CST: -360,
  CDT: -300,
  MST: -420,
  MDT: -360,
  PST: -480,
  PDT: -420,
  AKST: -540,
  AKDT: -480,
  HST: -600,
  CET: 60,
  CEST: 120,
  MET: 60,
  MEST: 120,
  EET: 120,
  EEST: 180,
  MSK: 180,
  MSD: 240,
  TRT: 180,
  GST: 240,
  PKT: 300,
  ICT: 420,
  WIB: 420,
  HKT: 480,
  SGT: 480,
  AWST: 480,
  PHT: 480,
  JST: 540,
  KST: 540,
  ACST: 570,
  AEST: 600,
  AEDT: 660,
  NZST: 720,
  NZDT: 780,
  SAST: 120,
  CAT: 120,
  EAT: 180,
  WAT: 60,
  ART: -180,
  BRT: -180,
};

const RFC822 =
  /^(?:[A-Za-z]{2,9},?\s+)?(\d{1,2})[\s-]+([A-Za-z]{3,9})\.?[\s-]+(\d{2,4})(?:[\sT]+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?\s*(?:([+-])(\d{2}):?(\d{2})|\(?([A-Za-z]{1,5})\)?)?\s*$/;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** An RFC 822 date as ISO 8601 with its offset, or null. */
function rfc822(text: string): string | null {
  const m = RFC822.exec(text);
  if (!m) return null;
  const [, d, mon, y, h, mi, s, sign, zh, zm, zone] = m;
  const month = MONTHS[mon!.slice(0, mon!.toLowerCase().startsWith('sept') ? 4 : 3).toLowerCase()];
  if (!month) return null;
  let year = Number(y);
  if (y!.length === 2) year += year < 50 ? 2000 : 1900;
  let offset = 0;
  if (sign) offset = (sign === '-' ? -1 : 1) * (Number(zh) * 60 + Number(zm));
  else if (zone) {
    const known = ZONES[zone.toUpperCase()];
    if (known === undefined) return null;
    offset = known;
  }
  const zoneText = offset === 0 ? 'Z' : `${offset < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  return normalizeDate(`${year}-${pad(month)}-${pad(Number(d))}T${pad(Number(h ?? 0))}:${mi ?? '00'}:${s ?? '00'}${zoneText}`);
}

/** A feed's or sitemap's date as ISO 8601 with its offset (UTC when it gave none); null when unreadable. */
export function feedDate(raw: string | undefined): string | null {
  const text = raw?.trim();
  if (!text) return null;
  if (/^\d{4}-\d{2}/.test(text)) return normalizeDate(text);
  return rfc822(text);
}
