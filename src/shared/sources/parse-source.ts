// What a source's document lists: feeds (RSS 2.0, RDF/RSS 1.0, Atom, JSON Feed), XML sitemaps
// (index files, gzip, Google News extensions) and section pages (article links found by URL and
// markup). Parsers, not regexes, for XML and JSON.
// biome-ignore-all lint/suspicious/noExplicitAny: fast-xml-parser's output is untyped JSON, walked by shape
import zlib from 'node:zlib';
import { XMLParser } from 'fast-xml-parser';
import { normalizeDate } from '../extract/dates.js';
import { decodeHtml, readHtml } from '../extract/html.js';
import { MAX_URL_LENGTH } from '../fetch/url-limits.js';

export type SourceKind = 'feed' | 'sitemap' | 'sitemap-index' | 'page';

export interface SourceEntry {
  url: string;
  /** Hints for extraction, when the listing gives them. */
  title?: string;
  publishedAt?: string;
}

export interface SourceDocument {
  kind: SourceKind;
  entries: SourceEntry[];
  /** Sitemap index: the sitemaps it lists. */
  sitemaps: string[];
  /** A page's <link rel=alternate> feeds. */
  feeds: string[];
}

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  textNodeName: '#text',
  processEntities: true,
  isArray: (name) => ['item', 'entry', 'url', 'sitemap', 'link'].includes(name),
});

const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const text = (v: unknown): string | undefined => {
  if (typeof v === 'string') return v.trim() || undefined;
  if (typeof v === 'number') return String(v);
  if (v && typeof v === 'object' && '#text' in v) return text((v as Record<string, unknown>)['#text']);
  return undefined;
};

function absolute(href: string | undefined, base: string): string | null {
  if (!href) return null;
  try {
    const u = new URL(href.trim(), base);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    // A link's credentials are never kept: they would be stored and published with the article.
    u.username = '';
    u.password = '';
    return u.href.length <= MAX_URL_LENGTH ? u.href : null;
  } catch {
    return null;
  }
}

function entry(url: string | null, title?: string, date?: string): SourceEntry | null {
  if (!url) return null;
  // ISO dates keep their offset; RFC 822 dates (RSS pubDate) are read by Date.parse.
  const parsed = date && !/^\d{4}-/.test(date.trim()) ? Date.parse(date) : NaN;
  const publishedAt = date ? (Number.isNaN(parsed) ? normalizeDate(date) : new Date(parsed).toISOString()) : null;
  return { url, ...(title ? { title } : {}), ...(publishedAt ? { publishedAt } : {}) };
}

const present = (e: SourceEntry | null): e is SourceEntry => e !== null;

function parseXml(body: string, base: string): SourceDocument | null {
  let doc: Record<string, any>;
  try {
    doc = xml.parse(body) as Record<string, any>;
  } catch {
    return null;
  }
  const empty = { entries: [], sitemaps: [], feeds: [] };
  if (doc['rss']) {
    const items = asArray(doc['rss']?.channel?.item);
    return {
      ...empty,
      kind: 'feed',
      entries: items
        .map((i: any) => entry(absolute(text(asArray(i.link)[0]) ?? text(i.guid), base), text(i.title), text(i.pubDate) ?? text(i.date)))
        .filter(present),
    };
  }
  if (doc['RDF']) {
    const items = asArray(doc['RDF']?.item);
    return {
      ...empty,
      kind: 'feed',
      entries: items
        .map((i: any) => entry(absolute(text(asArray(i.link)[0]) ?? i['@about'], base), text(i.title), text(i.date)))
        .filter(present),
    };
  }
  if (doc['feed']) {
    const items = asArray(doc['feed']?.entry);
    return {
      ...empty,
      kind: 'feed',
      entries: items
        .map((e: any) => {
          const links = asArray(e.link) as Array<Record<string, string>>;
          const link = links.find((l) => !l['@rel'] || l['@rel'] === 'alternate') ?? links[0];
          return entry(absolute(link?.['@href'], base), text(e.title), text(e.published) ?? text(e.updated));
        })
        .filter(present),
    };
  }
  if (doc['urlset']) {
    const urls = asArray(doc['urlset']?.url);
    return {
      ...empty,
      kind: 'sitemap',
      entries: urls
        .map((u: any) => entry(absolute(text(u.loc), base), text(u.news?.title), text(u.news?.publication_date) ?? text(u.lastmod)))
        .filter(present),
    };
  }
  if (doc['sitemapindex']) {
    const maps = asArray(doc['sitemapindex']?.sitemap);
    return {
      ...empty,
      kind: 'sitemap-index',
      sitemaps: maps.map((m: any) => absolute(text(m.loc), base)).filter((u): u is string => u !== null),
    };
  }
  return null;
}

function parseJsonFeed(body: string, base: string): SourceDocument | null {
  let feed: { version?: unknown; items?: unknown };
  try {
    feed = JSON.parse(body) as { version?: unknown; items?: unknown };
  } catch {
    return null;
  }
  if (typeof feed.version !== 'string' || !feed.version.includes('jsonfeed.org') || !Array.isArray(feed.items)) return null;
  const entries = (feed.items as Array<Record<string, unknown>>)
    .map((i) => entry(absolute(text(i['url']) ?? text(i['external_url']), base), text(i['title']), text(i['date_published'])))
    .filter(present);
  return { kind: 'feed', entries, sitemaps: [], feeds: [] };
}

/** Paths that list things rather than tell a story. */
const NOT_ARTICLE =
  /\/(tag|tags|category|categories|topic|topics|author|authors|page|search|login|signin|subscribe|account|about|contact|privacy|terms|feed|rss)(\/|$)/i;

/** Links that look like stories: same site, and a slug of several words or a date in the path. */
function articleLinks(html: string, base: string): { entries: SourceEntry[]; feeds: string[] } {
  return readHtml(html, ($) => {
    const host = new URL(base).host;
    const feeds = $('link[rel~="alternate"]')
      .filter((_, el) => /(rss|atom|feed)\+(xml|json)|application\/json/i.test($(el).attr('type') ?? ''))
      .map((_, el) => absolute($(el).attr('href'), base))
      .get()
      .filter((u): u is string => u !== null);
    const seen = new Set<string>();
    const entries: SourceEntry[] = [];
    $('a[href]').each((_, el) => {
      const url = absolute($(el).attr('href'), base);
      if (!url) return;
      const u = new URL(url);
      u.hash = '';
      if (u.host !== host || NOT_ARTICLE.test(u.pathname) || seen.has(u.href)) return;
      const segments = u.pathname.split('/').filter(Boolean);
      const slug = segments.at(-1) ?? '';
      const story = /(19|20)\d{2}[/-]\d{1,2}/.test(u.pathname) || slug.split(/[-_]/).filter((w) => /[a-z]/i.test(w)).length >= 3;
      if (!story || segments.length === 0) return;
      seen.add(u.href);
      const title = $(el).text().replace(/\s+/g, ' ').trim();
      entries.push({ url: u.href, ...(title.length >= 10 ? { title } : {}) });
    });
    return { entries, feeds };
  });
}

/** Read a source document (gzip, XML, JSON Feed or HTML) fetched from `url`. */
export function parseSourceDocument(bytes: Buffer, contentType: string, url: string): SourceDocument {
  const raw = bytes[0] === 0x1f && bytes[1] === 0x8b ? zlib.gunzipSync(bytes, { maxOutputLength: 50 * 1024 * 1024 }) : bytes;
  const body = decodeHtml(raw, contentType).replace(/^\uFEFF/, '');
  const head = body.trimStart().slice(0, 200);
  if (/json/i.test(contentType) || head.startsWith('{')) {
    const feed = parseJsonFeed(body, url);
    if (feed) return feed;
  }
  if (/xml/i.test(contentType) || head.startsWith('<?xml') || /^<(rss|feed|urlset|sitemapindex|rdf:RDF)\b/.test(head)) {
    const doc = parseXml(body, url);
    if (doc) return doc;
  }
  const { entries, feeds } = articleLinks(body, url);
  return { kind: 'page', entries, sitemaps: [], feeds };
}
