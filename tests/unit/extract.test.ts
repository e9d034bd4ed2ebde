import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../src/shared/extract/extract-article.js';
import { readHtml, type Document } from '../../src/shared/extract/html.js';
import { decodeHtml } from '../../src/shared/text/decode.js';
import { normalizeDate, dateFromUrl } from '../../src/shared/extract/dates.js';
import { cleanAuthors } from '../../src/shared/extract/authors.js';
import { collapse, collapsedLength, indexPage, textOf, textWithin } from '../../src/shared/extract/page-index.js';
import { syntheticArticle } from '../fixtures/synthetic-news.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/pages/${name}`, import.meta.url));

describe('extractArticle on a seed-shaped page', () => {
  const article = extractArticle(fixture('summit-story.html').toString('utf8'), 'https://globe-dispatch.example/?p=4411');

  it('reads title, visible date line, byline, language, site and canonical URL', () => {
    expect(article.title).toBe('Xi Hosts Russian Envoy as Ukraine War Grinds On');
    expect(article.publishedAt).toBe('2024-06-20T00:00:00Z');
    expect(article.authors).toEqual(['Lena Okafor', 'Daniel Brook']);
    expect(article.language).toBe('en');
    expect(article.siteName).toBe('Globe Dispatch');
    expect(article.canonicalUrl).toBe('https://globe-dispatch.example/world/xi-hosts-russian-envoy/');
  });

  it('keeps summary bullets, paragraphs and subheadings in order', () => {
    const paragraphs = article.body.split('\n\n');
    expect(paragraphs[0]).toMatch(/^The Russian foreign minister spent two days/);
    expect(paragraphs).toContain('Pressure from Washington');
    expect(paragraphs.indexOf('Pressure from Washington')).toBeGreaterThan(paragraphs.findIndex((p) => p.startsWith('Sanctions')));
    expect(paragraphs.at(-1)).toMatch(/lean on North Korea over its weapons programme\.$/);
    expect(article.wordCount).toBeGreaterThan(200);
  });

  it('drops navigation, related posts, newsletter box, comment form and share bar', () => {
    for (const boilerplate of [
      'Related posts',
      'Poll tracker',
      'Read more',
      'Stay ahead',
      'Leave a Reply',
      'Your email address',
      'Worth reading',
      'Share',
      'Politics',
      'Thursday',
    ]) {
      expect(article.body).not.toContain(boilerplate);
    }
  });
});

describe('leftovers inside the story container', () => {
  it('drops gallery counters, shortcodes, time-stamped bylines and trailing sign-up and copyright lines', () => {
    const p = (t: string) => `<p>${t}</p>`;
    const story = [
      'The council approved the new tram line on Tuesday after a debate that lasted most of the afternoon.',
      'Construction is expected to start next spring and to take about three years, officials said.',
    ];
    const html = `<html><body><article><div class="body">${[
      p('Maria Lopez 2024-03-05 14:22:10'),
      ...story.map(p),
      p('Image 1 of 5'),
      p('[button link="/tips"] Send us your tips[/button]'),
      p('Sign up for our free morning newsletter and get the news delivered to your inbox.'),
      p('This document is subject to copyright. All rights reserved.'),
    ].join('')}</div></article></body></html>`;
    expect(extractArticle(html, 'https://e.example/tram').body).toBe(story.join('\n\n'));
  });
});

describe('class names that describe the page, not the block', () => {
  const story = [
    'Die Werft in Kiel hat am Montag ihren neuen Schwimmkran in Betrieb genommen, nach zwei Jahren Bauzeit.',
    'Der Kran hebt bis zu 900 Tonnen und soll vor allem Sektionen für Fähren und Forschungsschiffe bewegen.',
    'Die Belegschaft verfolgte die erste Hebung vom Kai aus; der Betriebsrat sprach von einem guten Tag für den Standort.',
  ];
  const paragraphs = story.map((p) => `<p>${p}</p>`).join('');

  it('keeps a story whose wrappers say what the page has: cookies-not-set, has-sidebar, has-recommendations', () => {
    const page = `<html><body class="single cookies-not-set has-sidebar ads"><div class="article container has-recommendations">
      <h1>Neuer Schwimmkran in Kiel</h1>${paragraphs}</div>
      <aside class="sidebar"><ul><li><a href="/a">Mehr aus Kiel</a></li><li><a href="/b">Wetter</a></li></ul></aside></body></html>`;
    const body = extractArticle(page, 'https://werft.example/kran').body;
    for (const p of story) expect(body).toContain(p);
    expect(body).not.toContain('Mehr aus Kiel');
  });

  it('keeps a lead named teaser that links nowhere, and drops teasers of other stories', () => {
    const lead = 'Nach zwei Jahren Bauzeit ist der größte Schwimmkran der Ostsee fertig.';
    const page = `<html><body><article><h1>Neuer Schwimmkran in Kiel</h1><div class="teaser-text">${lead}</div>${paragraphs}
      <div class="teaser"><a href="/andere-geschichte">Hafen Rostock baut aus</a> Auch in Rostock wird gebaut, mehr dazu im Bericht.</div>
      </article></body></html>`;
    const body = extractArticle(page, 'https://werft.example/kran').body;
    expect(body).toContain(lead);
    for (const p of story) expect(body).toContain(p);
    expect(body).not.toContain('Hafen Rostock baut aus');
  });
});

describe('where the story is on the page', () => {
  const story = [
    'Der Gemeinderat hat am Dienstag den Bau der neuen Grundschule am Stadtpark beschlossen und die Mittel freigegeben.',
    'Die Schule soll im Herbst 2027 öffnen und Platz für 400 Kinder bieten; der alte Bau wird danach zur Bibliothek.',
    'Eltern hatten seit Jahren auf die Erweiterung gedrängt, weil die Klassen in Containern unterrichtet werden mussten.',
  ];
  const paragraphs = story.map((p) => `<p class="bodytext">${p}</p>`).join('');
  const more = [
    'Der Bau beginnt im Frühjahr; bis dahin werden die Container auf dem Schulhof noch einmal erweitert und neu gestrichen.',
    'Die Kosten liegen nach Angaben der Verwaltung bei 18 Millionen Euro, von denen das Land knapp die Hälfte übernimmt.',
    'Im Sommer soll es eine Bürgerversammlung geben, auf der die Pläne für den Pausenhof und die Turnhalle vorgestellt werden.',
  ];
  const read = (page: string) => extractArticle(page, 'https://stadt.example/schule').body;
  /** The body of `page`, once it is checked to hold every paragraph of the story. */
  const readStory = (page: string): string => {
    const body = read(page);
    for (const p of story) expect(body).toContain(p);
    return body;
  };

  it('does not let a class name lift a picture box over the story', () => {
    const page = `<html><body><div class="wrap"><div class="c-element">
      <div class="csc-textpic"><div class="csc-textpic-imagewrap"><img src="/schule.jpg" alt="">
      <p>Bild: der Stadtpark im Winter 2019</p></div></div>${paragraphs}</div></div></body></html>`;
    readStory(page);
  });

  it('reads no story in cards that link elsewhere, however much prose they hold', () => {
    const card = (n: number) =>
      `<a class="card" href="/artikel/${n}"><p>Meldung ${n}: Im Rathaus, im Stadtpark, an der Schule, im Hafen, auf dem Markt und am Bahnhof wird gebaut, gestritten, gefeiert.</p><p>Mehr dazu, mit Bildern, Stimmen, Karten und Zeitplan, im Bericht.</p></a>`;
    const page = `<html><body><div class="band-1"><div class="cards">${[1, 2, 3, 4].map(card).join('')}</div></div>
      <div class="band-2"><div>${story.map((p) => `<p>${p}</p>`).join('')}</div></div></body></html>`;
    readStory(page);
  });

  it('keeps a list of short items that link nowhere (ingredients), and drops a list of short links', () => {
    const page = `<html><body><article><h1>Apfelkuchen</h1>${paragraphs}
      <ul><li>500 g Äpfel</li><li>200 g Mehl</li><li>2 Eier</li><li>1 Prise Salz</li></ul>
      <p>Den Teig eine Stunde kühlen, dann die Äpfel darauf verteilen und bei 180 Grad backen, bis er goldbraun ist.</p>
      <ul><li><a href="/a">Drucken</a></li><li><a href="/b">Teilen</a></li><li><a href="/c">Merken</a></li></ul></article></body></html>`;
    const body = read(page);
    for (const item of ['500 g Äpfel', '200 g Mehl', '2 Eier', '1 Prise Salz']) expect(body).toContain(item);
    expect(body).not.toContain('Drucken');
  });

  it('joins chunks of one story that share a component but not every class name', () => {
    const chunk = (name: string, ps: string[]) => `<div class="field field--name-${name}">${ps.map((p) => `<p>${p}</p>`).join('')}</div>`;
    const page = `<html><body><div class="node"><div class="group-a">${chunk('text', story)}</div>
      <div class="ad-slot"><a href="/anzeige">Anzeige</a></div>
      <div class="group-b">${chunk('more-text', more)}</div></div></body></html>`;
    const body = read(page);
    for (const p of [...story, ...more]) expect(body).toContain(p);
  });

  it('reads the page’s paragraphs when the best block holds a small part of them (a story in sections)', () => {
    const sections = [
      [
        'Seit dem Frühjahr sammelt der Verein Unterschriften für einen zweiten Spielplatz im Neubaugebiet am Fluss.',
        'Über 1.200 Familien haben unterschrieben, mehr als der Stadtrat für eine Anhörung verlangt.',
      ],
      [
        'Die Verwaltung prüft nun drei Flächen, darunter eine Wiese neben der alten Mühle, die der Stadt gehört.',
        'Ein Gutachten zum Boden soll bis zum Herbst vorliegen, danach entscheidet der Bauausschuss.',
      ],
      [
        'Der Verein will beim Bau selbst mit anpacken und hat schon Spenden für Schaukeln und eine Rutsche gesammelt.',
        'Auch zwei Firmen aus dem Ort haben Hilfe zugesagt, eine Schreinerei und ein Gartenbaubetrieb.',
      ],
      [
        'Wann gebaut wird, ist offen; der Haushalt für das kommende Jahr wird erst im Dezember beschlossen.',
        'Bis dahin lädt der Verein jeden ersten Samstag im Monat zu einem Treffen ins Gemeindehaus ein.',
      ],
    ];
    const page = `<html><body><div class="page"><div class="col">${sections
      .map((ps, i) => `<section class="s${i}"><div class="inner-${i}">${ps.map((p) => `<p>${p}</p>`).join('')}</div></section>`)
      .join('<div class="ad-slot"><a href="/anzeige">Anzeige</a></div>')}</div></div></body></html>`;
    const body = read(page);
    for (const p of sections.flat()) expect(body).toContain(p);
  });

  it('leaves out picture credits and source lines standing as lines of their own', () => {
    const page = `<html><body><article><h1>Neue Grundschule</h1><p>${story[0]}</p>
      <div class="pic"><img src="/a.jpg" alt=""><span>Foto: Max Muster/dpa</span></div><p>${story[1]}</p>
      <div class="pic"><img src="/b.jpg" alt=""><span>Der Stadtpark im Winter. Photo: Getty Images</span></div>
      <p>${story[2]}</p><div class="src">Quelle: Stadtverwaltung</div><p>(Credit: Jane Doe / Stadtblatt)</p>
      <p>Photograph by Jane Doe, Stadtblatt</p></article></body></html>`;
    const body = readStory(page);
    for (const credit of ['Max Muster/dpa', 'Getty Images', 'Quelle: Stadtverwaltung', 'Jane Doe']) expect(body).not.toContain(credit);
  });

  it('leaves out interface lines in German, French and Spanish as in English, and lone labels', () => {
    const page = `<html><body><article><h1>Neue Grundschule</h1><p>${story[0]}</p><div>Artikel teilen</div>
      <p>${story[1]}</p><div>Weiterlesen</div><p>${story[2]}</p><div>Partager</div><div>Keine Kommentare</div>
      <div>Compartir</div><p>Kontakt:</p><p>Schulamt der Stadt, Rathausplatz 1</p></article></body></html>`;
    const body = readStory(page);
    for (const ui of ['Artikel teilen', 'Weiterlesen', 'Partager', 'Keine Kommentare', 'Compartir', 'Kontakt:'])
      expect(body).not.toContain(ui);
  });

  it('ends the story at a German, French or Spanish "more stories" heading', () => {
    for (const heading of [
      'Weitere Themen',
      'Mehr Kolumnen auf Stadtblatt',
      'Aktuelle Berichte aus dieser Kategorie',
      'Autres articles',
      'Más noticias',
    ]) {
      const page = `<html><body><article><h1>Neue Grundschule</h1>${paragraphs}<h2>${heading}</h2>
        <p>Auch die Nachbargemeinde plant eine neue Schule, dort für 300 Kinder und mit eigener Mensa.</p>
        <p>Bibliothek zieht um</p></article></body></html>`;
      const body = readStory(page);
      expect(body, heading).not.toContain('Nachbargemeinde');
    }
  });

  it('ends the story at a line that introduces more stories with a colon', () => {
    const page = `<html><body><article><h1>Neue Grundschule</h1>${paragraphs}<p>Lesen Sie auch die folgenden Beiträge:</p>
      <p>Auch die Nachbargemeinde plant eine neue Schule, dort für 300 Kinder und mit eigener Mensa.</p></article></body></html>`;
    const body = readStory(page);
    expect(body).not.toContain('Nachbargemeinde');
  });

  it('takes the full story the page declares in JSON-LD when it shows only its start', () => {
    const ld = (text: string) =>
      `<script type="application/ld+json">${JSON.stringify({ '@type': 'NewsArticle', headline: 'Neue Grundschule', articleBody: text })}</script>`;
    const shown = `<article><h1>Neue Grundschule</h1><p>${story[0]}</p><p>${story[1]}</p><div class="paywall">Weiterlesen mit Abo</div></article>`;
    const rest = more.slice(0, 2);
    const full = read(`<html><head>${ld([...story, ...rest].join(''))}</head><body>${shown}</body></html>`);
    for (const p of [...story, ...rest]) expect(full).toContain(p);
    expect(full.split('\n\n')).toHaveLength(5);
    // A declared text that does not open like the page is another story's.
    const other = read(`<html><head>${ld([...rest, ...rest, ...rest].join(' '))}</head><body>${shown}</body></html>`);
    expect(other).toContain(story[0]);
    expect(other).not.toContain(rest[0]);
  });

  it('reads a page whose outermost wrapper is named after a widget (div#theme-taboola)', () => {
    const page = `<html><body><div id="theme-taboola"><main><article><h1>Neue Grundschule</h1>${paragraphs}</article>
      <div class="comments"><p>Leserkommentar: Das wurde aber auch Zeit, finden wir Eltern aus dem Viertel alle.</p></div>
      </main></div></body></html>`;
    const body = readStory(page);
    expect(body).not.toContain('Leserkommentar');
  });

  it('leaves out the box about the author after the story', () => {
    const page = `<html><body><article><h1>Neue Grundschule</h1>${paragraphs}<div class="author-box"><img src="/jd.jpg" alt="">
      <p>Jana Dorn schreibt seit 2010 über Schulpolitik und lebt mit ihrer Familie in der Altstadt von Kiel.</p></div>
      </article></body></html>`;
    const body = readStory(page);
    expect(body).not.toContain('Jana Dorn');
  });

  it('leaves out the site promoting itself: networks, channels, apps, membership, login state', () => {
    const promos = [
      'Folgen Sie dem Stadtblatt auf Instagram und Facebook, um nichts zu verpassen.',
      '¿Ya sabías que tenemos canal de Telegram? Únete desde tu celular.',
      'Get the latest news straight to your phone with the Stadtblatt app.',
      'Werden Sie Mitglied und erhalten Sie exklusive Angebote!',
      'Sie sind aktuell nicht eingeloggt.',
    ];
    const page = `<html><body><article><h1>Neue Grundschule</h1><p>${story[0]}</p><p>${promos[0]}</p><p>${story[1]}</p>
      ${promos
        .slice(1)
        .map((p) => `<p>${p}</p>`)
        .join('')}<p>${story[2]}</p></article></body></html>`;
    const body = readStory(page);
    for (const p of promos) expect(body).not.toContain(p);
  });

  it('leaves out a short question to the reader about the article itself', () => {
    const page = `<html><body><article><h1>Neue Grundschule</h1>${paragraphs}<p>War der Artikel nützlich?</p>
      <p>Did you like this story?</p></article></body></html>`;
    const body = readStory(page);
    expect(body).not.toContain('nützlich');
    expect(body).not.toContain('like this story');
  });

  it('keeps the standfirst set apart above the body (p.article-intro, div.summary)', () => {
    const lead = 'Nach langem Streit ist die Entscheidung gefallen: Die Stadt baut eine neue Grundschule.';
    for (const holder of [`<p class="article-intro">${lead}</p>`, `<div class="summary">${lead}</div>`]) {
      const page = `<html><body><article><header><h1>Neue Grundschule</h1>${holder}</header>
        <div class="article-body">${paragraphs}</div>
        <aside><a href="/x">Mehr aus der Stadt und der Region und dem Umland</a></aside></article></body></html>`;
      const body = read(page);
      expect(body.startsWith(lead), holder).toBe(true);
      for (const p of story) expect(body).toContain(p);
    }
  });
});

describe('tables and repeated lines', () => {
  const prose = (topic: string) =>
    `The ${topic} plan was drawn up by the club's nutrition staff over the winter break and is meant to be followed for six weeks before any change.`;
  const page = `<html><body><article><h1>Season standings and meal plans</h1>
    <p>${prose('first')}</p><p>${prose('second')}</p>
    <table><tr><th>Pos.</th><th>Driver</th><th>Points</th></tr><tr><td>1</td><td>Lena Okafor</td><td>5040</td></tr><tr><td>2</td><td>Daniel Brook</td><td>5035</td></tr></table>
    <h2>Plan A</h2><h3>Breakfast</h3><p>${prose('third')}</p>
    <h2>Plan B</h2><h3>Breakfast</h3><p>${prose('fourth')}</p><p>${prose('third')}</p>
    <p>${prose('closing')}</p></article></body></html>`;
  const paragraphs = extractArticle(page, 'https://gazette.example/standings').body.split('\n\n');

  it('reads a table row as one line, cells apart', () => {
    expect(paragraphs).toContain('Pos. Driver Points');
    expect(paragraphs).toContain('1 Lena Okafor 5040');
    expect(paragraphs).toContain('2 Daniel Brook 5035');
  });

  it('keeps short lines that repeat (a heading per section) and drops a repeated paragraph', () => {
    expect(paragraphs.filter((p) => p === 'Breakfast')).toHaveLength(2);
    expect(paragraphs.filter((p) => p === prose('third'))).toHaveLength(1);
  });
});

describe('quoted posts', () => {
  it('keeps a post the story embeds, and still drops the share bar', () => {
    const prose = 'Residents crowded the council chamber on Tuesday night to hear the plan for the harbour wall and its cost. ';
    const page = `<html><body><article><h1>Harbour wall plan</h1><p>${prose.repeat(2)}</p>
      <div class="social-media-embed"><blockquote class="twitter-tweet"><p>The wall plan is out and it costs more than the harbour earns in ten years.</p>— Ilse Brandt (@ilse) May 6, 2024</blockquote></div>
      <p>${prose}</p><div class="social-share"><p>Share this story with your friends and family on every network you use.</p></div></article></body></html>`;
    const body = extractArticle(page, 'https://gazette.example/wall').body;
    expect(body).toContain('costs more than the harbour earns in ten years');
    expect(body).not.toContain('Share this story');
  });
});

describe('metadata sources', () => {
  it('prefers JSON-LD (in @graph, nested authors) over OpenGraph and visible text', () => {
    const html = `<html><head>
      <script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"X"},
        {"@type":"NewsArticle","headline":"Grain deal talks resume","datePublished":"2024-03-05T08:15:00+01:00",
         "dateModified":"2024-03-05T10:00:00+01:00","author":[{"@type":"Person","name":"Ana Ruiz"},{"@type":"Person","name":"Bo Chen"}]}]}</script>
      <meta property="og:title" content="OG title"></head>
      <body><h1>Visible</h1><p>${'Words of the story go here, with detail. '.repeat(5)}</p></body></html>`;
    const a = extractArticle(html, 'https://example.org/2024/03/05/grain');
    expect(a.title).toBe('Grain deal talks resume');
    expect(a.publishedAt).toBe('2024-03-05T08:15:00+01:00');
    expect(a.modifiedAt).toBe('2024-03-05T10:00:00+01:00');
    expect(a.authors).toEqual(['Ana Ruiz', 'Bo Chen']);
  });

  it('falls back to article:published_time, then a date in the URL', () => {
    const body = `<p>${'A sentence of reporting, long enough to count. '.repeat(4)}</p>`;
    const withMeta = `<html><head><meta property="article:published_time" content="2023-11-02T14:00:00Z"></head><body>${body}</body></html>`;
    expect(extractArticle(withMeta, 'https://e.example/a').publishedAt).toBe('2023-11-02T14:00:00Z');
    expect(extractArticle(`<html><body>${body}</body></html>`, 'https://e.example/2022/07/09/story').publishedAt).toBe(
      '2022-07-09T00:00:00Z',
    );
  });

  it('gives an empty article, not an error, for garbage and empty input', () => {
    expect(extractArticle('', 'https://e.example/').wordCount).toBe(0);
    const garbage = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 256)).toString('latin1');
    expect(() => extractArticle(garbage, 'https://e.example/')).not.toThrow();
    expect(() => extractArticle('<div>'.repeat(10_000), 'https://e.example/')).not.toThrow();
  });
});

describe('languages written without spaces', () => {
  it('counts Japanese text as words and keeps its paragraphs', () => {
    const html =
      '<html lang="ja"><body><article><h1>北京で外相会談</h1><p>ロシアの外相は火曜日、北京で中国の外相と会談した。</p></article></body></html>';
    const a = extractArticle(html, 'https://e.example/ja');
    expect(a.body).toBe('ロシアの外相は火曜日、北京で中国の外相と会談した。');
    expect(a.wordCount).toBeGreaterThan(8);
  });
});

describe('decoding', () => {
  it('decodes a windows-1251 page declared only in <meta charset>', () => {
    const html = decodeHtml(fixture('windows-1251.html'), 'text/html');
    const a = extractArticle(html, 'https://e.example/ru');
    expect(a.title).toBe('Переговоры в Пекине');
    expect(a.body).toContain('Министр иностранных дел России');
  });

  it('lets the Content-Type charset win over the default', () => {
    const bytes = Buffer.from('<p>Привет</p>', 'utf8');
    expect(decodeHtml(bytes, 'text/html; charset=utf-8')).toContain('Привет');
  });

  it('reads UTF-8 as the WHATWG decoder does: BOM dropped, malformed bytes replaced, text intact', () => {
    const utf8 = (s: string) => Buffer.from(s, 'utf8');
    const page = '<meta charset="utf-8"><p>Xi “met” Lavrov — in 北京, café 😀</p>';
    expect(decodeHtml(utf8(page), 'text/html')).toBe(page);
    expect(decodeHtml(utf8('<p>plain ascii</p>'), 'text/html; charset=utf-8')).toBe('<p>plain ascii</p>');
    expect(decodeHtml(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8(page)]), 'text/html')).toBe(page);
    // a lone lead byte, a surrogate encoded in UTF-8, a truncated sequence at the end
    const broken = Buffer.concat([
      utf8('<p>a'),
      Buffer.from([0xc3]),
      utf8('b'),
      Buffer.from([0xed, 0xa0, 0x80]),
      utf8('c'),
      Buffer.from([0xe2, 0x80]),
    ]);
    expect(decodeHtml(broken, 'text/html; charset=utf-8')).toBe('<p>a\uFFFDb\uFFFD\uFFFD\uFFFDc\uFFFD');
    // declared windows-1252: bytes above 0x7F are its characters, not UTF-8
    expect(decodeHtml(Buffer.from([0x3c, 0x70, 0x3e, 0x93, 0x41, 0x94]), 'text/html; charset=windows-1252')).toBe('<p>“A”');
  });
});

// readHtml lets a page's tree go once it has been read: cheerio's loaded API stays reachable from
// the old generation, so a tree left under its root is copied out of the young one (bench:pipeline).
describe('readHtml', () => {
  const page = '<html><body><h1>Tram line opens</h1><p>The first car left at dawn.</p></body></html>';

  it('returns what the reader returns, then empties the root', () => {
    let kept: Document | undefined;
    const title = readHtml(page, ($) => {
      kept = $;
      return $('h1').text();
    });
    expect(title).toBe('Tram line opens');
    expect(kept!.root()[0]!.children).toEqual([]);
    expect(kept!('p')).toHaveLength(0);
  });

  it('empties the root when the reader throws, and passes the error on', () => {
    let kept: Document | undefined;
    expect(() =>
      readHtml(page, ($) => {
        kept = $;
        expect($('p')).toHaveLength(1);
        throw new Error('reader failed');
      }),
    ).toThrow('reader failed');
    expect(kept!.root()[0]!.children).toEqual([]);
  });
});

describe('titles', () => {
  const page = (title: string, h1: string) =>
    `<html><head><meta property="og:title" content="${title}"><meta property="og:site_name" content="Valley Courier"></head>
    <body><article><h1>${h1}</h1><p>${'The council approved the budget after a long debate on Tuesday evening. '.repeat(4)}</p></article></body></html>`;

  it('keeps hyphenated words whole while dropping the site name', () => {
    expect(
      extractArticle(page('Grants of 11 million US-Dollar approved - Valley Courier', 'Grants approved'), 'https://courier.example/a')
        .title,
    ).toBe('Grants of 11 million US-Dollar approved');
  });

  it('drops a section or date tail the page’s own headline does not show', () => {
    expect(
      extractArticle(
        page('Budget passes after long debate | Politics | 28.04.2023', 'Budget passes after long debate'),
        'https://courier.example/a',
      ).title,
    ).toBe('Budget passes after long debate');
    expect(extractArticle(page('Budget passes after long debate | Politics', 'Council news'), 'https://courier.example/a').title).toBe(
      'Budget passes after long debate | Politics',
    );
  });
});

describe('dates and authors', () => {
  it('normalises dates with their zone', () => {
    expect(normalizeDate('2024-06-20T10:05:00+0200')).toBe('2024-06-20T10:05:00+02:00');
    expect(normalizeDate('2024-06-20 10:05')).toBe('2024-06-20T10:05:00Z');
    expect(normalizeDate('June 20, 2024')).toBe('2024-06-20T00:00:00Z');
    expect(normalizeDate('2024-02-30')).toBeNull();
    expect(normalizeDate('yesterday')).toBeNull();
    expect(dateFromUrl('https://x.example/2021/13/01/a')).toBeNull();
  });

  it('reads date lines in the languages it tags: month names, year-month-day in CJK, day.month.year', () => {
    const lines: Array<[string, string | null]> = [
      ['Aktualisiert am 5. Dezember 2024, 14:03 Uhr', '2024-12-05'],
      ['3. März 2025', '2025-03-03'],
      ['Publié le 1er décembre 2024 à 10h', '2024-12-01'],
      ['le 5 déc. 2024', '2024-12-05'],
      ['5 de diciembre de 2024', '2024-12-05'],
      ['5 DICEMBRE 2024', '2024-12-05'],
      ['5 декабря 2024 г., 14:03', '2024-12-05'],
      ['Опубліковано 5 грудня 2024', '2024-12-05'],
      ['2024年12月5日 10:30', '2024-12-05'],
      ['2024년 12월 5일', '2024-12-05'],
      ['05.12.2024 | 14:30', '2024-12-05'],
      ['zaterdag 7 december 2024', '2024-12-07'],
      // Not dates: an impossible day, a month name inside another word, a dotted run longer than a date.
      ['31 de setembro de 2024', null],
      ['5 марками 2024', null],
      ['Top 5 out of 2024', null],
      ['10.12.2024.5', null],
      ['2024年13月5日', null],
    ];
    for (const [line, day] of lines) expect(normalizeDate(line), line).toBe(day && `${day}T00:00:00Z`);
  });

  it('reads a German date line on a page that declares no machine-readable date', () => {
    const page = `<html lang="de"><body><article><h1>Hafen erneuert Kräne</h1><p class="date">5. Dezember 2024</p>
      <p>${'Der Hafen hat am Wochenende seine vier ältesten Kräne ersetzt, wie die Betreiber mitteilten. '.repeat(4)}</p></article></body></html>`;
    expect(extractArticle(page, 'https://hafen.example/kraene').publishedAt).toBe('2024-12-05T00:00:00Z');
  });

  it('cleans bylines into names', () => {
    expect(cleanAuthors(['By Jane Doe and John Roe, Staff Writer'], null)).toEqual(['Jane Doe', 'John Roe']);
    expect(cleanAuthors(['Globe Dispatch', 'jane@example.org'], 'Globe Dispatch')).toEqual([]);
  });

  it('reads the itemprop="name" inside an itemprop="author" element, not the whole element', () => {
    const story = `<p>${'The talks in Beijing went on for hours and ended without a statement from either side. '.repeat(4)}</p>`;
    const page = (author: string) => `<html><body><article><h1>Talks end</h1>${author}${story}</article></body></html>`;
    const named = '<div itemprop="author"><span itemprop="name">Lena Park</span> <span class="role">Beijing correspondent</span></div>';
    expect(extractArticle(page(named), 'https://x.example/a').authors).toEqual(['Lena Park']);
    expect(
      extractArticle(page(`<div itemprop="author">${'<div>'.repeat(3_000)}<b itemprop="name">Lena Park</b></div>`), 'https://x.example/a')
        .authors,
    ).toEqual(['Lena Park']);
  });

  it('drops share links and form labels that sit in byline boxes', () => {
    expect(cleanAuthors(['Maria OkonkwoTwitter', 'Twitter Facebook', 'Name *'], null)).toEqual(['Maria Okonkwo']);
  });

  it('reads every author meta a page repeats, and the fuller of several article JSON-LD nodes', () => {
    const metas = `<html><head><meta name="author" content="Harbour Gazette"><meta name="author" content="한소라 기자"><meta property="og:site_name" content="Harbour Gazette"></head>
      <body><article><h1>Port strike ends</h1><p>${'Dock workers returned on Monday after a deal on shift pay was reached. '.repeat(4)}</p></article></body></html>`;
    expect(extractArticle(metas, 'https://gazette.example/strike').authors).toEqual(['한소라']);
    const twoNodes = `<html><head><script type="application/ld+json">{"@type":"ReportageNewsArticle","url":"https://gazette.example/x"}</script>
      <script type="application/ld+json">{"@type":"ReportageNewsArticle","headline":"Port strike ends","datePublished":"2024-05-06T08:00:00+02:00","author":{"@type":"Person","name":"Ilse Brandt"}}</script></head>
      <body><article><h1>Port strike ends</h1><p>${'Dock workers returned on Monday after a deal on shift pay was reached. '.repeat(4)}</p></article></body></html>`;
    expect(extractArticle(twoNodes, 'https://gazette.example/strike')).toMatchObject({
      authors: ['Ilse Brandt'],
      publishedAt: '2024-05-06T08:00:00+02:00',
    });
  });

  it('splits names only at whole words, in any script, and reads "Last, First" Dublin Core names', () => {
    expect(cleanAuthors(['Laura Eßlinger und Åsa Berg'], null)).toEqual(['Laura Eßlinger', 'Åsa Berg']);
    const page = `<html><head><meta name="dc.creator" content="Okafor, Lena"><meta name="dc.creator" content="Brook, Daniel"></head>
      <body><article><h1>Grain deal extended</h1><p>${'Ships will keep sailing through the corridor for another four months. '.repeat(4)}</p></article></body></html>`;
    expect(extractArticle(page, 'https://gazette.example/grain').authors).toEqual(['Lena Okafor', 'Daniel Brook']);
  });

  it('keeps datelines, picture credits and the site’s own desk out of the authors', () => {
    expect(cleanAuthors(['Von Anna Sleegers, Frankfurt'], null)).toEqual(['Anna Sleegers']);
    expect(cleanAuthors(['(Image: Getty Images/iStockphoto)', 'Emma Stone'], null)).toEqual(['Emma Stone']);
    expect(cleanAuthors(['Harbour Gazette Weekend', 'HG', 'Ilse Brandt'], 'Harbour Gazette')).toEqual([
      'Harbour Gazette Weekend',
      'Ilse Brandt',
    ]);
    expect(cleanAuthors(['hgazette.example, Kiel, Germany'], null)).toEqual([]);
    expect(cleanAuthors(['Ilse Brandt, Professorin, Hgazette.example'], null)).toEqual(['Ilse Brandt']);
  });

  it('reads the byline of the story, not of teaser cards, comments or a box heading', () => {
    const body = 'Dock workers returned on Monday after a deal on shift pay was reached. '.repeat(4);
    const page = `<html><body><main><article><h1>Port strike ends</h1>
      <div class="author-box"><h2 class="author-title">About the author</h2><span class="author-name">Ilse Brandt</span> Follow</div>
      <p>${body}</p></article>
      <section class="comments"><span class="comment-author">Kaffeetrinker Eins</span><form><label class="author">Your name here</label></form></section>
      <article class="card"><h3>Ferry timetable changes</h3><span class="byline">By Jonas Weber</span></article></main></body></html>`;
    expect(extractArticle(page, 'https://gazette.example/strike').authors).toEqual(['Ilse Brandt']);
  });

  it('reads a by-line shown under the headline when no metadata names an author', () => {
    const body = `<p>${'Dock workers returned on Monday after a deal on shift pay was reached. '.repeat(4)}</p>`;
    const page = (line: string) =>
      `<html><body><article><h1>Port strike ends</h1><p class="meta">${line}</p>${body}</article></body></html>`;
    expect(
      extractArticle(
        page('By Ilse Brandt and Jonas Weber, in <a href="/news">News</a>, <a href="/port">Port</a> · 31 Jan 2025'),
        'https://gazette.example/a',
      ).authors,
    ).toEqual(['Ilse Brandt', 'Jonas Weber']);
    expect(extractArticle(page('Von Ilse Brandt | 31.01.2025'), 'https://gazette.example/a').authors).toEqual(['Ilse Brandt']);
    expect(extractArticle(page('by <span>Ilse Brandt</span><span>November 24, 2025</span>'), 'https://gazette.example/a').authors).toEqual([
      'Ilse Brandt',
    ]);
    expect(extractArticle(page('Von Dr. Ilse Brandt 31.01.2025'), 'https://gazette.example/a').authors).toEqual(['Dr. Ilse Brandt']);
    expect(extractArticle(page('Posted 31 Jan 2025 in News'), 'https://gazette.example/a').authors).toEqual([]);
  });

  it('reads a labelled author field, and a byline naming more people than the metadata', () => {
    const body = `<p>${'Dock workers returned on Monday after a deal on shift pay was reached. '.repeat(4)}</p>`;
    const labelled = `<html><head><meta name="author" content="Harbour Gazette (www.gazette.example)"></head><body><article><h1>Port strike ends</h1>${body}
      <ul class="details"><li><strong>Date</strong> 28.04.2023</li><li><strong>Autorin/Autor</strong> Ilse Brandt</li></ul></article></body></html>`;
    expect(extractArticle(labelled, 'https://gazette.example/a').authors).toEqual(['Ilse Brandt']);
    const both = `<html><head><meta name="author" content="Jonas Weber"></head><body><article><h1>Port strike ends</h1>
      <div class="bylines"><div class="byline">Ilse Brandt</div><div class="byline">Jonas Weber</div></div>${body}</article></body></html>`;
    expect(extractArticle(both, 'https://gazette.example/a').authors).toEqual(['Ilse Brandt', 'Jonas Weber']);
  });

  it('reads a story signed in its own paragraph, before the first or after the last paragraph of prose', () => {
    const prose = `<p>${'Dock workers returned on Monday after a deal on shift pay was reached. '.repeat(3)}</p>`;
    const page = (inner: string) =>
      `<html><head><meta property="og:site_name" content="Harbour Gazette"></head><body><article><h1>Port strike ends</h1>${inner}</article></body></html>`;
    expect(extractArticle(page(`<p><strong>Ilse Brandt</strong></p>${prose}${prose}`), 'https://gazette.example/a').authors).toEqual([
      'Ilse Brandt',
    ]);
    expect(extractArticle(page(`${prose}${prose}<p><em>Jonas Weber</em></p>`), 'https://gazette.example/a').authors).toEqual([
      'Jonas Weber',
    ]);
    // A bold subheading between paragraphs is not a signature, nor is a bold sentence.
    expect(
      extractArticle(
        page(`${prose}<p><strong>What Comes Next</strong></p>${prose}<p><b>Did you like this article?</b></p>`),
        'https://gazette.example/a',
      ).authors,
    ).toEqual([]);
  });

  it('credits the publication when the page names no person as author', () => {
    const page = (author: string) =>
      `<html><head><meta property="og:site_name" content="Harbour Gazette"><script type="application/ld+json">
      {"@type":"NewsArticle","headline":"Ferry timetable changes","author":${author}}</script></head>
      <body><article><h1>Ferry timetable changes</h1><p>${'The winter timetable starts next week with fewer crossings. '.repeat(4)}</p></article></body></html>`;
    expect(extractArticle(page('{"@type":"Organization","name":"Harbour Gazette"}'), 'https://gazette.example/ferry').authors).toEqual([
      'Harbour Gazette',
    ]);
    expect(
      extractArticle(
        page('[{"@type":"Person","name":"Ilse Brandt"},{"@type":"Organization","name":"Harbour Gazette"}]'),
        'https://gazette.example/ferry',
      ).authors,
    ).toEqual(['Ilse Brandt']);
  });
});

describe('page index', () => {
  it('collects the byline and author-property elements the selectors would, in document order', () => {
    const html = `<html><head><link rel="AUTHOR" href="/jane"><meta itemprop="author" content="Jane Doe"></head><body>
      <div class="Byline">not matched: class values keep their case</div>
      <article><span class="post-author"><a rel="author" href="/a">Jane Doe</a></span>
      <p class="bylines">By Ann Lee</p><div itemprop="Author">no</div><span itemprop="author"><b class="author-name">Ann</b></span></article>
      <script class="author-data">{}</script></body></html>`;
    readHtml(html, ($) => {
      const page = indexPage($.root()[0] as never);
      expect(page.bylineBoxes).toEqual($('[rel="author"], [class*="byline"], [class*="author"]').get());
      expect(page.authorProps).toEqual($('[itemprop="author"]').get());
      expect(page.bylineBoxes.map((el) => el.name)).toEqual(['link', 'span', 'a', 'p', 'b', 'script']);
    });
  });

  it('collects the label-like elements and paragraphs the selectors would, in document order', () => {
    const html = `<html><body><dl><dt>Author</dt><dd><span>Ann Lee</span></dd></dl><table><tr><th>By</th><td><label>x</label></td></tr></table>
      <p><strong>Jane Doe</strong></p><noscript><p><b>hidden</b></p></noscript><div><p>one<p>two <span>s</span></div>
      <template><span>t</span></template><svg><title>icon</title></svg><script>var p = '<p><b>not markup</b></p>';</script></body></html>`;
    readHtml(html, ($) => {
      const page = indexPage($.root()[0] as never);
      expect(page.labels).toEqual($('strong, b, dt, th, label, span').get());
      expect(page.paragraphs).toEqual($('p').get());
      expect(page.labels.map((el) => el.name)).toEqual(['dt', 'span', 'th', 'label', 'strong', 'b', 'span', 'span']);
    });
  });
});

describe('bounded text', () => {
  it('is the text of a subtree within the bound, and null past it', () => {
    readHtml(`<div id="a"><b>Jane</b> <i>Doe</i></div><div id="b">${'<span>'.repeat(2_000)}x</div>`, ($) => {
      const small = $('#a')[0]!;
      // div, b, "Jane", " ", i, "Doe": six nodes.
      expect(textWithin(small, 6)).toBe(textOf(small));
      expect(textWithin(small, 6)).toBe('Jane Doe');
      expect(textWithin(small, 5)).toBeNull();
      expect(textWithin($('#b')[0]!, 1_000)).toBeNull();
    });
  });
});

describe('collapsed length', () => {
  it('is the length of the collapsed text, for every character JavaScript counts as whitespace', () => {
    const spaces = [...Array(0x10000).keys()].map((c) => String.fromCharCode(c)).filter((c) => /\s/.test(c));
    const samples = [
      '',
      ' ',
      'word',
      '  two  words ',
      '\u00a0non\u2009breaking\u3000spaces\ufeff',
      'tab\tand\nnewline\r\n',
      ...spaces.map((s) => `${s}a${s}${s}b${s}`),
    ];
    for (let seed = 1; seed <= 500; seed++) {
      let x = seed;
      const next = () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) % 1000) / 1000;
      samples.push(
        Array.from({ length: 20 }, () =>
          next() < 0.4 ? spaces[Math.floor(next() * spaces.length)]! : 'xé漢'[Math.floor(next() * 3)]!,
        ).join(''),
      );
    }
    for (const s of samples) expect(collapsedLength(s), JSON.stringify(s)).toBe(collapse(s).length);
  });
});

describe("extractArticle under a real news page's weight of furniture", () => {
  it('finds the same story, byline and date in a 170 KB page as in the bare one', () => {
    for (let i = 0; i < 12; i++) {
      const light = syntheticArticle(i);
      const full = syntheticArticle(i, { furniture: 'full' });
      expect(full.html.length).toBeGreaterThan(120_000);
      // Script, style and SVG are most of it, as on real pages; menus, cards, ads and a consent dialog the rest.
      const inline = (full.html.match(/<(script|style|svg)\b[\s\S]*?<\/\1>/g) ?? []).join('').length;
      expect(inline / full.html.length).toBeGreaterThan(0.5);
      const url = `https://courier.example${light.path}`;
      const bare = extractArticle(light.html, url);
      const heavy = extractArticle(full.html, url);
      expect(heavy.title).toBe(light.title);
      expect(heavy.body).toBe(bare.body);
      expect(heavy.body).not.toMatch(/More on this story|Most read|Your privacy|Advertisement|Accept all/);
      expect([heavy.authors, heavy.publishedAt]).toEqual([bare.authors, bare.publishedAt]);
    }
  });
});
