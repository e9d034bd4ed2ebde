// html-tree must build the tree htmlparser2 builds (the tree cheerio, the page index and the body
// extractor were written against), node for node: the same names, attributes in the same order,
// the same text and comments, the same parents and siblings — on whole pages, on each odd
// construct, on seeded random markup, and on markup cut off at every length.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseDocument as htmlparser2 } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/shared/extract/html-tree/parse-document.js';
import { rng } from '../fixtures/page-furniture.js';
import { syntheticArticle } from '../fixtures/synthetic-news.js';
import { treeShape } from '../helpers/tree-shape.js';

const expectSameTree = (html: string) =>
  expect(treeShape(parseDocument(html)), JSON.stringify(html.length > 300 ? `${html.slice(0, 300)}…` : html)).toEqual(
    treeShape(htmlparser2(html, { decodeEntities: true })),
  );

/** Each a construct where HTML parsers part ways; htmlparser2's reading of it is what counts. */
const ODD = [
  // implied closes, stray and void end tags
  '<p>one<p>two<div>three</p>four',
  '<ul><li>a<li>b</ul><table><tr><td>1<td>2<tr><td>3</table>',
  'a</p>b</br>c</img>d',
  '<select><option>a<option>b<optgroup><option>c</select><input><button>x</button>',
  '<dl><dt>t<dd>d<dt>u</dl>',
  '<head><link rel=x><script>s</script><body>b',
  '<div><span>x</div>y</span>',
  '</div></p></p>',
  // attributes: quoting, duplicates, odd names, entities, no value
  '<a href=/x/ class = "b c" CLASS=d data-x=\'q"q\' checked id=>t</a>',
  '<a =b c=d=e f="&amp;&lt&ampx&amp=&notit;&#x26;">',
  '<img src="a.jpg"alt=b/><br/><hr / >',
  '<div __proto__="x" constructor="y" toString=z>',
  '<p title="unterminated>text',
  '<a b="1" b="2" B="3">',
  '<a b="&notin" c=&timesb d=\'&notin\'>&notin &timesb',
  '<x-y:z Foo.Bar="1">',
  '<div\tclass\n=\r"a"\f>',
  '<a href="x" / title="y">t</a>',
  // raw text: script, style, title, textarea, xmp and names that only look like them
  '<script>if (a<b && c</d) x("</scr" + "ipt>")</script>after',
  '<SCRIPT type="application/ld+json">{"a":"&amp;"}</Script >x',
  '<style>p>a{}</style><title>A &amp; B &lt;c&gt; </ti&amp; <&amp;</title>',
  '<textarea><b>&amp;</textarea>',
  '<xmp><i></xmp>',
  '<scripts>x</scripts><styles><titles>',
  '<tmp>x</tmp><xitle>y &amp;</xitle>',
  '<script/>x<p>y</p></script>',
  '<script/ a>x</script>',
  '<script>a<<</script>b',
  '<script>a<</script>b',
  '<script>a</script/>b</script>c',
  '<title>a\u001c/title>b</title>',
  '<script></script\n>x',
  // foreign content: self-closing only means something inside svg and math
  '<svg><path d="M0"/><g/><title>t</title><desc><p/></desc></svg><p/>x',
  '<svg/><div/>y',
  '<math><mi/></math><br/>',
  '</svg><p/>z',
  '<svg><g/></svg><p/>x',
  '<svg><img/>a</svg>',
  // comments, CDATA, declarations, processing instructions, bogus comments
  '<!DOCTYPE html><!-- a -- b --><!---->x<!-->y<!--->z',
  '<![CDATA[x]]y]]>z',
  '<![cdata[x]]>y',
  '<!x>a<!>b>c<!->d>e',
  '<?xml version="1.0"?><?PHP echo 1 ?>',
  '</3 x>y</ >z</>w</\nq>',
  '<!--a--!>b-->c',
  '<!--->-->x',
  // '<' that starts nothing, entities in text
  'a < b <3 <<p>x</p> &amp; &copy &notin; &#8212; &#x1F600; &bogus; &',
  'x&lt<y',
  '\u00e9&eacute;\u4e2d\u6587&nbsp;',
  // unfinished at the end
  'a<',
  'a</',
  'a</ ',
  'a</p',
  'a</p ',
  'a</p x',
  'a<p',
  'a<p ',
  'a<p x',
  'a<p x=',
  'a<p x="1',
  'a<p x=1',
  'a<p /',
  'a<s',
  'a<sc',
  'a<scr',
  'a<script',
  'a<scripx',
  'a<t',
  'a<xm',
  'a<script>b',
  'a<script>b</scr',
  'a<title>b &amp c',
  'a<!',
  'a<!-',
  'a<!x',
  'a<![CD',
  'a<!--b',
  'a<![CDATA[b',
  'a<?x',
  'a</3',
  'a&amp',
  'a&#x4',
  'a<p>b&am',
];

/** Random markup from the pieces that steer a tokenizer, seeded so a failure can be replayed. */
function randomMarkup(next: () => number): string {
  const pieces = [
    '<',
    '>',
    '</',
    '/',
    '/>',
    '<!--',
    '-->',
    '-',
    '<!',
    '<![CDATA[',
    ']]>',
    '<?',
    '&',
    '&amp',
    '&amp;',
    '&lt',
    '&#60;',
    '&#x3c',
    '&notit;',
    '&eacute',
    ' ',
    '\n',
    '=',
    '"',
    "'",
    'a',
    'p',
    'br',
    'div',
    'script',
    'style',
    'title',
    'textarea',
    'xmp',
    'svg',
    'math',
    'path',
    'desc',
    'tr',
    'td',
    'li',
    'body',
    'head',
    'img',
    'select',
    'option',
    'class',
    'x',
    'S',
    'T',
    'Script',
    '\u001c',
    '0',
    ';',
    'é',
    '中',
  ];
  let out = '';
  const length = 1 + Math.floor(next() * 60);
  for (let k = 0; k < length; k++) out += pieces[Math.floor(next() * pieces.length)];
  return out;
}

const require = createRequire(import.meta.url);
/** The version of `pkg` as resolved from `from` (its entry point's nearest package.json of that name). */
function versionOf(pkg: string, from?: string): string {
  let dir = path.dirname(require.resolve(pkg, from ? { paths: [from] } : undefined));
  for (;;) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file)) {
      const json = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version: string };
      if (json.name === pkg) return json.version;
    }
    if (path.dirname(dir) === dir) throw new Error(`no package.json for ${pkg}`);
    dir = path.dirname(dir);
  }
}

describe('html-tree builds the tree htmlparser2 builds', () => {
  it('is held to the htmlparser2 that cheerio resolves', () => {
    const cheerioDir = path.dirname(require.resolve('cheerio'));
    expect(versionOf('htmlparser2')).toBe(versionOf('htmlparser2', cheerioDir));
  });

  it('on the fixture pages and on synthetic pages with light and real-sized furniture', () => {
    for (const file of ['summit-story.html', 'windows-1251.html']) {
      expectSameTree(readFileSync(new URL(`../fixtures/pages/${file}`, import.meta.url), 'latin1'));
    }
    for (let i = 0; i < 6; i++) expectSameTree(syntheticArticle(i, { furniture: i % 2 === 0 ? 'light' : 'full' }).html);
  });

  it.each(ODD.map((html) => [html]))('on %j', (html) => expectSameTree(html));

  it('on 4,000 documents of seeded random markup', () => {
    const next = rng(20261201);
    for (let k = 0; k < 4_000; k++) expectSameTree(randomMarkup(next));
  });

  it('on more distinct tag and attribute names than its name cache holds', () => {
    const tags = Array.from({ length: 6_000 }, (_, k) => `<x${k.toString(36)} D${k.toString(36)}=1 data-${(k * 7).toString(36)}>`);
    expectSameTree(tags.join(''));
  });

  it('on markup cut off at every length', () => {
    const whole = ODD.filter((html) => html.length > 20).join('') + syntheticArticle(3).html.slice(0, 3_000);
    for (let end = 0; end <= whole.length; end++) expectSameTree(whole.slice(0, end));
  });
});
