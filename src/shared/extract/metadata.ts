// Article metadata from the sources real pages use, in order of trust: JSON-LD, OpenGraph and
// article:*, Twitter cards, Dublin Core and plain <meta>, itemprop, then what the page shows.
import { decodeHTML } from 'entities';
import type { Document } from './html.js';
import { dateFromUrl, normalizeDate, parseWrittenDate } from './dates.js';
import { cleanAuthors } from './authors.js';

export interface Metadata {
  title: string | null;
  authors: string[];
  publishedAt: string | null;
  modifiedAt: string | null;
  description: string | null;
  language: string | null;
  siteName: string | null;
  canonicalUrl: string | null;
  image: string | null;
  section: string | null;
  tags: string[];
  isAccessibleForFree: boolean | null;
}

type JsonLdNode = Record<string, unknown>;

const ARTICLE_TYPES = /^(NewsArticle|Article|ReportageNews|BlogPosting|AnalysisNewsArticle|OpinionNewsArticle|ReviewNewsArticle|BackgroundNewsArticle|LiveBlogPosting|TechArticle|Report|WebPage)$/;

function flattenJsonLd(value: unknown, out: JsonLdNode[] = []): JsonLdNode[] {
  if (Array.isArray(value)) {
    for (const v of value) flattenJsonLd(v, out);
  } else if (value && typeof value === 'object') {
    const node = value as JsonLdNode;
    out.push(node);
    if (node['@graph']) flattenJsonLd(node['@graph'], out);
  }
  return out;
}

function types(node: JsonLdNode): string[] {
  const t = node['@type'];
  return (Array.isArray(t) ? t : [t]).filter((x): x is string => typeof x === 'string');
}

/** The most article-like JSON-LD node: a news/article type beats a plain WebPage. */
function articleNode($: Document): JsonLdNode | null {
  const nodes: JsonLdNode[] = [];
  $('script[type="application/ld+json"]').each((_, el) => {
    try {
      flattenJsonLd(JSON.parse($(el).text()), nodes);
    } catch {
      // Malformed JSON-LD is common; the other sources still apply.
    }
  });
  const rank = (n: JsonLdNode) => {
    const ts = types(n).filter((t) => ARTICLE_TYPES.test(t));
    if (ts.length === 0) return 0;
    return ts.includes('WebPage') && ts.length === 1 ? 1 : 2;
  };
  let best: JsonLdNode | null = null;
  for (const n of nodes) if (rank(n) > (best ? rank(best) : 0)) best = n;
  return best;
}

/** Metadata values are often HTML-escaped twice ("&amp;#8217;"); decode what is left. */
function unescape(value: string): string {
  return value.includes('&') ? decodeHTML(decodeHTML(value)) : value;
}

function str(value: unknown): string | null {
  if (typeof value === 'string') return unescape(value).trim() || null;
  if (Array.isArray(value)) return str(value[0]);
  if (value && typeof value === 'object') {
    const v = value as JsonLdNode;
    return str(v['url'] ?? v['name'] ?? v['@value']);
  }
  return null;
}

function names(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(names);
  if (value && typeof value === 'object') {
    const name = (value as JsonLdNode)['name'];
    return typeof name === 'string' ? [name] : [];
  }
  return [];
}

function resolveUrl(value: string | null, base: string): string | null {
  if (!value) return null;
  try {
    const u = new URL(value, base);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();

/** Strip a " | Site" or " - Site" tail from a <title>. */
function cleanDocumentTitle(title: string, siteName: string | null): string {
  const parts = title.split(/\s+[|–—·•]\s+|\s+-\s+/);
  if (parts.length < 2) return title;
  if (siteName) {
    const kept = parts.filter((p) => p.toLowerCase() !== siteName.toLowerCase());
    if (kept.length < parts.length) return kept.join(' - ');
  }
  return parts.reduce((a, b) => (b.length > a.length ? b : a));
}

/** Every <meta> content by lower-cased property/name/itemprop, first one winning: one pass. */
function metaIndex($: Document): Map<string, string> {
  const index = new Map<string, string>();
  $('meta').each((_, el) => {
    const a = (el as { attribs: Record<string, string> }).attribs;
    const content = a['content'];
    if (!content || !content.trim()) return;
    for (const key of [a['property'], a['name'], a['itemprop']]) {
      if (key && !index.has(key.toLowerCase())) index.set(key.toLowerCase(), collapse(unescape(content)));
    }
  });
  return index;
}

/** The first source that yields a value; later (costlier) sources are not evaluated. */
function first<T>(...sources: Array<() => T | null | undefined>): T | null {
  for (const source of sources) {
    const value = source();
    if (value !== null && value !== undefined && !(Array.isArray(value) && value.length === 0)) return value;
  }
  return null;
}

export function extractMetadata($: Document, pageUrl: string): Metadata {
  const metas = metaIndex($);
  const meta = (...keys: string[]): string | null => {
    for (const key of keys) {
      const v = metas.get(key.toLowerCase());
      if (v) return v;
    }
    return null;
  };
  const ld = articleNode($);
  const siteName =
    meta('og:site_name', 'application-name') ?? str((ld?.['publisher'] as JsonLdNode | undefined)?.['name']);

  const title = first(
    () => str(ld?.['headline']),
    () => meta('og:title', 'twitter:title', 'dc.title'),
    () => collapse($('article h1').first().text() || $('h1').first().text()) || null,
    () => {
      const docTitle = collapse($('title').first().text());
      return docTitle ? cleanDocumentTitle(docTitle, siteName) : null;
    },
  );

  const authors =
    first(
      () => cleanAuthors(names(ld?.['author']), siteName),
      () => cleanAuthors(names(ld?.['creator']), siteName),
      () =>
        cleanAuthors(
          [meta('author', 'article:author', 'dc.creator', 'byl', 'sailthru.author', 'parsely-author')].filter(
            (x): x is string => x !== null && !/^https?:/.test(x),
          ),
          siteName,
        ),
      () => cleanAuthors($('[itemprop="author"]').map((_, el) => $(el).find('[itemprop="name"]').text() || $(el).text()).get(), siteName),
      () =>
        cleanAuthors(
          $('[rel="author"], [class*="byline"], [class*="author"]')
            .map((_, el) => collapse($(el).text()))
            .get()
            .filter((text) => text.length > 0 && text.length < 100)
            .slice(0, 3),
          siteName,
        ),
    ) ?? [];

  const publishedAt = first(
    () => normalizeDate(str(ld?.['datePublished'])),
    () =>
      normalizeDate(
        meta('article:published_time', 'og:article:published_time', 'datePublished', 'pubdate', 'publish-date',
          'date', 'dc.date', 'dc.date.issued', 'sailthru.date', 'parsely-pub-date'),
      ),
    () => normalizeDate($('article time[datetime], time[datetime]').first().attr('datetime')),
    () => visibleDate($),
    () => dateFromUrl(pageUrl),
  );
  const modifiedAt =
    normalizeDate(str(ld?.['dateModified'])) ?? normalizeDate(meta('article:modified_time', 'og:updated_time', 'dateModified'));

  const rawLang = $('html').attr('lang') ?? meta('og:locale', 'language', 'content-language') ?? str(ld?.['inLanguage']);
  const language = rawLang ? (rawLang.split(/[-_]/)[0]!.toLowerCase() || null) : null;

  return {
    title: title ? stripSiteName(collapse(title), siteName) : null,
    authors,
    publishedAt,
    modifiedAt,
    description: meta('og:description', 'description', 'twitter:description') ?? str(ld?.['description']),
    language: language && /^[a-z]{2,3}$/.test(language) ? language : null,
    siteName,
    canonicalUrl: resolveUrl($('link[rel="canonical"]').attr('href') ?? meta('og:url'), pageUrl),
    image: resolveUrl(meta('og:image', 'twitter:image') ?? str(ld?.['image']), pageUrl),
    section: meta('article:section', 'section', 'parsely-section') ?? str(ld?.['articleSection']),
    tags: keywords($, ld),
    isAccessibleForFree: accessibleForFree(ld),
  };
}

/** A date line near the headline: "Thursday, 20 June 2024". */
function visibleDate($: Document): string | null {
  const candidates = $('.date, .dateline, [class*="date"], [class*="time"], header p, h1 ~ p, h1 ~ div').slice(0, 12);
  for (const el of candidates.toArray()) {
    const text = collapse($(el).text());
    if (text.length > 0 && text.length < 80) {
      const date = parseWrittenDate(text);
      if (date) return date;
    }
  }
  return null;
}

function keywords($: Document, ld: JsonLdNode | null): string[] {
  const raw: string[] = [];
  $('meta[property="article:tag"]').each((_, el) => void raw.push($(el).attr('content') ?? ''));
  const ldKeywords = ld?.['keywords'];
  if (Array.isArray(ldKeywords)) raw.push(...ldKeywords.filter((k): k is string => typeof k === 'string'));
  else if (typeof ldKeywords === 'string') raw.push(...ldKeywords.split(','));
  const metaKeywords = $('meta[name="keywords"], meta[name="news_keywords"]').first().attr('content');
  if (raw.length === 0 && metaKeywords) raw.push(...metaKeywords.split(','));
  const seen = new Set<string>();
  return raw
    .map((k) => collapse(k))
    .filter((k) => k.length > 0 && k.length <= 80 && !seen.has(k.toLowerCase()) && seen.add(k.toLowerCase()));
}

function accessibleForFree(ld: JsonLdNode | null): boolean | null {
  const value = ld?.['isAccessibleForFree'];
  if (value === undefined || value === null) return null;
  return !(value === false || String(value).toLowerCase() === 'false');
}

const squash = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

/** "Headline | Site News" → "Headline", when the tail names the site. */
function stripSiteName(title: string, siteName: string | null): string {
  const m = /^(.{10,}?)\s*(?:\||–|—|-|·|•|::)\s*([^|–—·•]{2,60})$/u.exec(title);
  if (!m) return title;
  const tail = squash(m[2]!);
  const site = siteName ? squash(siteName) : '';
  if (tail && site && (tail === site || tail.startsWith(site) || site.startsWith(tail) || tail.includes(site))) return m[1]!.trim();
  return title;
}
