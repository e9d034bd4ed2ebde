// npm run bench:extract -- --data ../shared/data/extraction [--split all|train|test] [--no-readability]
//
// scrapinghub article-extraction-benchmark (body, 4-token shingle F1) and the Fundus fixtures
// (title, authors, published date, body), for newsline and @mozilla/readability + linkedom on the
// same pages in the same run; and newsline's parser (html-tree) against htmlparser2 on every page:
// the same tree, and the time each takes. Pages are split by sorted id into halves (train = even positions,
// test = odd) so tuning on one half can be checked on the other.
import fs from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import zlib from 'node:zlib';
import { Readability } from '@mozilla/readability';
import { parseDocument as htmlparser2 } from 'htmlparser2';
import { parseHTML } from 'linkedom';
import { extractArticle } from '../src/shared/extract/extract-article.js';
import { readHtml } from '../src/shared/extract/html.js';
import { decodeHtml } from '../src/shared/text/decode.js';
import { parseDocument } from '../src/shared/extract/html-tree/parse-document.js';
import { treeShape } from '../tests/helpers/tree-shape.js';
import { unescapeValue } from '../src/shared/extract/page-index.js';
import { parseArgs, requireDir } from './lib/cli-args.js';
import { fmt, machine, markdownTable, median, table, updateBenchmarksDoc, writeJson } from './lib/report.js';
import { corpusScore, scorePage, type PageScore } from './lib/shingle-metric.js';

interface Extracted {
  title: string | null;
  authors: string[];
  publishedAt: string | null;
  body: string;
}

type Extractor = (html: string, url: string) => Extracted;

const extractors: Record<string, Extractor> = {
  newsline: (html, url) => extractArticle(html, url),
  readability: (html) => {
    const { document } = parseHTML(html);
    const parsed = new Readability(document as never).parse();
    return {
      title: parsed?.title ?? null,
      authors: parsed?.byline
        ? parsed.byline
            .replace(/^by\s+/i, '')
            .split(/\s*(?:,|\band\b|&)\s*/i)
            .filter(Boolean)
        : [],
      publishedAt: parsed?.publishedTime ?? null,
      body: (parsed?.textContent ?? '').trim(),
    };
  },
};

const args = parseArgs(process.argv.slice(2));
const dataDir = requireDir(args, 'data', 'npm run bench:extract -- --data ../shared/data/extraction [--split all|train|test]');
const split = args.get('split') ?? 'all';
const names = args.get('no-readability') ? ['newsline'] : ['newsline', 'readability'];

function inSplit<T>(items: T[]): T[] {
  if (split === 'all') return items;
  return items.filter((_, i) => (split === 'train' ? i % 2 === 0 : i % 2 === 1));
}

/** A saved page decoded as `newsline extract` and a fetch without a charset header decode it. */
function readPage(file: string): string {
  const bytes = fs.readFileSync(file);
  return decodeHtml(file.endsWith('.gz') ? zlib.gunzipSync(bytes) : bytes);
}

/** What `fn` returns, and the milliseconds it took. */
function clocked<T>(fn: () => T): { out: T; ms: number } {
  const start = process.hrtime.bigint();
  const out = fn();
  return { out, ms: Number(process.hrtime.bigint() - start) / 1e6 };
}

function timed(fn: Extractor, html: string, url: string): { out: Extracted; ms: number } {
  return clocked(() => {
    try {
      return fn(html, url);
    } catch {
      return { title: null, authors: [], publishedAt: null, body: '' };
    }
  });
}

// ---- scrapinghub ----
const shDir = path.join(dataDir, 'scrapinghub');
const truth = JSON.parse(fs.readFileSync(path.join(shDir, 'ground-truth.json'), 'utf8')) as Record<
  string,
  { articleBody: string; url: string }
>;
const shIds = inSplit(Object.keys(truth).sort());
const shResults: Record<string, { scores: PageScore[]; ms: number[]; perPage: Record<string, number> }> = {};
for (const name of names) shResults[name] = { scores: [], ms: [], perPage: {} };
// Warm-up: both extractors run over the first pages once before anything is timed, so the
// medians are steady-state costs, not the JIT compiling either of them.
for (const id of shIds.slice(0, 20)) {
  const html = readPage(path.join(shDir, 'html', `${id}.html.gz`));
  for (const name of names) timed(extractors[name]!, html, truth[id]!.url);
}
for (const id of shIds) {
  const html = readPage(path.join(shDir, 'html', `${id}.html.gz`));
  for (const name of names) {
    const { out, ms } = timed(extractors[name]!, html, truth[id]!.url);
    const score = scorePage(out.body, truth[id]!.articleBody);
    shResults[name]!.scores.push(score);
    shResults[name]!.ms.push(ms);
    const p = score.tp + score.fp ? score.tp / (score.tp + score.fp) : 0;
    const r = score.tp + score.fn ? score.tp / (score.tp + score.fn) : 1;
    shResults[name]!.perPage[id] = p + r ? (2 * p * r) / (p + r) : 0;
  }
}

// ---- trafilatura's evaluation pages (development half) ----
// trafilatura's metric: over every page's snippets, tp = a `with` snippet found in the text, fn = one
// missing, fp = a `without` snippet found; F = 2tp / (2tp + fp + fn). Whitespace is collapsed on
// both sides before matching. The pages come without URLs: each gets one under example.invalid.
interface SnippetTruth {
  file: string;
  with: string[];
  without: string[];
}
interface SnippetCounts {
  tp: number;
  fn: number;
  fp: number;
}
const trafDir = path.join(dataDir, 'trafilatura-dev');
const trafTruth: Record<string, SnippetTruth> = fs.existsSync(path.join(trafDir, 'ground-truth.json'))
  ? JSON.parse(fs.readFileSync(path.join(trafDir, 'ground-truth.json'), 'utf8'))
  : {};
const trafIds = inSplit(Object.keys(trafTruth).sort());
const squashSpace = (s: string) => s.replace(/\s+/g, ' ').trim();
function snippetCounts(text: string, page: SnippetTruth): SnippetCounts {
  const body = squashSpace(text);
  const found = (snippet: string) => body.includes(squashSpace(snippet));
  const tp = page.with.filter(found).length;
  return { tp, fn: page.with.length - tp, fp: page.without.filter(found).length };
}
function snippetScore(counts: SnippetCounts[]): { f: number; precision: number; recall: number; pages: number } {
  const sum = counts.reduce((a, c) => ({ tp: a.tp + c.tp, fn: a.fn + c.fn, fp: a.fp + c.fp }), { tp: 0, fn: 0, fp: 0 });
  return {
    f: (2 * sum.tp) / (2 * sum.tp + sum.fp + sum.fn),
    precision: sum.tp / (sum.tp + sum.fp),
    recall: sum.tp / (sum.tp + sum.fn),
    pages: counts.length,
  };
}
const trafResults: Record<string, { counts: SnippetCounts[]; ms: number[] }> = {};
for (const name of names) trafResults[name] = { counts: [], ms: [] };
for (const id of trafIds) {
  const page = trafTruth[id]!;
  const html = readPage(path.join(trafDir, page.file));
  const url = `https://example.invalid/${encodeURIComponent(id)}`;
  for (const name of names) {
    const { out, ms } = timed(extractors[name]!, html, url);
    // The text a reader gets: the headline above the body, as trafilatura's own output has it.
    trafResults[name]!.counts.push(snippetCounts(`${out.title ?? ''}\n${out.body}`, page));
    trafResults[name]!.ms.push(ms);
  }
}

// ---- Fundus ----
interface FundusTruth {
  file: string;
  publisher: string;
  country: string;
  title: string | null;
  authors: string[] | null;
  published: string | null;
  body: string | null;
}
const fundusDir = path.join(dataDir, 'fundus');
const fundus = inSplit(
  fs
    .readFileSync(path.join(fundusDir, 'ground-truth.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as FundusTruth)
    .sort((a, b) => a.file.localeCompare(b.file)),
);

const norm = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();
const normName = (s: string) => s.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();

function setF1(predicted: string[], expected: string[]): number {
  const p = new Set(predicted.map(normName));
  const e = new Set(expected.map(normName));
  if (p.size === 0 && e.size === 0) return 1;
  let tp = 0;
  for (const x of p) if (e.has(x)) tp++;
  return tp === 0 ? 0 : (2 * tp) / (p.size + e.size);
}

/** Calendar day of an ISO/RFC 3339 time in its own offset, and in UTC. */
function days(value: string): string[] {
  const m = /^(\d{4}-\d{2}-\d{2})/.exec(value.trim());
  const out = m ? [m[1]!] : [];
  const t = Date.parse(value.replace(' ', 'T'));
  if (!Number.isNaN(t)) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

function sameDay(predicted: string | null, expected: string): boolean {
  if (!predicted) return false;
  const p = days(predicted);
  return days(expected).some((d) => p.includes(d));
}

const fundusResults: Record<string, { title: number[]; authors: number[]; date: number[]; body: PageScore[]; ms: number[] }> = {};
for (const name of names) fundusResults[name] = { title: [], authors: [], date: [], body: [], ms: [] };
const misses: Record<string, string[]> = { title: [], authors: [], date: [] };
/**
 * Where the expected titles come from: each page's title sources, raw, so the title score can be
 * read against what any fixed order of sources could reach.
 */
const TITLE_SOURCES = ['JSON-LD headline', 'og:title', 'twitter:title', '<h1>', '<title>'] as const;
const titleSources: Array<{ expected: string; values: Array<string | null> }> = [];
function titleCandidates(html: string): Array<string | null> {
  return readHtml(html, ($) => {
    let headline: string | null = null;
    $('script[type="application/ld+json"]').each((_, el) => {
      const m = /"headline"\s*:\s*("(?:[^"\\]|\\.)*")/.exec($(el).text());
      if (m && headline === null) headline = JSON.parse(m[1]!) as string;
    });
    const h1 = $('article h1').first().text() || $('h1').first().text();
    return [
      headline,
      $('meta[property="og:title"]').attr('content') ?? null,
      $('meta[name="twitter:title"]').attr('content') ?? null,
      h1,
      $('title').first().text(),
    ].map((v) => (v ? norm(unescapeValue(v)) || null : null));
  });
}

/** newsline's Fundus scores by half of the pages (sorted files, even/odd positions). */
const fundusHalves = { title: [[], []] as number[][], authors: [[], []] as number[][], date: [[], []] as number[][] };
for (const [position, page] of fundus.entries()) {
  const half = position % 2;
  const html = readPage(path.join(fundusDir, page.file));
  if (page.title) titleSources.push({ expected: norm(page.title), values: titleCandidates(html) });
  const url = `https://${page.publisher.toLowerCase()}.example/article`;
  for (const name of names) {
    const r = fundusResults[name]!;
    const { out, ms } = timed(extractors[name]!, html, url);
    r.ms.push(ms);
    if (page.title) {
      const ok = norm(out.title) === norm(page.title);
      r.title.push(ok ? 1 : 0);
      if (name === 'newsline') fundusHalves.title[half]!.push(ok ? 1 : 0);
      if (!ok && name === 'newsline') misses['title']!.push(`${page.file}: ${JSON.stringify(out.title)} ≠ ${JSON.stringify(page.title)}`);
    }
    if (page.authors) {
      const f1 = setF1(out.authors, page.authors);
      r.authors.push(f1);
      if (name === 'newsline') fundusHalves.authors[half]!.push(f1);
      if (f1 < 1 && name === 'newsline')
        misses['authors']!.push(`${page.file}: ${JSON.stringify(out.authors)} ≠ ${JSON.stringify(page.authors)}`);
    }
    if (page.published) {
      const ok = sameDay(out.publishedAt, page.published);
      r.date.push(ok ? 1 : 0);
      if (name === 'newsline') fundusHalves.date[half]!.push(ok ? 1 : 0);
      if (!ok && name === 'newsline') misses['date']!.push(`${page.file}: ${out.publishedAt} ≠ ${page.published}`);
    }
    if (page.body) r.body.push(scorePage(out.body, page.body));
  }
}

// ---- title sources ----
function permutations(xs: number[]): number[][] {
  return xs.length <= 1 ? [xs] : xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
}
const sourceMatch = TITLE_SOURCES.map((name, i) => ({
  name,
  rate: titleSources.filter((t) => t.values[i] === t.expected).length / titleSources.length,
}));
const anySource = titleSources.filter((t) => t.values.some((v) => v === t.expected)).length / titleSources.length;
const bestOrder = permutations(TITLE_SOURCES.map((_, i) => i))
  .map((order) => ({
    order,
    rate: titleSources.filter((t) => order.map((i) => t.values[i]).find((v) => v) === t.expected).length / titleSources.length,
  }))
  .sort((a, b) => b.rate - a.rate)[0]!;
const titleNote =
  `Expected Fundus titles equal, raw: ${sourceMatch.map((m) => `${m.name} ${fmt(m.rate)}`).join(', ')}; some source ${fmt(anySource)}. ` +
  `Best fixed order of raw sources: ${bestOrder.order.map((i) => TITLE_SOURCES[i]).join(' > ')} = ${fmt(bestOrder.rate)} ` +
  "(the fixtures follow each publisher's own choice between sources).";

// ---- the parser: html-tree against htmlparser2, whose tree the extractor was written against ----
const parserFiles = [...shIds.map((id) => path.join(shDir, 'html', `${id}.html.gz`)), ...fundus.map((t) => path.join(fundusDir, t.file))];
const parseMs = { 'html-tree': [] as number[], htmlparser2: [] as number[] };
const treeDiffers: string[] = [];
for (const file of parserFiles.slice(0, 20)) {
  const html = readPage(file);
  parseDocument(html);
  htmlparser2(html, { decodeEntities: true });
}
for (const file of parserFiles) {
  const html = readPage(file);
  const mine = clocked(() => parseDocument(html));
  const theirs = clocked(() => htmlparser2(html, { decodeEntities: true }));
  parseMs['html-tree'].push(mine.ms);
  parseMs.htmlparser2.push(theirs.ms);
  if (!isDeepStrictEqual(treeShape(mine.out), treeShape(theirs.out))) treeDiffers.push(path.relative(dataDir, file));
}
const parserRows: Array<Array<string | number>> = [
  ['parser', 'median ms/page', 'mean ms/page', 'p95 ms', 'same tree as htmlparser2', 'pages'],
];
for (const [name, ms] of Object.entries(parseMs)) {
  const sorted = [...ms].sort((a, b) => a - b);
  parserRows.push([
    name,
    fmt(median(sorted), 2),
    fmt(sorted.reduce((a, b) => a + b, 0) / sorted.length, 2),
    fmt(sorted[Math.floor(sorted.length * 0.95)]!, 1),
    name === 'html-tree' ? `${parserFiles.length - treeDiffers.length} of ${parserFiles.length}` : '–',
    parserFiles.length,
  ]);
}

// ---- report ----
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
const byHalf = (xs: number[][]) => `${fmt(mean(xs[0]!))} / ${fmt(mean(xs[1]!))}`;
const fundusHalvesNote =
  split === 'all'
    ? `newsline on Fundus by half of the pages (even / odd positions of the sorted files): title ${byHalf(fundusHalves.title)}, ` +
      `authors ${byHalf(fundusHalves.authors)}, date ${byHalf(fundusHalves.date)} (the metadata rules were written looking at misses over all pages).`
    : '';
const shRows: Array<Array<string | number>> = [['extractor', 'F1', 'precision', 'recall', 'median ms/page', 'p95 ms', 'max ms', 'pages']];
const fundusRows: Array<Array<string | number>> = [
  ['extractor', 'title exact', 'authors F1', 'date same day', 'body F1', 'median ms/page', 'pages'],
];
const json: Record<string, unknown> = { machine: machine(), split, scrapinghub: {}, trafilatura: {}, fundus: {} };
const trafRows: Array<Array<string | number>> = [['extractor', 'F', 'precision', 'recall', 'median ms/page', 'pages']];
for (const name of names) {
  if (trafIds.length === 0) break;
  const t = snippetScore(trafResults[name]!.counts);
  trafRows.push([name, fmt(t.f), fmt(t.precision), fmt(t.recall), fmt(median(trafResults[name]!.ms), 2), t.pages]);
  (json['trafilatura'] as Record<string, unknown>)[name] = { ...t, medianMs: median(trafResults[name]!.ms) };
}
// Halves by position in the sorted ids, as for the other sets.
const trafHalves =
  split === 'all' && trafIds.length > 0
    ? (['even', 'odd'] as const)
        .map((half) => {
          const counts = trafResults['newsline']!.counts.filter((_, i) => (half === 'even' ? i % 2 === 0 : i % 2 === 1));
          return `${half} half ${fmt(snippetScore(counts).f)}`;
        })
        .join(', ')
    : '';
for (const name of names) {
  const sh = corpusScore(shResults[name]!.scores);
  const sorted = [...shResults[name]!.ms].sort((a, b) => a - b);
  shRows.push([
    name,
    fmt(sh.f1),
    fmt(sh.precision),
    fmt(sh.recall),
    fmt(median(sorted), 2),
    fmt(sorted[Math.floor(sorted.length * 0.95)]!, 1),
    fmt(sorted.at(-1)!, 1),
    sh.pages,
  ]);
  const f = fundusResults[name]!;
  const body = corpusScore(f.body);
  fundusRows.push([
    name,
    `${fmt(mean(f.title))} (${f.title.length})`,
    name === 'readability' ? `${fmt(mean(f.authors))} (byline)` : `${fmt(mean(f.authors))} (${f.authors.length})`,
    `${fmt(mean(f.date))} (${f.date.length})`,
    fmt(body.f1),
    fmt(median(f.ms), 2),
    fundus.length,
  ]);
  (json['scrapinghub'] as Record<string, unknown>)[name] = {
    ...sh,
    medianMs: median(shResults[name]!.ms),
    perPageF1: shResults[name]!.perPage,
  };
  (json['fundus'] as Record<string, unknown>)[name] = {
    title: mean(f.title),
    authorsF1: mean(f.authors),
    date: mean(f.date),
    body,
    medianMs: median(f.ms),
  };
}
json['parser'] = { medianMs: Object.fromEntries(Object.entries(parseMs).map(([k, v]) => [k, median(v)])), treeDiffers };
json['newslineMisses'] = misses;
json['titleSources'] = { sourceMatch, anySource, bestOrder: { order: bestOrder.order.map((i) => TITLE_SOURCES[i]), rate: bestOrder.rate } };
// Halves by sorted id: the body rules were tuned looking at the even half only.
const halves =
  split === 'all'
    ? (['train', 'test'] as const)
        .map((half) => {
          const scores = shResults['newsline']!.scores.filter((_, i) => (half === 'train' ? i % 2 === 0 : i % 2 === 1));
          return `${half} half ${fmt(corpusScore(scores).f1)}`;
        })
        .join(', ')
    : '';
const speedup = names.length > 1 ? median(shResults['readability']!.ms) / median(shResults['newsline']!.ms) : NaN;

console.log(`Machine: ${machine()} · split: ${split}\n`);
console.log('scrapinghub article-extraction-benchmark (body; 4-token shingles)');
console.log(table(shRows));
if (!Number.isNaN(speedup)) console.log(`newsline is ${speedup.toFixed(1)}× faster than Readability+linkedom (median ms/page)`);
if (halves) console.log(`newsline body F1 by half: ${halves}`);
if (trafIds.length > 0) {
  console.log(
    "\ntrafilatura's evaluation pages, development half (snippets: F = 2tp / (2tp + fp + fn); published on all 990 pages: trafilatura 2.2 0.924)",
  );
  console.log(table(trafRows));
  if (trafHalves) console.log(`newsline snippet F by half of the pages (sorted ids): ${trafHalves}`);
} else console.log(`\n(no ${trafDir}/ground-truth.json: trafilatura's pages skipped)`);
console.log('\nFundus fixtures (title exact after whitespace normalisation; authors set F1; published same calendar day; body F1)');
console.log(table(fundusRows));
console.log(titleNote);
if (fundusHalvesNote) console.log(fundusHalvesNote);
console.log('\nParsing alone, every page of both sets (html-tree builds the tree htmlparser2 builds, node for node)');
console.log(table(parserRows));
if (treeDiffers.length > 0) console.log(`trees differ on: ${treeDiffers.join(', ')}`);
const file = writeJson(`extract-${split}`, json);
console.log(`\nJSON: ${file}`);
if (args.get('verbose')) for (const [k, v] of Object.entries(misses)) console.log(`\n${k} misses:\n${v.join('\n')}`);

if (split === 'all') {
  updateBenchmarksDoc(
    'extract',
    `## Extraction (\`npm run bench:extract -- --data ../shared/data/extraction\`)

Machine: ${machine()}. Same pages, same run, for both extractors; timings after a warm-up pass of both over 20 pages.

**scrapinghub article-extraction-benchmark** (181 pages, body only, 4-token shingle multisets;
published: trafilatura 2.0 0.958, @mozilla/readability 0.947, rs_trafilatura and Zyte 0.970):

${markdownTable(shRows)}

newsline is ${speedup.toFixed(1)}× faster than Readability+linkedom by median. Body F1 by half of the
pages (sorted ids; rules were tuned looking only at the even half): ${halves}.

**trafilatura's evaluation pages, development half** (${trafIds.length} of its 990 pages; snippet metric
F = 2tp / (2tp + fp + fn) over must-contain and must-not-contain snippets; published on all 990 pages:
trafilatura 2.2 0.924, news-please 0.836, readability-lxml 0.826, goose3 0.810, newspaper4k 0.801):

${markdownTable(trafRows)}

Snippet F by half of the pages (sorted ids): ${trafHalves}.

**Fundus fixtures** (258 pages, 181 publishers, 41 countries):

${markdownTable(fundusRows)}

${titleNote}

${fundusHalvesNote}

**Parsing alone** (every page of both sets; newsline's parser, html-tree, builds the tree htmlparser2
10 builds in HTML mode — the tree the extractor was written against — compared node for node):

${markdownTable(parserRows)}
`,
  );
}
