// Article metadata from the sources real pages use, in order of trust: JSON-LD, OpenGraph and
// article:*, Twitter cards, Dublin Core and plain <meta>, itemprop, then what the page shows.
import type { AnyNode, Element } from 'domhandler';
import type { Article } from './article.js';
import type { Document } from './html.js';
import { collapse, descendants, textOf, textWithin, unescapeValue, type PageIndex } from './page-index.js';
import { dateFromUrl, normalizeDate, parseWrittenDate } from './dates.js';
import { cleanAuthors, squash } from './authors.js';
import { countWords } from './body.js';

/** Everything extraction reads from a page except its text. */
export type Metadata = Omit<Article, 'body' | 'wordCount'>;

type JsonLdNode = Record<string, unknown>;

const ARTICLE_TYPES = /^(\w*NewsArticle|Article|BlogPosting|LiveBlogPosting|TechArticle|ScholarlyArticle|SatiricalArticle|Report|WebPage)$/;

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

/** Each page's article node, parsed once for the metadata and the declared body both. */
const articleNodes = new WeakMap<PageIndex, JsonLdNode | null>();

/** The most article-like JSON-LD node: a news/article type beats a plain WebPage. */
function articleNode(page: PageIndex): JsonLdNode | null {
  if (!articleNodes.has(page)) articleNodes.set(page, findArticleNode(page));
  return articleNodes.get(page) ?? null;
}

function findArticleNode(page: PageIndex): JsonLdNode | null {
  const nodes: JsonLdNode[] = [];
  for (const text of page.jsonLd) {
    try {
      flattenJsonLd(JSON.parse(text), nodes);
    } catch {
      // Malformed JSON-LD is common; the other sources still apply.
    }
  }
  const rank = (n: JsonLdNode) => {
    const ts = types(n).filter((t) => ARTICLE_TYPES.test(t));
    if (ts.length === 0) return 0;
    // Between article nodes (pages often carry two), the fuller one: author, date, headline.
    const fields = ['author', 'datePublished', 'headline'].filter((f) => n[f] !== undefined).length / 10;
    return (ts.includes('WebPage') && ts.length === 1 ? 1 : 2) + fields;
  };
  let best: JsonLdNode | null = null;
  for (const n of nodes) if (rank(n) > (best ? rank(best) : 0)) best = n;
  return best;
}

function str(value: unknown): string | null {
  if (typeof value === 'string') return unescapeValue(value).trim() || null;
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

/** What `[itemprop="name"]` matches inside an author element. */
const isNameProp = (el: Element) => el.attribs['itemprop'] === 'name';

/**
 * Byline elements of this article: not those of teaser cards (another <article> than the one
 * holding the headline), nor of comments and their forms.
 */
function bylineNodes(candidates: Element[], page: PageIndex): Element[] {
  let main: AnyNode | null = page.h1;
  while (main && !(main.type === 'tag' && (main as Element).name === 'article')) main = main.parent;
  // Whether a byline may sit under `start`, as its nearest deciding ancestor says (a form or a
  // comment thread: no; an <article>: only the headline's). Remembered for every node on the way
  // up, since candidates nest: a page of nested bylines is then walked once, not once a candidate.
  const verdicts = new Map<AnyNode, boolean>();
  const allowedUnder = (start: AnyNode | null): boolean => {
    const path: AnyNode[] = [];
    let verdict = true;
    for (let n = start; n; n = n.parent) {
      const known = verdicts.get(n);
      if (known !== undefined) {
        verdict = known;
        break;
      }
      path.push(n);
      if (n.type !== 'tag') continue;
      const parent = n as Element;
      if (parent.name === 'form' || /comment/i.test(`${parent.attribs['class'] ?? ''} ${parent.attribs['id'] ?? ''}`)) {
        verdict = false;
        break;
      }
      if (parent.name === 'article') {
        verdict = main === null || n === main;
        break;
      }
    }
    for (const n of path) verdicts.set(n, verdict);
    return verdict;
  };
  return candidates.filter((el) => !/comment/i.test(el.attribs['class'] ?? '') && allowedUnder(el.parent));
}

/**
 * A byline box holds a name or two, a label, perhaps an icon: one over a subtree this large is
 * not one, however little text it has (and 500 nested boxes must not walk 500 deep subtrees).
 */
const BYLINE_BOX_NODES = 1_000;

/** The collapsed text of a subtree of at most `maxNodes` nodes; empty for a larger one. */
const shortText = (node: AnyNode, maxNodes: number) => collapse(textWithin(node, maxNodes) ?? '');

/**
 * Nested byline boxes yield a name twice, once with labels and buttons around it ("Author of
 * this article Jane Doe Follow"): drop a heading that only labels the box it starts, then keep
 * the innermost texts.
 */
function innermost(nodes: Element[]): string[] {
  const boxes = nodes.map((el) => ({ el, text: shortText(el, BYLINE_BOX_NODES) })).filter((b) => b.text.length > 0 && b.text.length < 100);
  const labels = (b: { el: Element; text: string }) =>
    /^h[1-6]$/.test(b.el.name) && boxes.some((o) => o.text.length > b.text.length && o.text.startsWith(b.text));
  const kept = boxes.filter((b) => !labels(b)).map((b) => b.text);
  return kept.filter((t) => !kept.some((o) => o.length < t.length && t.includes(o)));
}

/** `names` when it holds every one of `some`, and more. */
function supersetOf(names: string[], some: string[]): string[] | null {
  const have = new Set(names.map((n) => n.toLowerCase()));
  return names.length > some.length && some.every((n) => have.has(n.toLowerCase())) ? names : null;
}

function declaredAuthors(raw: string[]): string[] {
  const out = raw.map((n) => collapse(n)).filter((n) => n.length >= 2 && n.length <= 60 && !/^https?:/.test(n) && /\p{L}/u.test(n));
  return [...new Set(out)];
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

/** The first source that yields a value; later (costlier) sources are not evaluated. */
function first<T>(...sources: Array<() => T | null | undefined>): T | null {
  for (const source of sources) {
    const value = source();
    if (value !== null && value !== undefined && !(Array.isArray(value) && value.length === 0)) return value;
  }
  return null;
}

export function extractMetadata($: Document, pageUrl: string, page: PageIndex): Metadata {
  const metas = page.metas;
  const meta = (...keys: string[]): string | null => {
    for (const key of keys) {
      const v = metas.get(key.toLowerCase());
      if (v) return v;
    }
    return null;
  };
  const ld = articleNode(page);
  const siteName = meta('og:site_name', 'application-name') ?? str((ld?.['publisher'] as JsonLdNode | undefined)?.['name']);

  const title = first(
    () => str(ld?.['headline']),
    () => meta('og:title', 'twitter:title', 'dc.title'),
    () => (page.h1 ? collapse(textOf(page.h1)) || null : null),
    () => (page.title ? cleanDocumentTitle(page.title, siteName) : null),
  );

  const declared = first(
    () => cleanAuthors(names(ld?.['author']), siteName),
    () => cleanAuthors(names(ld?.['creator']), siteName),
    () =>
      cleanAuthors(
        page.metaAuthors.filter((x) => !/^https?:/.test(x)),
        siteName,
      ),
  );
  // Byline boxes of the story, looked up once for the two sources below that read them.
  let boxes: Element[] | undefined;
  const bylineBoxes = () => (boxes ??= bylineNodes(page.bylineBoxes, page));
  const authors =
    first(
      // Metadata naming one of the names the story's byline shows: the byline, all of them.
      () =>
        declared?.length === 1
          ? supersetOf(
              cleanAuthors(innermost(bylineBoxes().filter((el) => (el.attribs['class'] ?? '').includes('byline'))).slice(0, 3), siteName),
              declared,
            )
          : null,
      () => declared,
      () =>
        cleanAuthors(
          bylineNodes(page.authorProps, page).map((el) => descendants(el, isNameProp).map(textOf).join('') || textOf(el)),
          siteName,
        ),
      () => cleanAuthors(innermost(bylineBoxes()).slice(0, 3), siteName),
      () => cleanAuthors(visibleByline(page), siteName),
      () => cleanAuthors(labelledAuthors($, page), siteName),
      () => cleanAuthors(signedBy($, page), siteName),
      // No person named anywhere: the author the page declares, even when it is the publication
      // itself ("BBC News", "DER SPIEGEL") — what the page says is better than nothing.
      () => declaredAuthors(names(ld?.['author'])),
      () => declaredAuthors(page.metaAuthors.filter((x) => !/^https?:/.test(x)).slice(0, 1)),
    ) ?? [];

  const publishedAt = first(
    () => normalizeDate(str(ld?.['datePublished'])),
    () =>
      normalizeDate(
        meta(
          'article:published_time',
          'og:article:published_time',
          'datePublished',
          'pubdate',
          'publish-date',
          'date',
          'dc.date',
          'dc.date.issued',
          'sailthru.date',
          'parsely-pub-date',
        ),
      ),
    () => normalizeDate(page.timeDatetime),
    () => visibleDate(page, $.root()[0] as unknown as AnyNode),
    () => dateFromUrl(pageUrl),
  );
  const modifiedAt =
    normalizeDate(str(ld?.['dateModified'])) ?? normalizeDate(meta('article:modified_time', 'og:updated_time', 'dateModified'));

  const rawLang = page.htmlLang ?? meta('og:locale', 'language', 'content-language') ?? str(ld?.['inLanguage']);
  const language = rawLang ? rawLang.split(/[-_]/)[0]!.toLowerCase() || null : null;

  return {
    title: title ? withoutSuffix(stripSiteName(collapse(title), siteName), page.h1 ? collapse(textOf(page.h1)) : null) : null,
    authors,
    publishedAt,
    modifiedAt,
    description: meta('og:description', 'description', 'twitter:description') ?? str(ld?.['description']),
    language: language && /^[a-z]{2,3}$/.test(language) ? language : null,
    siteName,
    canonicalUrl: resolveUrl(page.canonicalHref ?? meta('og:url'), pageUrl),
    image: resolveUrl(meta('og:image', 'twitter:image') ?? str(ld?.['image']), pageUrl),
    section: meta('article:section', 'section', 'parsely-section') ?? str(ld?.['articleSection']),
    tags: keywords(page, ld),
    isAccessibleForFree: accessibleForFree(ld),
  };
}

/** The story's text as the page's JSON-LD declares it (`articleBody`), when it is plain text. */
export function declaredArticleBody(page: PageIndex): string | null {
  const text = str(articleNode(page)?.['articleBody']);
  return text && !/<\/?[a-z][^>]*>/i.test(text) ? text : null;
}

/**
 * "By Jane Doe, in News, Business · 31 Jan 2025": a by-line among the few elements after the
 * headline. The name ends at a comma before "in", a separator, a number, or a date glued to it
 * by adjacent elements ("Jane DoeNovember 24").
 */
const BY_LINE =
  /^(?:[Bb]y|BY|[Vv]on|[Pp]ar|[Pp]or|[Dd]i|[Dd]oor|[Aa]v|[Aa]f)\s+(.{2,80}?)(?:,\s*(?:in|im|en|dans|na)\s|\s+(?:in|on|am|le|el)\s+\p{N}|\s*[|·•]|\s+\p{N}|(?<=\p{Ll})(?=\p{Lu}\p{Ll}+\.?\s+\p{N})|$)/u;

function visibleByline(page: PageIndex): string[] {
  for (const el of afterHeadline(page)) {
    const m = BY_LINE.exec(collapse(textOf(el).slice(0, 300)));
    if (m) return [m[1]!.replace(/,\s*$/, '')];
  }
  return [];
}

/** The few elements after the <h1>, where pages put date lines and by-lines. */
function afterHeadline(page: PageIndex): Element[] {
  const out: Element[] = [];
  for (let n = page.h1?.next ?? null; n && out.length < 8; n = n.next) if (n.type === 'tag') out.push(n as Element);
  return out;
}

/** A label naming the author field of an info box: "Autorin/Autor", "Author:", "Written by". */
const AUTHOR_LABEL =
  /^(?:authors?|autor(?:in)?(?:\/autor(?:in)?)?|autor\*?in|auteur(?:e|s)?|autore|autora|written by|text|texto|tekst|forfatter)\s*:?$/iu;

/** A label of a few words has a handful of nodes; one of more is not a label. */
const LABEL_NODES = 50;

/** "<strong>Autorin/Autor</strong> Jane Doe", "<dt>Author</dt><dd>Jane Doe</dd>": the names after the label. */
function labelledAuthors($: Document, page: PageIndex): string[] {
  const out: string[] = [];
  // Bounded like the date search: a page of 100,000 spans costs no more than one of 5,000.
  for (const el of page.labels) {
    if (el.children.length > 3) continue;
    const label = shortText(el, LABEL_NODES);
    if (label.length > 24 || !AUTHOR_LABEL.test(label)) continue;
    const holder = el.name === 'dt' || el.name === 'th' ? $(el).next()[0] : el.parent;
    if (!holder) continue;
    const text = shortText(holder as AnyNode, BYLINE_BOX_NODES);
    const named = holder === el.parent ? text.slice(text.indexOf(label) + label.length) : text;
    if (named.trim() && named.length < 120) out.push(named.replace(/^\s*:\s*/, ''));
    if (out.length >= 2) break;
  }
  return out;
}

/** A name as a signature shows it: one to four capitalised words ("Jane Doe", "IN-Redaktion"). */
const SIGNATURE = /^\p{Lu}[\p{L}'’.-]*(?:\s+\p{Lu}[\p{L}'’.-]*){0,3}$/u;

const isProseParagraph = (el: Element | undefined) => el?.name === 'p' && countWords(textOf(el)) >= 20;

/**
 * A story signed in its own paragraph — "<p><strong>Jane Doe</strong></p>" just before the first
 * paragraph of prose, or "<p><em>Jane Doe</em></p>" right after the last.
 */
function signedBy($: Document, page: PageIndex): string[] {
  for (const p of page.paragraphs) {
    const kids = p.children.filter((c) => c.type !== 'text' || (c as unknown as { data: string }).data.trim() !== '');
    const only = kids.length === 1 && kids[0]!.type === 'tag' ? (kids[0] as Element) : null;
    if (!only || !['strong', 'b', 'em', 'i'].includes(only.name)) continue;
    const text = collapse(textOf(p));
    if (text.length > 60 || !SIGNATURE.test(text)) continue;
    const prev = $(p).prev()[0] as Element | undefined;
    const next = $(p).next()[0] as Element | undefined;
    if ((isProseParagraph(next) && !isProseParagraph(prev)) || (isProseParagraph(prev) && !isProseParagraph(next))) return [text];
  }
  return [];
}

/** How many elements the visible-date search looks at before giving up. */
const DATE_SEARCH_LIMIT = 20_000;

/**
 * A date line near the headline ("Thursday, 20 June 2024"): short elements named like dates,
 * and the few elements after the <h1>. Bounded, so a page of 100,000 elements costs no more.
 */
function visibleDate(page: PageIndex, root: AnyNode): string | null {
  const candidates: AnyNode[] = afterHeadline(page);
  const stack: AnyNode[] = [root];
  for (let visited = 0; stack.length > 0 && visited < DATE_SEARCH_LIMIT && candidates.length < 40; visited++) {
    const node = stack.pop()!;
    if (node.type !== 'tag' && node.type !== 'root') continue;
    const el = node as unknown as { name?: string; attribs?: Record<string, string>; children: AnyNode[] };
    const names = `${el.attribs?.['class'] ?? ''} ${el.attribs?.['id'] ?? ''}`;
    if (el.name === 'script' || el.name === 'style') continue;
    if (/date|time/i.test(names)) candidates.push(node);
    for (let i = el.children.length - 1; i >= 0; i--) stack.push(el.children[i]!);
  }
  for (const node of candidates) {
    const text = collapse(textOf(node).slice(0, 400));
    if (text.length > 0 && text.length < 80) {
      const date = parseWrittenDate(text);
      if (date) return date;
    }
  }
  return null;
}

function keywords(page: PageIndex, ld: JsonLdNode | null): string[] {
  const raw: string[] = [...page.articleTags];
  const ldKeywords = ld?.['keywords'];
  if (Array.isArray(ldKeywords)) raw.push(...ldKeywords.filter((k): k is string => typeof k === 'string'));
  else if (typeof ldKeywords === 'string') raw.push(...ldKeywords.split(','));
  const metaKeywords = page.metas.get('news_keywords') ?? page.metas.get('keywords');
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

/**
 * "Headline | Section", "Headline | DW | 28.04.2023": a tail after a separator goes when the page's
 * <h1> is exactly the part before it (the page itself shows the headline without the tail).
 */
function withoutSuffix(title: string, h1: string | null): string {
  if (!h1 || h1.length < 10 || h1.length >= title.length || !title.startsWith(h1)) return title;
  return /^\s*(?:[|–—·•]|-\s|::)/u.test(title.slice(h1.length)) ? h1 : title;
}

/** "Headline | Site News" → "Headline", when the tail names the site. */
function stripSiteName(title: string, siteName: string | null): string {
  // The last separator; a hyphen counts only with spaces around it ("US-Dollar" is one word).
  const m = /^(.{10,})(?:\s*[|–—·•]\s*|\s+-\s+|\s*::\s*)([^|–—·•]{2,60})$/u.exec(title);
  if (!m) return title;
  const tail = squash(m[2]!);
  const site = siteName ? squash(siteName) : '';
  if (tail && site && (tail === site || tail.startsWith(site) || site.startsWith(tail) || tail.includes(site))) return m[1]!.trim();
  return title;
}
