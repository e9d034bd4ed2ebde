// One spelling per URL, so copies of a link with tracking parameters or a different host case
// are recognised as the same page.

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

/**
 * The URL a record is keyed on: the page's own rel=canonical/og:url when it declares a valid
 * http(s) one, otherwise where the fetch landed.
 */
export function recordUrl(finalUrl: string, declaredCanonical: string | null): string {
  if (declaredCanonical) {
    try {
      const url = new URL(declaredCanonical);
      if (url.protocol === 'http:' || url.protocol === 'https:') return canonicalizeUrl(url.href);
    } catch {
      // An unparsable canonical is ignored; the fetched URL stands.
    }
  }
  return canonicalizeUrl(finalUrl);
}
