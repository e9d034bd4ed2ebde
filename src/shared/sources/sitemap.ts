// Sitemaps as sites serve them (sitemaps.org 0.9, with Google News extensions): URL sets, indexes
// of sitemaps, and plain-text lists of URLs. Entries are read from each element that was closed,
// so a sitemap cut off part way still yields everything before the damage.
import { feedDate } from './feed-dates.js';
import type { ResolveUrl } from './feed.js';
import type { SourceEntry } from './parse-source.js';
import { NS, child, children, type XmlElement } from './xml-tree.js';

/** URLs one sitemap may list (sitemaps.org); a text sitemap's further lines are ignored. */
export const SITEMAP_MAX_URLS = 50_000;

const trimmed = (s: string | undefined) => s?.trim() || undefined;

/** An entry's URL: its <loc>, or (leniently, as crawler-commons reads them) the entry's own text when it has none. */
const locOf = (el: XmlElement, core: string) => trimmed(child(el, core, 'loc')?.text) ?? trimmed(el.text);

export interface SitemapContent {
  kind: 'sitemap' | 'sitemap-index';
  entries: SourceEntry[];
  sitemaps: string[];
}

/** A URL set's entries or an index's sitemaps; null when the root is neither. */
export function sitemapContent(root: XmlElement, base: string, resolve: ResolveUrl): SitemapContent | null {
  const core = root.ns;
  if (root.local === 'urlset') {
    const entries: SourceEntry[] = [];
    for (const u of children(root, core, 'url')) {
      if (!u.closed) continue;
      const url = resolve(locOf(u, core), base);
      if (!url) continue;
      const news = child(u, NS.sitemapNews, 'news');
      const title = trimmed(news && child(news, NS.sitemapNews, 'title')?.text);
      const publishedAt =
        feedDate(news && child(news, NS.sitemapNews, 'publication_date')?.text) ?? feedDate(child(u, core, 'lastmod')?.text);
      entries.push({ url, ...(title ? { title } : {}), ...(publishedAt ? { publishedAt } : {}) });
      if (entries.length >= SITEMAP_MAX_URLS) break;
    }
    return { kind: 'sitemap', entries, sitemaps: [] };
  }
  if (root.local === 'sitemapindex') {
    const sitemaps = children(root, core, 'sitemap')
      .filter((s) => s.closed)
      .map((s) => resolve(locOf(s, core), base))
      .filter((u): u is string => u !== null);
    return { kind: 'sitemap-index', entries: [], sitemaps };
  }
  return null;
}

/** A text sitemap: one URL a line (blank lines and anything not an absolute http(s) URL skipped). */
export function textSitemapEntries(body: string, resolve: ResolveUrl): SourceEntry[] {
  const entries: SourceEntry[] = [];
  for (const line of body.split(/\r?\n/)) {
    const text = line.trim();
    if (!/^https?:\/\//i.test(text)) continue;
    const url = resolve(text, text);
    if (url) entries.push({ url });
    if (entries.length >= SITEMAP_MAX_URLS) break;
  }
  return entries;
}
