// Feeds and sitemaps as a small element tree, read by sax in its lenient mode: HTML entities and
// character references decoded, unescaped ampersands and stray markup survived, namespaces
// resolved (so `dc:title` is never taken for a feed's own `title`), and a document cut off or
// broken part way kept up to the damage, with `complete` saying whether it was whole.
import sax from 'sax';

export const NS = {
  atom: 'http://www.w3.org/2005/Atom',
  rss1: 'http://purl.org/rss/1.0/',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  dc: 'http://purl.org/dc/elements/1.1/',
  content: 'http://purl.org/rss/1.0/modules/content/',
  media: 'http://search.yahoo.com/mrss/',
  xml: 'http://www.w3.org/XML/1998/namespace',
  sitemapNews: 'http://www.google.com/schemas/sitemap-news/0.9',
} as const;

export interface XmlElement {
  /** Local name, lower-cased. */
  local: string;
  /** Namespace URI ('' for none). */
  ns: string;
  /** Attributes by lower-cased local name (namespaced ones also as `<uri>|<local>`). */
  attrs: Record<string, string>;
  children: XmlElement[];
  /** The element's own text and CDATA, in order (not its children's). */
  text: string;
  /** All text below the element, its children's included, in document order (not kept for the root and its children, which hold the whole document). */
  allText: string;
  /** Whether its end tag was read: an element cut off by the end of the document is not. */
  closed: boolean;
}

export interface XmlTree {
  root: XmlElement | null;
  /** The root element was closed and nothing was malformed. */
  complete: boolean;
}

/** Elements read at most: a bound on memory for any document (a 50,000-URL sitemap needs about 150,000). */
const MAX_ELEMENTS = 500_000;

export function parseXmlTree(text: string): XmlTree {
  const parser = sax.parser(false, { xmlns: true, lowercase: true, trim: false, normalize: false, position: false });
  let root: XmlElement | null = null;
  const stack: XmlElement[] = [];
  let damaged = false;
  let count = 0;
  parser.onopentag = (tag) => {
    const t = tag as sax.QualifiedTag;
    const attrs: Record<string, string> = {};
    for (const a of Object.values(t.attributes ?? {}) as sax.QualifiedAttribute[]) {
      attrs[a.local.toLowerCase()] = a.value;
      if (a.uri) attrs[`${a.uri}|${a.local.toLowerCase()}`] = a.value;
    }
    const el: XmlElement = {
      local: (t.local || t.name).toLowerCase(),
      ns: t.uri ?? '',
      attrs,
      children: [],
      text: '',
      allText: '',
      closed: false,
    };
    if (++count > MAX_ELEMENTS) {
      damaged = true;
      throw new Error('too many elements');
    }
    const parent = stack.at(-1);
    if (parent) parent.children.push(el);
    else root ??= el;
    stack.push(el);
  };
  const addText = (s: string) => {
    const el = stack.at(-1);
    if (!el) return;
    el.text += s;
    for (let i = 2; i < stack.length; i++) stack[i]!.allText += s;
  };
  parser.ontext = addText;
  parser.oncdata = addText;
  parser.onclosetag = () => {
    const el = stack.pop();
    if (el) el.closed = true;
  };
  parser.onerror = () => {
    damaged = true;
    // sax's lenient mode reports what it repaired; reading goes on to keep what follows.
    (parser as unknown as { error: Error | null }).error = null;
    parser.resume();
  };
  try {
    parser.write(text).close();
  } catch {
    damaged = true;
  }
  const r = root as XmlElement | null;
  return { root: r, complete: (r?.closed ?? false) && !damaged };
}

/** The first child of `el` named `local` in namespace `ns`. */
export function child(el: XmlElement, ns: string, local: string): XmlElement | undefined {
  return el.children.find((c) => c.local === local && c.ns === ns);
}

export function children(el: XmlElement, ns: string, local: string): XmlElement[] {
  return el.children.filter((c) => c.local === local && c.ns === ns);
}

/** All text below `el` (its own and its descendants'), as a reader would see it. */
export function textContent(el: XmlElement): string {
  return el.allText;
}
