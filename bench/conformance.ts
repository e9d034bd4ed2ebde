// npm run bench:conformance -- --data ../shared/data/conformance
// newsline's feed and sitemap readers against other projects' test material: for rss-parser's
// feeds, how many of the items rss-parser reads newsline reads with the same link, title and date;
// for crawler-commons' sitemaps, what each file yields. Prints a table, writes bench-results/.
import { isUtf8 } from 'node:buffer';
import fs from 'node:fs';
import path from 'node:path';
import { parseSourceDocument } from '../src/shared/sources/parse-source.js';
import { parseArgs, requireDir } from './lib/cli-args.js';
import { machine, markdownTable, table, updateBenchmarksDoc, writeJson } from './lib/report.js';

const args = parseArgs(process.argv.slice(2));
const data = requireDir(args, 'data', 'npm run bench:conformance -- --data ../shared/data/conformance');

interface Expected {
  link?: string;
  title?: string;
  isoDate?: string;
}

const sameUrl = (a: string | undefined, b: string | undefined) => {
  if (!a || !b) return a === b;
  try {
    return new URL(a).href === new URL(b.trim()).href;
  } catch {
    return a === b;
  }
};
const sameText = (a: string | undefined, b: string | undefined) =>
  (a ?? '').replace(/\s+/g, ' ').trim() === (b ?? '').replace(/\s+/g, ' ').trim();
// rss-parser's isoDate carries a millisecond or two of its own rounding; dates are compared to the second.
const sameInstant = (a: string | undefined, b: string | undefined) =>
  !a || !b ? !a && !b : Math.floor(Date.parse(a) / 1_000) === Math.floor(Date.parse(b) / 1_000);
/** rss-parser's markup in titles is compared as text, as newsline keeps titles. */
const asText = (s: string | undefined) => s?.replace(/<[^>]+>/g, ' ');

const feedRows: Array<Array<string | number>> = [['feed', 'items', 'links', 'titles', 'dates']];
const totals = { items: 0, links: 0, titles: 0, dates: 0 };
const disagreements: string[] = [];
const feedsDir = path.join(data, 'rss-parser');
for (const file of fs.readdirSync(path.join(feedsDir, 'input')).sort()) {
  const outFile = path.join(feedsDir, 'output', file.replace(/\.[a-z]+$/, '.json'));
  if (!fs.existsSync(outFile)) continue;
  const raw = fs.readFileSync(outFile);
  const expected = (
    (JSON.parse(raw.toString(isUtf8(raw) ? 'utf8' : 'latin1')) as { feed: { items?: Expected[] } }).feed.items ?? []
  ).filter((i) => i.link);
  if (expected.length === 0) continue;
  const doc = parseSourceDocument(fs.readFileSync(path.join(feedsDir, 'input', file)), 'application/xml', 'https://feeds.example/feed');
  const row = { links: 0, titles: 0, dates: 0 };
  expected.forEach((e, i) => {
    const got = doc.entries[i];
    // rss-parser leaves relative links as they are; newsline resolves them against the feed's URL.
    if (sameUrl(got?.url, e.link) || sameUrl(got?.url, new URL(e.link!.trim(), 'https://feeds.example/feed').href)) row.links++;
    else disagreements.push(`${file} #${i} link: ${got?.url} ≠ ${e.link}`);
    if (sameText(got?.title, asText(e.title))) row.titles++;
    else disagreements.push(`${file} #${i} title: ${JSON.stringify(got?.title)} ≠ ${JSON.stringify(e.title)}`);
    if (sameInstant(got?.publishedAt, e.isoDate)) row.dates++;
    else disagreements.push(`${file} #${i} date: ${got?.publishedAt} ≠ ${e.isoDate}`);
  });
  totals.items += expected.length;
  totals.links += row.links;
  totals.titles += row.titles;
  totals.dates += row.dates;
  feedRows.push([file, expected.length, row.links, row.titles, row.dates]);
}
feedRows.push(['all', totals.items, totals.links, totals.titles, totals.dates]);

const mapRows: Array<Array<string | number>> = [['sitemap', 'kind', 'URLs', 'sitemaps listed', 'complete']];
const mapsDir = path.join(data, 'crawler-commons-sitemaps', 'resources', 'sitemaps');
for (const file of fs.readdirSync(mapsDir).sort()) {
  const full = path.join(mapsDir, file);
  if (!fs.statSync(full).isFile()) continue;
  const type = file.endsWith('.txt') || file.endsWith('.txt.gz') ? 'text/plain' : 'application/xml';
  const doc = parseSourceDocument(fs.readFileSync(full), type, `https://www.example.com/${file}`);
  mapRows.push([file, doc.kind, doc.entries.length, doc.sitemaps.length, doc.complete ? 'yes' : 'no']);
}

console.log(`Machine: ${machine()}\n`);
console.log('rss-parser feeds: items rss-parser reads, and how many newsline reads the same (link, title, date)');
console.log(table(feedRows));
console.log('\ncrawler-commons sitemaps: what newsline reads from each file');
console.log(table(mapRows));
if (disagreements.length > 0) console.log(`\nDisagreements (${disagreements.length}):\n${disagreements.slice(0, 60).join('\n')}`);
const file = writeJson('conformance', { machine: machine(), feeds: feedRows, sitemaps: mapRows, disagreements });
console.log(`\nJSON: ${file}`);
updateBenchmarksDoc(
  'conformance',
  `## Feeds and sitemaps against other projects' material (\`npm run bench:conformance -- --data ../shared/data/conformance\`)

Machine: ${machine()}.

${markdownTable(feedRows)}

${markdownTable(mapRows)}`,
);
