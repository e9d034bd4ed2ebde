// Article metadata from the sources real pages use, in order of trust: JSON-LD, OpenGraph and
// article:*, Twitter cards, Dublin Core and plain <meta>, itemprop, then what the page shows.
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

function str(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() || null;
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

export function extractMetadata($: Document, pageUrl: string): Metadata {
  const meta = (...keys: string[]): string | null => {
    for (const key of keys) {
      const v = $(`meta[property="${key}"], meta[name="${key}"], meta[itemprop="${key}"]`).first().attr('content');
      if (v && v.trim()) return collapse(v);
    }
    return null;
  };
  const ld = articleNode($);
  const siteName =
    meta('og:site_name', 'application-name') ?? str((ld?.['publisher'] as JsonLdNode | undefined)?.['name']);

  const h1 = collapse($('article h1').first().text() || $('h1').first().text());
  const docTitle = collapse($('title').first().text());
  const title =
    str(ld?.['headline']) ??
    meta('og:title', 'twitter:title', 'dc.title', 'DC.title') ??
    (h1 || null) ??
    (docTitle ? cleanDocumentTitle(docTitle, siteName) : null);

  const authorCandidates = [
    names(ld?.['author']),
    names(ld?.['creator']),
    [meta('author', 'article:author', 'dc.creator', 'DC.creator', 'byl', 'sailthru.author', 'parsely-author')]
      .filter((x): x is string => x !== null && !/^https?:/.test(x)),
    $('[itemprop="author"]').map((_, el) => $(el).find('[itemprop="name"]').text() || $(el).text()).get(),
    $('[rel="author"], [class*="byline"], [class*="author"]')
      .map((_, el) => collapse($(el).text()))
      .get()
      .filter((text) => text.length > 0 && text.length < 100)
      .slice(0, 3),
  ];
  let authors: string[] = [];
  for (const candidates of authorCandidates) {
    authors = cleanAuthors(candidates, siteName);
    if (authors.length > 0) break;
  }

  const timeEl = $('article time[datetime], time[datetime]').first();
  const publishedAt =
    normalizeDate(str(ld?.['datePublished'])) ??
    normalizeDate(meta('article:published_time', 'og:article:published_time', 'datePublished', 'pubdate', 'publish-date',
      'date', 'dc.date', 'DC.date', 'dc.date.issued', 'sailthru.date', 'parsely-pub-date')) ??
    normalizeDate(timeEl.attr('datetime')) ??
    visibleDate($) ??
    dateFromUrl(pageUrl);
  const modifiedAt =
    normalizeDate(str(ld?.['dateModified'])) ?? normalizeDate(meta('article:modified_time', 'og:updated_time', 'dateModified'));

  const rawLang = $('html').attr('lang') ?? meta('og:locale', 'language', 'content-language') ?? str(ld?.['inLanguage']);
  const language = rawLang ? (rawLang.split(/[-_]/)[0]!.toLowerCase() || null) : null;

  return {
    title: title ? collapse(title) : null,
    authors,
    publishedAt,
    modifiedAt,
    description: meta('og:description', 'description', 'twitter:description') ?? str(ld?.['description']),
    language: language && /^[a-z]{2,3}$/.test(language) ? language : null,
    siteName,
    canonicalUrl: resolveUrl($('link[rel="canonical"]').attr('href') ?? meta('og:url'), pageUrl),
    image: resolveUrl(meta('og:image', 'twitter:image') ?? str(ld?.['image']), pageUrl),
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
