// One walk over the parsed page collecting what metadata extraction reads, instead of a
// selector query (a whole-document scan) per field. Iterative, and linear in the page's depth:
// cheerio's selector engine keeps its walk in an array it shifts, so a query over a page nested
// 100,000 deep took seconds.
import { isTag, type AnyNode, type Element } from 'domhandler';
import { decodeHTML } from 'entities';

const AUTHOR_METAS = new Set(['author', 'article:author', 'dc.creator', 'byl', 'sailthru.author', 'parsely-author', 'citation_author']);

/** Metas that write one person per tag as "Last, First" (Dublin Core, Highwire citation tags). */
const INVERTED_NAME_METAS = new Set(['dc.creator', 'citation_author']);

/** "Brazil, Rachel" → "Rachel Brazil"; anything else unchanged. */
export function uninvert(value: string): string {
  const m = /^([\p{L}'’.-]+(?: [\p{L}'’.-]+){0,2}),\s*([\p{L}'’.-]+(?: [\p{L}'’.-]+){0,2})$/u.exec(value);
  return m ? `${m[2]} ${m[1]}` : value;
}

export interface PageIndex {
  /** <meta> content by lower-cased property/name/itemprop; the first one wins. */
  metas: Map<string, string>;
  /** Every article:tag value, in order. */
  articleTags: string[];
  /** Every value of the author-naming metas (author, article:author, dc.creator…), in order: pages repeat them. */
  metaAuthors: string[];
  /** Text of each <script type="application/ld+json">. */
  jsonLd: string[];
  /** The first <h1> inside an <article>, else the first <h1>. */
  h1: Element | null;
  title: string;
  /** datetime of the first <time> inside an <article>, else of the first <time>. */
  timeDatetime: string | null;
  canonicalHref: string | null;
  htmlLang: string | null;
  /**
   * Elements a byline may sit in — what `[rel="author"], [class*="byline"], [class*="author"]`
   * selects — in document order, the first BYLINE_CANDIDATE_LIMIT.
   */
  bylineBoxes: Element[];
  /** What `[itemprop="author"]` selects, in document order, the first BYLINE_CANDIDATE_LIMIT. */
  authorProps: Element[];
  /** The first <body>, in document order. */
  body: Element | null;
  /** What `strong, b, dt, th, label, span` selects, in document order: the first LABEL_LIMIT. */
  labels: Element[];
  /** Every <p>, in document order. */
  paragraphs: Element[];
}

/** How many label-like elements (an author field's label) the index keeps. */
const LABEL_LIMIT = 5_000;
/**
 * How many byline boxes and `itemprop="author"` elements it keeps, the first in document order:
 * each is looked at with its ancestors and its text, so a hostile page of 50,000 nested
 * "author" spans must not make that 50,000². Real pages have up to 222 (the 439 of the
 * extraction sets; 60 at the 99th percentile).
 */
const BYLINE_CANDIDATE_LIMIT = 500;
const LABEL_TAGS = new Set(['strong', 'b', 'dt', 'th', 'label', 'span']);

/** Runs of whitespace as one space, none at the ends. */
export const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();

/** JavaScript's `\s`: what `collapse` folds and trims. */
const isSpace = (c: number) =>
  c === 32 ||
  (c >= 9 && c <= 13) ||
  c === 0xa0 ||
  c === 0x1680 ||
  (c >= 0x2000 && c <= 0x200a) ||
  c === 0x2028 ||
  c === 0x2029 ||
  c === 0x202f ||
  c === 0x205f ||
  c === 0x3000 ||
  c === 0xfeff;

/** `collapse(s).length` without building the string (run on every text node of the page). */
export function collapsedLength(s: string): number {
  let n = 0;
  let started = false;
  let gap = false;
  for (let i = 0; i < s.length; i++) {
    if (isSpace(s.charCodeAt(i))) {
      gap = started;
    } else {
      if (gap) n++;
      n++;
      started = true;
      gap = false;
    }
  }
  return n;
}

/** Metadata values are often HTML-escaped twice ("&amp;#8217;"); decode what is left. */
export function unescapeValue(value: string): string {
  return value.includes('&') ? decodeHTML(decodeHTML(value)) : value;
}

/** The text under `node`, in document order. Iterative: hostile pages nest tens of thousands deep. */
export function textOf(node: AnyNode): string {
  return textWithin(node, Infinity)!;
}

/**
 * `textOf(node)`, or null once the subtree turns out to hold more than `maxNodes` nodes: for
 * candidates that only count when short, so that many nested in each other over a deep subtree
 * cost a bounded walk each, not the whole subtree each.
 */
export function textWithin(node: AnyNode, maxNodes: number): string | null {
  let out = '';
  let seen = 0;
  const stack: AnyNode[] = [node];
  while (stack.length > 0) {
    if (++seen > maxNodes) return null;
    const n = stack.pop()!;
    if (n.type === 'text') {
      out += (n as unknown as { data: string }).data;
      continue;
    }
    const children = (n as Element).children;
    if (children) for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return out;
}

/** The elements under `node` (not itself) that pass `test`, in document order. Iterative. */
export function descendants(node: AnyNode, test: (el: Element) => boolean): Element[] {
  const out: Element[] = [];
  const stack: AnyNode[] = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n !== node && isTag(n) && test(n)) out.push(n);
    const children = (n as Element).children;
    if (children) for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return out;
}

export function indexPage(root: AnyNode): PageIndex {
  const index: PageIndex = {
    metas: new Map(),
    articleTags: [],
    metaAuthors: [],
    jsonLd: [],
    h1: null,
    title: '',
    timeDatetime: null,
    canonicalHref: null,
    htmlLang: null,
    bylineBoxes: [],
    authorProps: [],
    body: null,
    labels: [],
    paragraphs: [],
  };
  let firstH1: Element | null = null;
  let firstTime: string | null = null;
  // Iterative depth-first walk: hostile pages nest tens of thousands deep.
  const stack: Array<{ node: AnyNode; inArticle: boolean }> = [{ node: root, inArticle: false }];
  while (stack.length > 0) {
    const { node, inArticle } = stack.pop()!;
    if (!isTag(node) && node.type !== 'root') continue;
    const el = node as Element;
    const a = el.attribs ?? {};
    // As the selectors match in HTML: `rel` values ignore case, `class` and `itemprop` do not.
    const cls = a['class'];
    if (
      (cls?.includes('byline') || cls?.includes('author') || a['rel']?.toLowerCase() === 'author') &&
      index.bylineBoxes.length < BYLINE_CANDIDATE_LIMIT
    ) {
      index.bylineBoxes.push(el);
    }
    if (a['itemprop'] === 'author' && index.authorProps.length < BYLINE_CANDIDATE_LIMIT) index.authorProps.push(el);
    if (el.name === 'p') index.paragraphs.push(el);
    else if (LABEL_TAGS.has(el.name) && index.labels.length < LABEL_LIMIT) index.labels.push(el);
    switch (el.name) {
      case 'meta': {
        const content = a['content'];
        if (content?.trim()) {
          const value = collapse(unescapeValue(content));
          for (const key of [a['property'], a['name'], a['itemprop']]) {
            if (!key) continue;
            const k = key.toLowerCase();
            if (!index.metas.has(k)) index.metas.set(k, value);
            if (k === 'article:tag') index.articleTags.push(value);
            if (AUTHOR_METAS.has(k)) index.metaAuthors.push(INVERTED_NAME_METAS.has(k) ? uninvert(value) : value);
          }
        }
        continue;
      }
      case 'script':
        if ((a['type'] ?? '').toLowerCase() === 'application/ld+json') index.jsonLd.push(textOf(el));
        continue;
      case 'style':
        continue;
      case 'title':
        if (!index.title) index.title = collapse(textOf(el));
        continue;
      case 'h1':
        if (inArticle && !index.h1) index.h1 = el;
        firstH1 ??= el;
        break;
      case 'time':
        if (a['datetime']) {
          if (inArticle && !index.timeDatetime) index.timeDatetime = a['datetime'];
          firstTime ??= a['datetime'];
        }
        break;
      case 'link':
        if (!index.canonicalHref && (a['rel'] ?? '').toLowerCase().split(/\s+/).includes('canonical') && a['href']) {
          index.canonicalHref = a['href'];
        }
        continue;
      case 'html':
        index.htmlLang ??= a['lang'] ?? a['xml:lang'] ?? null;
        break;
      case 'body':
        index.body ??= el;
        break;
    }
    const children = el.children ?? [];
    const childInArticle = inArticle || el.name === 'article';
    for (let i = children.length - 1; i >= 0; i--) stack.push({ node: children[i]!, inArticle: childInArticle });
  }
  index.h1 ??= firstH1;
  index.timeDatetime ??= firstTime;
  return index;
}
