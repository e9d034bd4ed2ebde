// Feeds read as rss-parser and feedparser read them: RSS 2.0, RDF (RSS 1.0), Atom and JSON Feed.
// Only a feed's own elements are its fields (a `dc:title` or `media:title` never replaces the
// `title`); dc:date, dc:creator, content:encoded and media:* are read as what they are; a guid is
// a link only when it is a permalink; Atom links resolve against xml:base and prefer
// rel="alternate"; dates without a zone are UTC; text stays text ("007" is not 7).
import { feedDate } from './feed-dates.js';
import type { SourceEntry } from './parse-source.js';
import { NS, child, children, textContent, type XmlElement } from './xml-tree.js';

/** A URL as a listing gives it, resolved and checked (http(s), no credentials, bounded length). */
export type ResolveUrl = (href: string | undefined, base: string) => string | null;

const trimmed = (s: string | undefined): string | undefined => {
  const t = s?.replace(/\s+/g, ' ').trim();
  return t ? t : undefined;
};

const TAG = /<\/?[a-z][^>]*>/gi;

/** Markup in a title becomes its text: `<b>Talks</b> resume` → `Talks resume`. */
function plain(text: string | undefined): string | undefined {
  if (!text) return undefined;
  if (!TAG.test(text)) return trimmed(text);
  const stripped = text
    .replace(TAG, ' ')
    .replace(/&(amp|lt|gt|quot|#39|apos);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'" })[e]!);
  return trimmed(stripped);
}

/** An Atom text construct's text: `type="html"` unescaped and stripped, `type="xhtml"` its div's text. */
function atomText(el: XmlElement | undefined): string | undefined {
  if (!el) return undefined;
  const type = (el.attrs['type'] ?? 'text').toLowerCase();
  if (type === 'xhtml') return trimmed(textContent(el));
  if (type === 'html' || type === 'text/html') return plain(el.text);
  return trimmed(el.text);
}

/** The element's xml:base resolved against `base`. */
function baseOf(el: XmlElement, base: string): string {
  const declared = el.attrs[`${NS.xml}|base`];
  if (!declared) return base;
  try {
    return new URL(declared, base).href;
  } catch {
    return base;
  }
}

/** The first date any of the elements gives. */
function firstDate(...candidates: Array<XmlElement | undefined>): string | undefined {
  for (const el of candidates) {
    const date = el && feedDate(el.text);
    if (date) return date;
  }
  return undefined;
}

/** The first media URL an item carries: media:content/thumbnail (also inside media:group), or an image enclosure. */
function imageOf(item: XmlElement, base: string, resolve: ResolveUrl): string | undefined {
  const groups = [item, ...children(item, NS.media, 'group')];
  for (const g of groups) {
    for (const el of [...children(g, NS.media, 'content'), ...children(g, NS.media, 'thumbnail')]) {
      const medium = el.attrs['medium'] ?? el.attrs['type'] ?? 'image';
      if (!/^image|^$/.test(medium) && !/image/.test(medium)) continue;
      const url = resolve(el.attrs['url'], base);
      if (url) return url;
    }
  }
  for (const enc of item.children.filter((c) => c.local === 'enclosure')) {
    if (/^image\//i.test(enc.attrs['type'] ?? '')) {
      const url = resolve(enc.attrs['url'], base);
      if (url) return url;
    }
  }
  return undefined;
}

function entry(fields: {
  url: string | null;
  title?: string | undefined;
  publishedAt?: string | undefined;
  author?: string | undefined;
  image?: string | undefined;
}): SourceEntry | null {
  if (!fields.url) return null;
  return {
    url: fields.url,
    ...(fields.title ? { title: fields.title } : {}),
    ...(fields.publishedAt ? { publishedAt: fields.publishedAt } : {}),
    ...(fields.author ? { author: fields.author } : {}),
    ...(fields.image ? { image: fields.image } : {}),
  };
}

/** RSS 2.0 (and 0.9x): items of the channel, in the root's own namespace. */
function rssItems(root: XmlElement, base: string, resolve: ResolveUrl): Array<SourceEntry | null> {
  const core = root.ns;
  const channel = child(root, core, 'channel') ?? root;
  return [...children(channel, core, 'item'), ...children(root, core, 'item')].map((item) => {
    const guid = child(item, core, 'guid');
    const permalink = guid && (guid.attrs['ispermalink'] ?? 'true').toLowerCase() !== 'false' ? resolve(trimmed(guid.text), base) : null;
    const atomLink = children(item, NS.atom, 'link').find((l) => (l.attrs['rel'] ?? 'alternate') === 'alternate');
    const url = resolve(trimmed(child(item, core, 'link')?.text), base) ?? permalink ?? resolve(atomLink?.attrs['href'], base);
    return entry({
      url,
      title: plain(child(item, core, 'title')?.text),
      publishedAt: firstDate(
        child(item, core, 'pubdate'),
        child(item, NS.dc, 'date'),
        child(item, NS.atom, 'published'),
        child(item, NS.atom, 'updated'),
      ),
      author: trimmed(child(item, NS.dc, 'creator')?.text) ?? trimmed(child(item, core, 'author')?.text),
      image: imageOf(item, base, resolve),
    });
  });
}

/** RDF (RSS 1.0): items beside the channel, in the RSS 1.0 namespace (or none, in sloppy feeds). */
function rdfItems(root: XmlElement, base: string, resolve: ResolveUrl): Array<SourceEntry | null> {
  const items = root.children.filter((c) => c.local === 'item' && (c.ns === NS.rss1 || c.ns === ''));
  return items.map((item) => {
    const core = item.ns;
    return entry({
      url: resolve(trimmed(child(item, core, 'link')?.text), base) ?? resolve(item.attrs[`${NS.rdf}|about`] ?? item.attrs['about'], base),
      title: plain(child(item, core, 'title')?.text),
      publishedAt: firstDate(child(item, NS.dc, 'date'), child(item, core, 'pubdate')),
      author: trimmed(child(item, NS.dc, 'creator')?.text),
      image: imageOf(item, base, resolve),
    });
  });
}

const SKIPPED_RELS = new Set([
  'self',
  'edit',
  'replies',
  'enclosure',
  'related',
  'via',
  'license',
  'hub',
  'next',
  'previous',
  'first',
  'last',
]);

/** Atom: entries, links by rel="alternate" (HTML first) against xml:base. */
function atomEntries(root: XmlElement, base: string, resolve: ResolveUrl): Array<SourceEntry | null> {
  const core = root.ns;
  const feedBase = baseOf(root, base);
  return children(root, core, 'entry').map((e) => {
    const entryBase = baseOf(e, feedBase);
    const links = children(e, core, 'link').filter((l) => !SKIPPED_RELS.has((l.attrs['rel'] ?? 'alternate').toLowerCase()));
    const html = links.find((l) => /html/i.test(l.attrs['type'] ?? 'text/html')) ?? links[0];
    const author = child(e, core, 'author');
    return entry({
      url: resolve(html?.attrs['href'], baseOf(html ?? e, entryBase)),
      title: atomText(child(e, core, 'title')),
      publishedAt: firstDate(child(e, core, 'published'), child(e, core, 'issued'), child(e, core, 'updated'), child(e, NS.dc, 'date')),
      author: trimmed(author && child(author, core, 'name')?.text) ?? trimmed(child(e, NS.dc, 'creator')?.text),
      image: imageOf(e, entryBase, resolve),
    });
  });
}

/** The entries of an RSS, RDF or Atom feed; null when the root is none of them. */
export function feedEntries(root: XmlElement, base: string, resolve: ResolveUrl): SourceEntry[] | null {
  const read = root.local === 'rss' ? rssItems : root.local === 'rdf' ? rdfItems : root.local === 'feed' ? atomEntries : null;
  if (!read) return null;
  return read(root, base, resolve).filter((e): e is SourceEntry => e !== null);
}

/** A JSON Feed's items (https://jsonfeed.org/version/1.1); null when the body is not one. */
export function jsonFeedEntries(body: string, base: string, resolve: ResolveUrl): SourceEntry[] | null {
  let feed: { version?: unknown; items?: unknown };
  try {
    feed = JSON.parse(body) as { version?: unknown; items?: unknown };
  } catch {
    return null;
  }
  if (typeof feed.version !== 'string' || !feed.version.includes('jsonfeed.org') || !Array.isArray(feed.items)) return null;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return (feed.items as Array<Record<string, unknown>>)
    .map((i) => {
      const authors = Array.isArray(i['authors']) ? (i['authors'] as Array<Record<string, unknown>>) : [];
      return entry({
        url: resolve(str(i['url']) ?? str(i['external_url']), base),
        title: plain(str(i['title'])),
        publishedAt: feedDate(str(i['date_published'])) ?? undefined,
        author: trimmed(str(authors[0]?.['name']) ?? str((i['author'] as Record<string, unknown> | undefined)?.['name'])),
        image: resolve(str(i['image']) ?? str(i['banner_image']), base) ?? undefined,
      });
    })
    .filter((e): e is SourceEntry => e !== null);
}
