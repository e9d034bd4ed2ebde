// What kind of source a URL is. A feed or sitemap is taken as given; a page that announces a
// feed (<link rel=alternate>) is replaced by that feed, and a site's home page without one by
// the sitemap its robots.txt lists (news sitemaps first); otherwise the page itself is crawled.
import type { FetchOutcome, FetchPageOptions } from '../fetch/fetch-page.js';
import { robotsSitemaps } from '../fetch/robots.js';
import { parseSourceDocument, type SourceDocument, type SourceKind } from './parse-source.js';

export interface DetectedSource {
  url: string;
  kind: SourceKind;
  /** How the URL was arrived at, for the operator. */
  via: 'given' | 'link-alternate' | 'robots-sitemap';
}

type Fetch = (url: string, options: FetchPageOptions) => Promise<FetchOutcome>;

async function read(fetch: Fetch, url: string): Promise<SourceDocument> {
  const r = await fetch(url, { anyType: true });
  if (r.kind !== 'fetched') throw new Error(`cannot read ${url}: ${r.kind === 'skipped' ? r.detail : 'not modified'}`);
  return parseSourceDocument(r.body, r.contentType, r.finalUrl);
}

/** Try candidates in order; the first that reads as one of `kinds` wins. Unreadable ones are passed over. */
async function firstOf(fetch: Fetch, urls: string[], kinds: SourceKind[]): Promise<{ url: string; kind: SourceKind } | null> {
  for (const url of urls.slice(0, 5)) {
    const doc = await read(fetch, url).catch(() => null);
    if (doc && kinds.includes(doc.kind)) return { url, kind: doc.kind };
  }
  return null;
}

/** Fetch `url` (and, for a page, its announced feeds or its site's robots.txt) and say what to crawl. */
export async function detectSource(fetch: Fetch, url: string, options: { discover?: boolean } = {}): Promise<DetectedSource> {
  const doc = await read(fetch, url);
  if (doc.kind !== 'page' || options.discover === false) return { url, kind: doc.kind, via: 'given' };
  const feed = await firstOf(fetch, doc.feeds, ['feed']);
  if (feed) return { ...feed, via: 'link-alternate' };
  const page = new URL(url);
  if (page.pathname === '/' && !page.search) {
    const robots = await fetch(`${page.origin}/robots.txt`, { anyType: true }).catch(() => null);
    if (robots?.kind === 'fetched') {
      const listed = robotsSitemaps(page.origin, robots.body.toString('utf8'));
      const newsFirst = [...listed.filter((u) => /news/i.test(u)), ...listed.filter((u) => !/news/i.test(u))];
      const sitemap = await firstOf(fetch, newsFirst, ['sitemap', 'sitemap-index']);
      if (sitemap) return { ...sitemap, via: 'robots-sitemap' };
    }
  }
  return { url, kind: 'page', via: 'given' };
}
