// One spelling per URL, so copies of a link with tracking parameters or a different host case
// are recognised as the same page.
import { getDomain } from 'tldts';

/** Query parameters that track a click and never select content. */
const TRACKING_PARAM =
  /^(utm_[a-z_]+|fbclid|gclid|gclsrc|dclid|msclkid|yclid|mc_cid|mc_eid|_ga|_gl|igshid|twclid|li_fat_id|wt\.mc_id|cmpid|ocid|ncid|sr_share|s_kwcid|mkt_tok|oly_(anon|enc)_id|vero_(id|conv)|_hsenc|_hsmi|hsctatracking|rss|ref_src|ref_url)$/i;

export function canonicalizeUrl(raw: string): string {
  const url = new URL(raw);
  url.hash = '';
  url.hostname = url.hostname.toLowerCase().replace(/\.$/, '');
  if ((url.protocol === 'http:' && url.port === '80') || (url.protocol === 'https:' && url.port === '443')) url.port = '';
  const kept = [...url.searchParams.entries()].filter(([key]) => !TRACKING_PARAM.test(key));
  kept.sort(([a, av], [b, bv]) => (a === b ? (av < bv ? -1 : av > bv ? 1 : 0) : a < b ? -1 : 1));
  url.search = '';
  for (const [key, value] of kept) url.searchParams.append(key, value);
  return url.href;
}

/** What a record is keyed on, and the page's own canonical when it was not believed. */
export interface RecordUrl {
  url: string;
  /** A declared canonical on another site (or not http(s)): ignored, and kept here to say so. */
  refusedCanonical: string | null;
}

/**
 * The site a host belongs to: its registrable domain by the Public Suffix List (news.example.co.uk
 * → example.co.uk), or the host itself when it has none (an address, localhost).
 */
export function siteOf(hostname: string): string {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return getDomain(host, { allowPrivateDomains: true }) ?? host;
}

/**
 * The URL a record is keyed on: the page's own rel=canonical/og:url when it declares a valid
 * http(s) one on the page's own site, otherwise where the fetch landed. A page may name another
 * page of its site as the original, never another site's: otherwise any page could claim any
 * article's URL and have the real one counted as its copy.
 */
export function recordUrl(finalUrl: string, declaredCanonical: string | null): RecordUrl {
  const fetched = canonicalizeUrl(finalUrl);
  if (!declaredCanonical) return { url: fetched, refusedCanonical: null };
  let declared: URL;
  try {
    declared = new URL(declaredCanonical);
  } catch {
    return { url: fetched, refusedCanonical: declaredCanonical };
  }
  const web = declared.protocol === 'http:' || declared.protocol === 'https:';
  if (!web || siteOf(declared.hostname) !== siteOf(new URL(finalUrl).hostname)) {
    return { url: fetched, refusedCanonical: declaredCanonical };
  }
  return { url: canonicalizeUrl(declared.href), refusedCanonical: null };
}
