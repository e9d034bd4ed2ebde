// Feeds as the real web serves them, each case one way feeds go wrong (after the cases rss-parser's
// and feedparser's suites check; the feeds here are written for this project).
import { describe, expect, it } from 'vitest';
import { parseSourceDocument } from '../../src/shared/sources/parse-source.js';

const read = (xml: string, type = 'application/rss+xml', url = 'https://news.example/feed') =>
  parseSourceDocument(Buffer.from(xml), type, url);
const rss = (items: string, ns = '') =>
  `<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:media="http://search.yahoo.com/mrss/" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"${ns}><channel><title>Desk</title><atom:link href="https://news.example/feed" rel="self"/>${items}</channel></rss>`;

describe('RSS 2.0', () => {
  it('decodes every character reference in text and links (WordPress &#038; is an ampersand, not a fragment)', () => {
    const doc = read(
      rss(`<item><title>It&#039;s the port&#8217;s turn &amp; theirs</title><link>https://news.example/?p=123&#038;lang=en</link></item>`),
    );
    expect(doc.entries).toEqual([{ url: 'https://news.example/?p=123&lang=en', title: 'It\u0027s the port\u2019s turn & theirs' }]);
  });

  it('never lets a namespaced sibling replace a core field, and reads dc:, media: and content: as themselves', () => {
    const doc = read(
      rss(`<item>
        <dc:title>Not the title</dc:title><title>Harbour strike ends</title><media:title>Photo caption</media:title>
        <itunes:title>Episode title</itunes:title><atom:link href="https://other.example/self" rel="self"/>
        <link>https://news.example/2024/03/05/harbour-strike-ends</link>
        <dc:creator>Ilse Brandt</dc:creator><dc:date>2024-03-05T09:30:00+01:00</dc:date>
        <content:encoded><![CDATA[<p>Body with <a href="https://elsewhere.example/">a link</a></p>]]></content:encoded>
        <media:content url="https://cdn.news.example/harbour.jpg" medium="image"/>
      </item>`),
    );
    expect(doc.entries).toEqual([
      {
        url: 'https://news.example/2024/03/05/harbour-strike-ends',
        title: 'Harbour strike ends',
        publishedAt: '2024-03-05T09:30:00+01:00',
        author: 'Ilse Brandt',
        image: 'https://cdn.news.example/harbour.jpg',
      },
    ]);
  });

  it('takes a guid as the link only when it is a permalink', () => {
    const doc = read(
      rss(`<item><title>Opaque id</title><guid isPermaLink="false">48213</guid></item>
        <item><title>Opaque URL-like id</title><guid isPermaLink="false">https://news.example/?p=48214</guid></item>
        <item><title>Permalink guid</title><guid>https://news.example/2024/permalink-story</guid></item>`),
    );
    expect(doc.entries).toEqual([{ url: 'https://news.example/2024/permalink-story', title: 'Permalink guid' }]);
  });

  it('reads dates with named zones, and dates without one as UTC', () => {
    const doc = read(
      rss(`<item><title>A</title><link>https://news.example/a</link><pubDate>Tue, 05 Mar 2024 09:30:00 CEST</pubDate></item>
        <item><title>B</title><link>https://news.example/b</link><pubDate>Tue, 05 Mar 2024 09:30:00 BST</pubDate></item>
        <item><title>C</title><link>https://news.example/c</link><pubDate>Tue, 05 Mar 2024 09:30:00</pubDate></item>
        <item><title>D</title><link>https://news.example/d</link><pubDate>5 Mar 2024 09:30 EST</pubDate></item>
        <item><title>E</title><link>https://news.example/e</link><pubDate>2024-03-05 09:30:00</pubDate></item>
        <item><title>F</title><link>https://news.example/f</link><pubDate>sometime last week</pubDate></item>`),
    );
    expect(doc.entries.map((e) => e.publishedAt)).toEqual([
      '2024-03-05T09:30:00+02:00',
      '2024-03-05T09:30:00+01:00',
      '2024-03-05T09:30:00Z',
      '2024-03-05T09:30:00-05:00',
      '2024-03-05T09:30:00Z',
      undefined,
    ]);
  });

  it('keeps text as text: a title "007" is not the number 7, and markup in a title becomes its text', () => {
    const doc = read(
      rss(
        `<item><title>007</title><link>https://news.example/a</link></item><item><title>&lt;b&gt;Talks&lt;/b&gt; resume</title><link>https://news.example/b</link></item>`,
      ),
    );
    expect(doc.entries.map((e) => e.title)).toEqual(['007', 'Talks resume']);
  });

  it('drops credentials from links and resolves relative ones against the feed', () => {
    const doc = read(
      rss(`<item><title>A</title><link>https://user:pw@news.example/a</link></item><item><title>B</title><link>/2024/b</link></item>`),
    );
    expect(doc.entries.map((e) => e.url)).toEqual(['https://news.example/a', 'https://news.example/2024/b']);
  });

  it('survives an unescaped ampersand and HTML entities, as feed readers do', () => {
    const doc = read(rss(`<item><title>Tom & Jerry&nbsp;return</title><link>https://news.example/a?x=1&y=2</link></item>`));
    expect(doc.entries).toEqual([{ url: 'https://news.example/a?x=1&y=2', title: 'Tom & Jerry return' }]);
  });
});

describe('Atom', () => {
  const atom = (entries: string, attrs = '') =>
    `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"${attrs}><title>Desk</title><link rel="self" href="https://news.example/atom"/>${entries}</feed>`;

  it('resolves links against xml:base and prefers rel="alternate" over self, edit and replies', () => {
    const doc = read(
      atom(
        `<entry xml:base="/world/"><title type="html">Talks &lt;em&gt;resume&lt;/em&gt;</title>
           <link rel="self" href="https://news.example/api/entries/1"/><link rel="edit" href="/edit/1"/><link rel="replies" href="/comments/1"/>
           <link rel="alternate" type="text/html" href="talks-resume"/>
           <published>2024-03-05T09:30:00+01:00</published><updated>2024-03-06T10:00:00Z</updated>
           <author><name>Ilse Brandt</name></author></entry>
         <entry><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Grain <b>corridor</b> reopens</div></title>
           <link href="https://news.example/markets/grain"/><updated>2024-03-06T10:00:00</updated></entry>`,
        ' xml:base="https://news.example/"',
      ),
      'application/atom+xml',
      'https://mirror.example/atom.xml',
    );
    expect(doc.entries).toEqual([
      {
        url: 'https://news.example/world/talks-resume',
        title: 'Talks resume',
        publishedAt: '2024-03-05T09:30:00+01:00',
        author: 'Ilse Brandt',
      },
      { url: 'https://news.example/markets/grain', title: 'Grain corridor reopens', publishedAt: '2024-03-06T10:00:00Z' },
    ]);
  });
});

describe('RDF (RSS 1.0)', () => {
  it('reads items beside the channel, with dc:date', () => {
    const doc =
      read(`<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
      <channel rdf:about="https://news.example/"><title>Desk</title></channel>
      <item rdf:about="https://news.example/a"><title>Port reopens</title><dc:date>2024-03-05T09:30:00Z</dc:date></item></rdf:RDF>`);
    expect(doc.entries).toEqual([{ url: 'https://news.example/a', title: 'Port reopens', publishedAt: '2024-03-05T09:30:00Z' }]);
  });
});
