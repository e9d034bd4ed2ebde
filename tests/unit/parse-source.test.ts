import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseSourceDocument } from '../../src/shared/sources/parse-source.js';

const parse = (body: string | Buffer, type = 'application/xml', url = 'https://news.example/feed') =>
  parseSourceDocument(Buffer.isBuffer(body) ? body : Buffer.from(body), type, url);

describe('source documents', () => {
  it('reads RSS 2.0 items with titles and dates', () => {
    const doc = parse(`<?xml version="1.0"?><rss version="2.0"><channel><title>Desk</title>
      <item><title>Harbour strike ends</title><link>https://news.example/2024/03/05/harbour-strike-ends</link><pubDate>Tue, 05 Mar 2024 09:30:00 +0100</pubDate></item>
      <item><title>Rates &amp; prices</title><link>/2024/03/06/rates-and-prices</link></item></channel></rss>`);
    expect(doc.kind).toBe('feed');
    expect(doc.entries).toEqual([
      {
        url: 'https://news.example/2024/03/05/harbour-strike-ends',
        title: 'Harbour strike ends',
        publishedAt: '2024-03-05T09:30:00+01:00',
      },
      { url: 'https://news.example/2024/03/06/rates-and-prices', title: 'Rates & prices' },
    ]);
  });

  it('reads RDF (RSS 1.0) and Atom', () => {
    const rdf =
      parse(`<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
      <item rdf:about="https://news.example/a-long-story-title"><title>A long story</title><link>https://news.example/a-long-story-title</link><dc:date>2024-03-05T10:00:00+01:00</dc:date></item></rdf:RDF>`);
    expect(rdf.entries).toEqual([
      { url: 'https://news.example/a-long-story-title', title: 'A long story', publishedAt: '2024-03-05T10:00:00+01:00' },
    ]);
    const atom = parse(`<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Desk</title>
      <entry><title>Grain corridor signed</title><link rel="alternate" href="https://news.example/grain-corridor-signed"/><link rel="edit" href="https://news.example/edit/1"/><published>2024-03-05T10:00:00Z</published></entry></feed>`);
    expect(atom.entries).toEqual([
      { url: 'https://news.example/grain-corridor-signed', title: 'Grain corridor signed', publishedAt: '2024-03-05T10:00:00Z' },
    ]);
  });

  it('reads JSON Feed', () => {
    const doc = parse(
      JSON.stringify({
        version: 'https://jsonfeed.org/version/1.1',
        items: [{ id: '1', url: 'https://news.example/json-feed-story-one', title: 'One', date_published: '2024-03-05T10:00:00Z' }],
      }),
      'application/feed+json',
    );
    expect(doc).toMatchObject({ kind: 'feed', entries: [{ url: 'https://news.example/json-feed-story-one', title: 'One' }] });
  });

  it('reads sitemap indexes, gzipped sitemaps and Google News extensions', () => {
    const index = parse(
      `<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>https://news.example/news.xml.gz</loc></sitemap><sitemap><loc>https://news.example/pages.xml</loc></sitemap></sitemapindex>`,
    );
    expect(index).toMatchObject({
      kind: 'sitemap-index',
      sitemaps: ['https://news.example/news.xml.gz', 'https://news.example/pages.xml'],
    });
    const news =
      zlib.gzipSync(`<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
      <url><loc>https://news.example/world/talks-resume-in-geneva</loc><news:news><news:publication_date>2024-03-05T08:00:00+00:00</news:publication_date><news:title>Talks resume in Geneva</news:title></news:news></url>
      <url><loc>https://news.example/about-us-and-our-team</loc><lastmod>2024-01-01</lastmod></url></urlset>`);
    expect(parse(news, 'application/octet-stream').entries).toEqual([
      { url: 'https://news.example/world/talks-resume-in-geneva', title: 'Talks resume in Geneva', publishedAt: '2024-03-05T08:00:00Z' },
      { url: 'https://news.example/about-us-and-our-team', publishedAt: '2024-01-01T00:00:00Z' },
    ]);
  });

  it("finds a page's feeds and its article links, not its navigation", () => {
    const doc = parse(
      `<html><head><link rel="alternate" type="application/rss+xml" href="/rss.xml"></head><body>
      <nav><a href="/">Home</a> <a href="/category/world">World</a> <a href="/tag/china">China</a></nav>
      <a href="/world/china-and-russia-sign-grain-deal">China and Russia sign grain deal</a>
      <a href="/2024/03/05/short">Short</a>
      <a href="https://elsewhere.example/another-site-long-story-here">Elsewhere</a>
      <a href="/about">About</a></body></html>`,
      'text/html',
      'https://news.example/world',
    );
    expect(doc.kind).toBe('page');
    expect(doc.feeds).toEqual(['https://news.example/rss.xml']);
    expect(doc.entries).toEqual([
      { url: 'https://news.example/world/china-and-russia-sign-grain-deal', title: 'China and Russia sign grain deal' },
      { url: 'https://news.example/2024/03/05/short' },
    ]);
  });

  it('drops the credentials of a discovered link, and links longer than 4,096 characters', () => {
    const long = `https://news.example/${'a'.repeat(5_000)}`;
    const doc = parse(`<?xml version="1.0"?><rss version="2.0"><channel>
      <item><title>Inside</title><link>https://alice:secret@news.example/inside</link></item>
      <item><title>Long</title><link>${long}</link></item></channel></rss>`);
    expect(doc.entries.map((e) => e.url)).toEqual(['https://news.example/inside']);
  });

  it('reads a sitemap index whose entries give their URL without <loc>, as crawler-commons does', () => {
    const doc = parse(`<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sitemap>
        https://news.example/sitemap.jss?portal=1&amp;lang=en
      </sitemap><sitemap><loc>https://news.example/b.xml</loc></sitemap></sitemapindex>`);
    expect(doc.sitemaps).toEqual(['https://news.example/sitemap.jss?portal=1&lang=en', 'https://news.example/b.xml']);
  });

  it('reads a text sitemap with a byte-order mark', () => {
    const doc = parse(
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('https://news.example/a\nhttps://news.example/b\n')]),
      'text/plain',
      'https://news.example/sitemap.txt',
    );
    expect(doc.entries.map((e) => e.url)).toEqual(['https://news.example/a', 'https://news.example/b']);
  });
});
