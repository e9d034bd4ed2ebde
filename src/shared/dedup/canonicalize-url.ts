// One spelling per URL, so copies of a link with tracking parameters or a different host case
// are recognised as the same page.
import { getDomain } from 'tldts';

/** Query parameters that track a click and never select content. */
const TRACKING_PARAM =
  /^(utm_[a-z_]+|fbclid|gclid|gclsrc|dclid|msclkid|yclid|mc_cid|mc_eid|_ga|_gl|igshid|twclid|li_fat_id|wt\.mc_id|cmpid|ocid|ncid|sr_share|s_kwcid|mkt_tok|oly_(anon|enc)_id|vero_(id|conv)|_hsenc|_hsmi|hsctatracking|rss|ref_src|ref_url)$/i;

const UNRESERVED = /[A-Za-z0-9\-._~]/;

/**
 * RFC 3986 §6.2.2.1–2: escapes upper-cased, escaped unreserved characters decoded; every other
 * byte, escaped or not, kept exactly as it is (a non-UTF-8 escape such as `%E9` stays itself).
 */
function normalizeEscapes(text: string): string {
  return text.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => {
    const ch = String.fromCharCode(Number.parseInt(hex, 16));
    return UNRESERVED.test(ch) ? ch : `%${hex.toUpperCase()}`;
  });
}

/** A query parameter's name, as far as telling trackers apart needs: ASCII escapes decoded. */
function parameterName(pair: string): string {
  const name = pair.split('=', 1)[0]!.replace(/\+/g, ' ');
  return name.replace(/%([0-7][0-9a-fA-F])/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

/**
 * One spelling per page, never one for two pages: RFC 3986 §6.2.2 normalisation (scheme and host
 * case, IDN as punycode, escape case, unreserved characters decoded, dot segments, default ports),
 * with every other byte of path and query kept; the fragment and tracking parameters dropped, and
 * the query's parameters sorted (their order never selects a different page).
 */
export function canonicalizeUrl(raw: string): string {
  const url = new URL(raw);
  const host = url.hostname.toLowerCase().replace(/\.$/, '');
  const defaultPort = (url.protocol === 'http:' && url.port === '80') || (url.protocol === 'https:' && url.port === '443');
  const port = url.port && !defaultPort ? `:${url.port}` : '';
  const auth = url.username ? `${url.username}${url.password ? `:${url.password}` : ''}@` : '';
  const pairs = url.search
    .slice(1)
    .split('&')
    .filter((pair) => pair !== '' && !TRACKING_PARAM.test(parameterName(pair)))
    .map(normalizeEscapes)
    .sort();
  return `${url.protocol}//${auth}${host}${port}${normalizeEscapes(url.pathname)}${pairs.length > 0 ? `?${pairs.join('&')}` : ''}`;
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
