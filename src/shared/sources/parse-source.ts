// What a source's document lists: feeds (RSS 2.0, RDF/RSS 1.0, Atom, JSON Feed; feed.ts), sitemaps
// (XML URL sets and indexes, gzip, Google News extensions, text sitemaps; sitemap.ts) and section
// pages (article links found by URL and markup). Bytes are decoded by the XML or the HTML rules.
import zlib from 'node:zlib';
import { readHtml } from '../extract/html.js';
import { MAX_URL_LENGTH } from '../fetch/url-limits.js';
import { decodeHtml, decodeXml } from '../text/decode.js';
import { feedEntries, jsonFeedEntries } from './feed.js';
import { sitemapContent, textSitemapEntries } from './sitemap.js';
import { parseXmlTree } from './xml-tree.js';

export type SourceKind = 'feed' | 'sitemap' | 'sitemap-index' | 'page';

export interface SourceEntry {
  url: string;
  /** Hints for extraction, when the listing gives them. */
  title?: string;
  publishedAt?: string;
  author?: string;
  image?: string;
}

export interface SourceDocument {
  kind: SourceKind;
  entries: SourceEntry[];
  /** Sitemap index: the sitemaps it lists. */
  sitemaps: string[];
  /** A page's <link rel=alternate> feeds. */
  feeds: string[];
  /** False when the document was cut off or broken part way: what came before the damage is here. */
  complete: boolean;
}

/** Largest decompressed document read (a sitemap may hold 50,000 URLs in up to 50 MB). */
const MAX_DOCUMENT_BYTES = 50 * 1024 * 1024;

/** A listed URL, resolved: http(s) only, credentials dropped, at most MAX_URL_LENGTH characters. */
export function absolute(href: string | undefined, base: string): string | null {
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

const looksXml = (contentType: string, head: string) =>
  /xml/i.test(contentType) || head.startsWith('<?xml') || /^<(rss|feed|urlset|sitemapindex|rdf:rdf)\b/i.test(head);

/** Read a source document (gzip, XML, JSON Feed, text sitemap or HTML) fetched from `url`. */
export function parseSourceDocument(bytes: Buffer, contentType: string, url: string): SourceDocument {
  const raw = bytes[0] === 0x1f && bytes[1] === 0x8b ? zlib.gunzipSync(bytes, { maxOutputLength: MAX_DOCUMENT_BYTES }) : bytes;
  const head = raw
    .subarray(0, 512)
    .toString('latin1')
    .replace(/^\uFEFF|^\xEF\xBB\xBF/, '')
    .trimStart();
  const none = { entries: [], sitemaps: [], feeds: [], complete: true };
  if (/json/i.test(contentType) || head.startsWith('{')) {
    const entries = jsonFeedEntries(decodeXml(raw, contentType), url, absolute);
    if (entries) return { ...none, kind: 'feed', entries };
  }
  if (looksXml(contentType, head)) {
    const tree = parseXmlTree(decodeXml(raw, contentType));
    if (tree.root) {
      const entries = feedEntries(tree.root, url, absolute);
      if (entries) return { ...none, kind: 'feed', entries, complete: tree.complete };
      const sitemap = sitemapContent(tree.root, url, absolute);
      if (sitemap) return { ...none, ...sitemap, complete: tree.complete };
    }
  }
  const path = new URL(url).pathname;
  if (/^text\/plain\b/i.test(contentType) || /\.txt(\.gz)?$/i.test(path)) {
    return { ...none, kind: 'sitemap', entries: textSitemapEntries(decodeXml(raw, contentType), absolute) };
  }
  const { entries, feeds } = articleLinks(decodeHtml(raw, contentType), url);
  return { ...none, kind: 'page', entries, feeds };
}
