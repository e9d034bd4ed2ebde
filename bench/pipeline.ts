// npm run bench:pipeline -- [--articles 5000] [--data DIR | --pages full|light] [--concurrency 16] [--layout all:P|stages] [--warmup 1000] [--no-crawlee]
//   [--node-flags a,b=c | none]
//
// The whole pipeline (fetch → extract → dedup → tag → store → event on the stream) on a local news
// site, with PostgreSQL, one worker process per core running every stage (or, with --layout stages,
// one per stage), against (a) a raw loop — the same fetcher, extractor and tagger in one
// process, no queues, run before and after the pipeline — and (b) Crawlee's
// CheerioCrawler with @mozilla/readability. Each contender first handles --warmup pages per process
// (unmeasured, so every one runs compiled code); then phase 1 enqueues every article at once (throughput);
// phase 2 submits at 80 % of that rate for 20 s (latency). Prints a table, writes
// bench-results/pipeline.json, .md and .svg; --update-docs also puts them in docs/benchmarks.md.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';
import { enqueueUrls } from '../src/queues/producer.js';
import { closeQueues, createQueues } from '../src/queues/queues.js';
import { stages, type Stage } from '../src/queues/names.js';
import { eventsStreamKey } from '../src/shared/events/event-sink.js';
import { RedisOutcomeStore } from '../src/shared/outcomes/outcome.js';
import { freshDatabase } from '../tests/helpers/postgres.js';
import { startOwnRedis } from '../tests/helpers/processes.js';
import { parseArgs } from './lib/cli-args.js';
import { fmt, machine, markdownTable, table, updateBenchmarksDoc, updatingDocs, writeJson } from './lib/report.js';
import { perSecond, throughputSvg } from './pipeline/chart.js';
import { cpuOfCommand, procStats } from './lib/proc-stats.js';
import { crawleeReadability } from './pipeline/crawlee.js';
import { rawLoop, type LoopResult } from './pipeline/raw-loop.js';

const args = parseArgs(process.argv.slice(2));
const N = Number(args.get('articles') ?? 5_000);
const CONCURRENCY = Number(args.get('concurrency') ?? 16);
const DATA = args.get('data');
/**
 * Synthetic pages (without --data): `full`, the size and make-up of real news pages (≈ 170 KB, most of
 * it inline CSS, JavaScript and SVG); `light`, the same stories in ≈ 19 KB pages (earlier rounds' figures).
 */
const PAGES = args.get('pages') ?? 'full';
if (PAGES !== 'full' && PAGES !== 'light') {
  console.error(`--pages must be full or light, not ${PAGES}`);
  process.exit(2);
}
/**
 * `all:P` (default P = the cores): P processes running every stage — how `newsline start` deploys
 * on a small machine, consecutive stages fused; `stages`: a process per stage, two for extract,
 * every hand-off through Redis.
 */
const LAYOUT_SPEC = args.get('layout') ?? `all:${os.availableParallelism()}`;
const LAYOUT: Array<{ name: string; stages: Stage[] }> = (() => {
  const spec = LAYOUT_SPEC;
  const all = /^all:(\d+)$/.exec(spec);
  if (all) return Array.from({ length: Number(all[1]) }, () => ({ name: 'all stages', stages: [...stages] }));
  if (spec !== 'stages') throw new Error(`--layout stages | all:P, not ${spec}`);
  return [
    { name: 'fetch', stages: ['fetch'] },
    { name: 'extract', stages: ['extract'] },
    { name: 'extract', stages: ['extract'] },
    { name: 'dedup', stages: ['dedup'] },
    { name: 'tag', stages: ['tag'] },
    { name: 'store', stages: ['store'] },
  ];
})();
/** How many of the layout's processes run `stage`. */
function processesRunning(stage: Stage): number {
  return LAYOUT.filter((l) => l.stages.includes(stage)).length;
}
/**
 * Pages every process doing the work handles before anything is measured — the pipeline's
 * workers, the raw loop, Crawlee alike. A long-running worker runs JIT-compiled code; measured
 * from a cold start, V8 is still compiling through the first thousand or so articles.
 */
const WARMUP_PER_PROCESS = Number(args.get('warmup') ?? 1_000);
/** The pipeline's warm-up: enough that each process running a stage sees WARMUP_PER_PROCESS. */
const WARMUP = WARMUP_PER_PROCESS * Math.max(...stages.map((s) => processesRunning(s)));
const PACED_SECONDS = 20;
/** Requests whose outcome the bench looks up at a time, to notice those that end without an event. */
const OUTCOME_CHECKS = 500;
const ROOT = fileURLToPath(new URL('..', import.meta.url));
/**
 * Node flags every measured process runs with — the workers, the raw loop and Crawlee alike: by
 * default the young-generation size the Dockerfile and `npm start` give workers (about 5 % more
 * articles/s here, for up to 90 MB more RSS a worker). `--node-flags a,b=c` for others,
 * `--node-flags none` for Node's own.
 */
const NODE_FLAGS = (() => {
  const spec = args.get('node-flags') ?? 'max-semi-space-size=64';
  return spec === 'none'
    ? []
    : spec
        .split(',')
        .filter(Boolean)
        .map((f) => `--${f}`);
})();
// The raw loop and Crawlee run in this process: run it again under the flags.
if (NODE_FLAGS.some((f) => !process.execArgv.includes(f))) {
  const child = spawn(process.execPath, [...NODE_FLAGS, ...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(await new Promise<number>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)))));
}
const BIN = path.join(ROOT, 'bin/newsline.js');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! : NaN;
};

function waitForLine(child: ChildProcess, stream: 'stdout' | 'stderr', re: RegExp, timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`no ${re} within ${timeoutMs} ms:\n${buf}`)), timeoutMs);
    child[stream]!.on('data', (d: Buffer) => {
      buf += d;
      const m = re.exec(buf);
      if (m) {
        clearTimeout(timer);
        resolve(m[0]);
      }
    });
    child.on('exit', (code) => reject(new Error(`exited with ${code}:\n${buf}`)));
  });
}

/** Calls per command since the server started (commands run inside Lua scripts included). */
async function commandCalls(redis: Redis): Promise<Map<string, number>> {
  const info = await redis.info('commandstats');
  return new Map([...info.matchAll(/cmdstat_([^:]+):calls=(\d+)/g)].map((m) => [m[1]!, Number(m[2])]));
}
const totalCalls = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
const usedMemory = async (redis: Redis) => Number(/used_memory:(\d+)/.exec(await redis.info('memory'))![1]);

/** Redis bytes by key family (MEMORY USAGE of every key), to say where the bytes go. */
async function memoryByFamily(redis: Redis, prefix: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) {
      // Ids, generations, shards and bands (anything with a digit) become *, so a family is one row.
      const family = key
        .slice(prefix.length + 1)
        .replace(/\{[^}]*\d[^}]*\}/g, '{*}')
        .split(':')
        .map((part) => (/\d/.test(part) && !part.includes('{') ? '*' : part))
        .join(':')
        .replace(/(:\*)+/g, ':*');
      out[family] = (out[family] ?? 0) + ((await redis.memory('USAGE', key)) ?? 0);
    }
  } while (cursor !== '0');
  return out;
}

interface PipelineResult {
  articlesPerSecond: number;
  seconds: number;
  /** Phase-1 requests that ended without an event, by outcome/reason (real pages that are not articles). */
  withoutEvent: Record<string, number>;
  /** Articles in the database after every phase (warm-up, measured, paced), copies not counted. */
  stored: number;
  /** When each phase-1 request's event came, in ms from the start of phase 1 (the measured articles). */
  doneAt: number[];
  latency: { p50: number; p95: number; p99: number; rate: number; count: number };
  cpuMsPerArticle: Record<string, number>;
  /** The services the pipeline leans on, in the same window. */
  serviceCpuMsPerArticle: Record<string, number>;
  peakRssMb: Record<string, number>;
  redisCommandsPerArticle: number;
  redisTopCommands: Record<string, number>;
  redisBytesPerArticle: number;
  redisBytesByFamily: Record<string, number>;
  /** Per article, the keys that grow with articles (dedup index, outcomes), not the capped buffers. */
  redisGrowingBytesPerArticle: number;
}

/** BullMQ's queue keys and the event stream are capped (job history, MAXLEN); the rest grows with articles until it expires. */
const isCapped = (family: string) => (family.startsWith('{') && !family.includes(':near}') ? true : family === 'events');

async function runPipeline(urls: string[], sitePid: number): Promise<PipelineResult> {
  const redisServer = await startOwnRedis({ appendfsync: 'everysec', extraArgs: ['--maxmemory-policy', 'noeviction'] });
  const db = await freshDatabase(process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  const prefix = 'bench';
  const env = {
    ...process.env,
    REDIS_URL: redisServer.url,
    DATABASE_URL: db.url,
    NEWSLINE_PREFIX: prefix,
    FETCH_ALLOW_PRIVATE: 'true',
    // One host serves every page here; politeness would measure the delay, not the pipeline.
    FETCH_HOST_INTERVAL_MS: '0',
    FETCH_HOST_CONCURRENCY: '256',
    LOG_LEVEL: 'warn',
    NEWSLINE_METRICS_PUSH_MS: '5000',
  };
  // --profile DIR: a V8 CPU profile of every worker process, written when it exits.
  const nodeArgs = [...NODE_FLAGS, ...(args.get('profile') ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(args.get('profile')!)}`] : [])];
  const layout = LAYOUT;
  const procs = layout.map((l) => ({
    ...l,
    child: spawn(process.execPath, [...nodeArgs, BIN, 'start', '--stages', l.stages.join(','), '--concurrency', String(CONCURRENCY)], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    }),
  }));
  for (const p of procs) p.child.stderr!.on('data', (d: Buffer) => process.stderr.write(`[${p.name}] ${d}`));
  const redis = new Redis(redisServer.url, { maxRetriesPerRequest: null });
  const queues = createQueues(redis, { prefix, attempts: 5 });
  const stream = eventsStreamKey(prefix);
  try {
    // Ready when every stage queue has its workers.
    for (let i = 0; ; i++) {
      const counts = await Promise.all(stages.map((s) => queues[s].getWorkersCount()));
      if (counts.every((c, k) => c >= processesRunning(stages[k]!))) break;
      if (i > 600) throw new Error(`workers did not start: ${counts.join(',')}`);
      await sleep(100);
    }
    // From the start of the (fresh) stream: an event published before the first XREAD is still read.
    let lastId = '0-0';
    const submitted = new Map<string, number>();
    const eventTimes = new Map<string, number>();
    const drain = async (blockMs: number) => {
      const res = (await redis.xread('COUNT', 5000, 'BLOCK', blockMs, 'STREAMS', stream, lastId)) as Array<
        [string, Array<[string, string[]]>]
      > | null;
      for (const [id, fields] of res?.[0]?.[1] ?? []) {
        lastId = id;
        const event = JSON.parse(fields[fields.indexOf('event') + 1]!) as { type: string; subject?: string; data?: { id?: string } };
        const key = event.type === 'news.article.stored' ? event.subject : event.data?.id;
        if (key && submitted.has(key)) eventTimes.set(key, Number(id.split('-')[0]));
      }
    };
    const submit = async (list: string[]) => {
      const at = Date.now();
      for (const e of await enqueueUrls(queues.fetch, list)) submitted.set(e.requestId, at);
    };
    // Requests that ended without an event (a real page that is not an article: skipped, failed).
    const noEvent = new Map<string, string>();
    const outcomes = new RedisOutcomeStore(redis, prefix);
    const finished = () => eventTimes.size + noEvent.size;
    const waitFor = async (count: number, timeoutMs: number) => {
      const deadline = Date.now() + timeoutMs;
      let checked = Date.now();
      while (finished() < count && Date.now() < deadline) {
        await drain(500);
        if (Date.now() - checked > 2_000) {
          checked = Date.now();
          // The oldest requests still without an event: workers take jobs in submission order, so
          // one that ended without an event comes to the head. (Asking about every pending request
          // every 2 s cost ~10 Redis GETs per article, counted against the pipeline.)
          const pending: string[] = [];
          for (const id of submitted.keys()) {
            if (eventTimes.has(id) || noEvent.has(id)) continue;
            if (pending.push(id) >= OUTCOME_CHECKS) break;
          }
          const found = await outcomes.getMany(pending);
          found.forEach((o, k) => {
            if (!o || o.outcome === 'duplicate') return; // a duplicate's event carries its request id
            // Its own event is keyed by its id only when it created the record; a second copy of a
            // real page (same canonical URL) lands on the first one's record.
            if (['stored', 'updated'].includes(o.outcome) && o.articleId === pending[k]) return;
            noEvent.set(pending[k]!, `${o.outcome}/${o.reason ?? 'record of an earlier copy'}`);
          });
        }
      }
      if (finished() < count) {
        const pending = [...submitted.keys()].filter((id) => !eventTimes.has(id) && !noEvent.has(id)).slice(0, 5);
        const where = await Promise.all(
          pending.map(async (id) => {
            const states = await Promise.all(stages.map(async (st) => `${st}:${(await queues[st].getJobState(id)) ?? '-'}`));
            return `${id} ${JSON.stringify(await outcomes.get(id))} ${states.join(' ')}`;
          }),
        );
        throw new Error(`only ${finished()}/${count} requests finished after ${timeoutMs / 1000} s; e.g.\n${where.join('\n')}`);
      }
    };

    // Warm-up: connections, JIT, database caches.
    await submit(urls.slice(N, N + WARMUP));
    await waitFor(WARMUP, 300_000);
    submitted.clear();
    eventTimes.clear();
    noEvent.clear();

    const cpu0 = procs.map((p) => procStats(p.child.pid!).cpuS);
    /**
     * CPU seconds so far of the services the pipeline shares the machine with, and of this process
     * (the bench client: it enqueues and reads the event stream like an operator and a consumer).
     */
    const serviceCpu = () => ({
      redis: procStats(redisServer.pid()!).cpuS,
      postgres: cpuOfCommand('postgres'),
      site: procStats(sitePid).cpuS,
      client: procStats(process.pid).cpuS,
    });
    const services0 = serviceCpu();
    const calls0 = await commandCalls(redis);
    const mem0 = await usedMemory(redis);
    const t0 = Date.now();
    await submit(urls.slice(0, N));
    await waitFor(N, 600_000);
    const seconds = (Math.max(...eventTimes.values()) - t0) / 1_000;
    const cpu1 = procs.map((p) => procStats(p.child.pid!).cpuS);
    const services1 = serviceCpu();
    const calls1 = await commandCalls(redis);
    await sleep(1_000); // let the last completions settle before weighing Redis
    const mem1 = await usedMemory(redis);
    const doneAt = [...eventTimes.values()].map((t) => t - t0);
    const rate = N / seconds;
    const withoutEvent: Record<string, number> = {};
    for (const o of noEvent.values()) withoutEvent[o] = (withoutEvent[o] ?? 0) + 1;

    // Phase 2: a steady 80 % of the peak rate, for latency.
    submitted.clear();
    eventTimes.clear();
    noEvent.clear();
    const pacedRate = Math.max(1, Math.floor(rate * 0.8));
    const pacedUrls = urls.slice(N + WARMUP, N + WARMUP + Math.min(pacedRate * PACED_SECONDS, urls.length - N - WARMUP));
    const tick = 100;
    const perTick = pacedRate / (1_000 / tick);
    let sent = 0;
    const p0 = Date.now();
    while (sent < pacedUrls.length) {
      const due = Math.min(pacedUrls.length, Math.round(((Date.now() - p0) / tick) * perTick));
      if (due > sent) {
        await submit(pacedUrls.slice(sent, due));
        sent = due;
      }
      await drain(tick);
    }
    await waitFor(pacedUrls.length, 120_000);
    const latencies = [...eventTimes.entries()].map(([id, t]) => t - submitted.get(id)!);

    const cpuMsPerArticle: Record<string, number> = {};
    const peakRssMb: Record<string, number> = {};
    const serviceCpuMsPerArticle = {
      'redis-server': ((services1.redis - services0.redis) * 1_000) / N,
      postgres: ((services1.postgres - services0.postgres) * 1_000) / N,
      'site (serving pages)': ((services1.site - services0.site) * 1_000) / N,
      'bench client (enqueues, reads the event stream)': ((services1.client - services0.client) * 1_000) / N,
    };
    procs.forEach((p, k) => {
      cpuMsPerArticle[p.name] = (cpuMsPerArticle[p.name] ?? 0) + ((cpu1[k]! - cpu0[k]!) * 1_000) / N;
      peakRssMb[`${p.name}#${k}`] = procStats(p.child.pid!).peakRssMb;
    });
    const families = await memoryByFamily(redis, prefix);
    const stored = Number(
      await (async () => {
        const c = new pg.Client({ connectionString: db.url });
        await c.connect();
        const r = await c.query<{ n: string }>('SELECT count(*) AS n FROM articles');
        await c.end();
        return r.rows[0]!.n;
      })(),
    );
    return {
      articlesPerSecond: rate,
      seconds,
      withoutEvent,
      stored,
      doneAt,
      latency: { p50: pct(latencies, 50), p95: pct(latencies, 95), p99: pct(latencies, 99), rate: pacedRate, count: latencies.length },
      cpuMsPerArticle,
      serviceCpuMsPerArticle,
      peakRssMb,
      redisCommandsPerArticle: (totalCalls(calls1) - totalCalls(calls0)) / N,
      redisTopCommands: Object.fromEntries(
        [...calls1]
          .map(([c, n]) => [c, (n - (calls0.get(c) ?? 0)) / N] as const)
          .sort((a, b) => b[1] - a[1])
          .slice(0, 12),
      ),
      redisBytesPerArticle: (mem1 - mem0) / N,
      redisBytesByFamily: families,
      redisGrowingBytesPerArticle:
        Object.entries(families)
          .filter(([f]) => !isCapped(f))
          .reduce((a, [, b]) => a + b, 0) /
        (N + WARMUP + latencies.length),
    };
  } finally {
    await Promise.all(
      procs.map(async (p) => {
        p.child.kill('SIGTERM');
        await new Promise((r) => p.child.once('exit', r));
      }),
    );
    await closeQueues(queues);
    redis.disconnect();
    await redisServer.stop();
    await db.drop();
  }
}

async function main(): Promise<void> {
  const total = N + WARMUP + N; // measured, warm-up, and enough for the paced phase
  const urlFile = path.join(os.tmpdir(), `newsline-bench-urls-${process.pid}.txt`);
  const site = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'bench/pipeline/site-server.ts'), String(total), urlFile, DATA ?? PAGES],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const listening = await waitForLine(site, 'stdout', /http:\/\/\S+ \d+/, 120_000);
  const pageKb = Number(/ (\d+)/.exec(listening)![1]) / 1024;
  const urls = fs.readFileSync(urlFile, 'utf8').split('\n');
  console.log(
    `site: ${urls.length} ${DATA ? `pages from ${DATA}` : `synthetic pages (${PAGES})`}, ${fmt(pageKb, 0)} KB each on average; measuring ${N} articles, concurrency ${CONCURRENCY}`,
  );
  try {
    // The raw loop runs before and after the pipeline: on a shared VM the machine's speed drifts
    // over minutes, and the share is judged against the mean of the two, each shown. It runs in
    // this process, so one warm-up serves both.
    const warmUp = urls.slice(N, N + WARMUP_PER_PROCESS);
    const rawRun = async (when: string) => {
      const r = await rawLoop(urls.slice(0, N), CONCURRENCY, 'newsline-bench');
      console.log(`raw loop, ${when} the pipeline: ${fmt(rateOf(r), 0)} articles/s`);
      return r;
    };
    await rawLoop(warmUp, CONCURRENCY, 'newsline-bench');
    const rawBefore = await rawRun('before');
    const pipeline = await runPipeline(urls, site.pid!);
    console.log(
      `pipeline: ${fmt(pipeline.articlesPerSecond, 0)} articles/s${Object.keys(pipeline.withoutEvent).length ? `; ended without an event: ${JSON.stringify(pipeline.withoutEvent)}` : ''}`,
    );
    const raw = [rawBefore, await rawRun('after')] as const;
    let crawlee: LoopResult | null = null;
    if (args.get('no-crawlee') !== 'true') {
      await crawleeReadability(warmUp, CONCURRENCY);
      crawlee = await crawleeReadability(urls.slice(0, N), CONCURRENCY);
      console.log(`crawlee + readability: ${fmt(rateOf(crawlee), 0)} articles/s`);
    }
    report(pipeline, raw, crawlee, pageKb);
  } finally {
    site.kill('SIGTERM');
    fs.rmSync(urlFile, { force: true });
  }
}

const rateOf = (r: LoopResult) => r.done / r.seconds;

/** `pageKb`: the mean size of the pages served. */
function report(p: PipelineResult, raws: readonly [LoopResult, LoopResult], crawlee: LoopResult | null, pageKb: number): void {
  const [before, after] = raws;
  const rawRate = (rateOf(before) + rateOf(after)) / 2;
  const share = (rate: number) => `${fmt((100 * p.articlesPerSecond) / rate, 0)} %`;
  const crawleeRate = crawlee ? rateOf(crawlee) : NaN;
  const rows: Array<Array<string | number>> = [
    ['run', 'articles/s', 'articles', 'seconds', 'CPU ms/article'],
    [
      `newsline pipeline (PostgreSQL, ${LAYOUT.length} processes)`,
      fmt(p.articlesPerSecond, 0),
      p.doneAt.length,
      fmt(p.seconds, 1),
      fmt(
        Object.values(p.cpuMsPerArticle).reduce((a, b) => a + b, 0),
        2,
      ),
    ],
    ...raws.map((r, i) => [
      `raw loop (same fetch+extract+tag, 1 process), ${i === 0 ? 'before' : 'after'} the pipeline`,
      fmt(rateOf(r), 0),
      r.done,
      fmt(r.seconds, 1),
      fmt(r.cpuMs / Math.max(1, r.done), 2),
    ]),
    ...(crawlee
      ? [
          [
            'Crawlee CheerioCrawler + Readability',
            fmt(crawleeRate, 0),
            crawlee.done,
            fmt(crawlee.seconds, 1),
            fmt(crawlee.cpuMs / Math.max(1, crawlee.done), 2),
          ],
        ]
      : []),
  ];
  const targets: Array<Array<string | number>> = [
    ['target', 'measured', 'goal', 'met'],
    ['end-to-end throughput', `${fmt(p.articlesPerSecond, 0)} articles/s`, '≥ 300', p.articlesPerSecond >= 300 ? 'yes' : 'NO'],
    [
      'share of the raw loop (the mean of its runs before and after)',
      `${share(rawRate)} (${share(rateOf(before))} and ${share(rateOf(after))} of each)`,
      '≥ 70 %',
      p.articlesPerSecond >= 0.7 * rawRate ? 'yes' : 'NO',
    ],
    [
      'vs Crawlee + Readability',
      crawlee ? `${fmt(p.articlesPerSecond / crawleeRate, 2)}×` : 'not run',
      '≥ 2×',
      crawlee ? (p.articlesPerSecond >= 2 * crawleeRate ? 'yes' : 'NO') : '-',
    ],
    [
      `p99 enqueue→event at ${p.latency.rate}/s (80 % of peak)`,
      `${fmt(p.latency.p99 / 1000, 2)} s (p50 ${fmt(p.latency.p50 / 1000, 2)}, p95 ${fmt(p.latency.p95 / 1000, 2)})`,
      '< 2 s',
      p.latency.p99 < 2_000 ? 'yes' : 'NO',
    ],
    [
      'Redis bytes per finished article, growing (dedup index, outcomes)',
      fmt(p.redisGrowingBytesPerArticle, 0),
      '≤ 2048',
      p.redisGrowingBytesPerArticle <= 2048 ? 'yes' : 'NO',
    ],
    [
      'Redis bytes per finished article, all (incl. capped event stream and job history)',
      fmt(p.redisBytesPerArticle, 0),
      '≤ 2048',
      p.redisBytesPerArticle <= 2048 ? 'yes' : 'NO',
    ],
  ];
  const stageRows: Array<Array<string | number>> = [
    ['process', 'CPU ms/article'],
    ...Object.entries(p.cpuMsPerArticle).map(([s, ms]) => [`stage: ${s}`, fmt(ms, 2)]),
    ...Object.entries(p.serviceCpuMsPerArticle).map(([s, ms]) => [s, fmt(ms, 2)]),
  ];
  const rssRows: Array<Array<string | number>> = [
    ['process', 'peak RSS MB'],
    ...Object.entries(p.peakRssMb).map(([s, mb]) => [s, fmt(mb, 0)]),
  ];
  const finished = N + WARMUP + p.latency.count;
  const familyRows: Array<Array<string | number>> = [
    ['Redis keys', 'bytes per finished article', 'kind'],
    ...Object.entries(p.redisBytesByFamily)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12)
      .map(([k, b]) => [k, fmt(b / finished, 0), isCapped(k) ? 'capped' : 'grows']),
  ];
  const commandRows: Array<Array<string | number>> = [
    ['Redis command', 'calls per article'],
    ...Object.entries(p.redisTopCommands).map(([c, n]) => [c, fmt(n, 1)]),
  ];
  console.log(
    `\n${table(rows)}\n\n${table(targets)}\n\n${table(stageRows)}\n\n${table(rssRows)}\n\nRedis commands per article: ${fmt(p.redisCommandsPerArticle, 1)}\n${table(commandRows)}\n\n${table(familyRows)}`,
  );

  const svg = throughputSvg(
    [
      { name: 'newsline pipeline', points: perSecond(p.doneAt) },
      { name: 'raw loop (after)', points: perSecond(after.doneAt) },
      ...(crawlee ? [{ name: 'Crawlee + Readability', points: perSecond(crawlee.doneAt) }] : []),
    ],
    `${N} articles, concurrency ${CONCURRENCY}`,
  );
  fs.mkdirSync('bench-results', { recursive: true });
  fs.writeFileSync('bench-results/pipeline.svg', svg);
  if (updatingDocs) fs.writeFileSync('docs/pipeline-throughput.svg', svg);
  const file = writeJson('pipeline', {
    machine: machine(),
    articles: N,
    concurrency: CONCURRENCY,
    nodeFlags: NODE_FLAGS,
    data: DATA ?? `synthetic (${PAGES})`,
    pageKb,
    pipeline: { ...p, doneAt: undefined, throughputPerSecond: perSecond(p.doneAt) },
    rawLoop: {
      rate: rawRate,
      before: { rate: rateOf(before), ...before, doneAt: undefined },
      after: { rate: rateOf(after), ...after, doneAt: undefined },
    },
    crawlee: crawlee ? { rate: crawleeRate, ...crawlee, doneAt: undefined } : null,
  });
  console.log(`\nwrote ${file} and bench-results/pipeline.svg`);
  updateBenchmarksDoc(
    'pipeline',
    `## Pipeline, end to end (\`npm run bench:pipeline -- --articles ${N} --layout ${LAYOUT_SPEC}${DATA ? ` --data ${DATA}` : PAGES === 'light' ? ' --pages light' : ''}\`)

Machine: ${machine()}. Redis 7 (AOF everysec) and PostgreSQL on the same machine; ${DATA ? `pages from ${DATA} (${fmt(pageKb, 0)} KB of HTML each on average)` : PAGES === 'full' ? `synthetic pages (${fmt(pageKb, 0)} KB of HTML each on average, about 60 % of it inline CSS, JavaScript and SVG, as on real news pages; 300–700 words; written for this project)` : `light synthetic pages (\`--pages light\`: ${fmt(pageKb, 0)} KB of HTML each, 300–700 words, written for this project)`} served from
a separate process on loopback; ${LAYOUT_SPEC.startsWith('all') ? `${LAYOUT.length} worker processes running every stage` : 'one worker process per stage (two for extract)'}, concurrency ${CONCURRENCY} each;
politeness off (one host); ${NODE_FLAGS.length ? `every contender runs with \`${NODE_FLAGS.join(' ')}\` (as \`npm start\` and the Dockerfile run workers)` : 'Node’s default flags'}. Every contender first handles ${WARMUP_PER_PROCESS} pages per process, unmeasured (JIT warm-up);
then phase 1 enqueues all ${N} at once; phase 2 submits at 80 % of that rate for
${PACED_SECONDS} s and measures enqueue → event on the stream.

${markdownTable(rows)}

${markdownTable(targets)}

${markdownTable(stageRows)}

${markdownTable(rssRows)}

Redis commands per article: ${fmt(p.redisCommandsPerArticle, 1)} (commands run inside Lua scripts included):

${markdownTable(commandRows)}

Where the bytes stay after completion (all ${N + WARMUP} + ${p.latency.count} finished articles; "capped" keys stop growing at
their limit — the event stream at NEWSLINE_EVENTS_MAXLEN, BullMQ's history at 100 completed jobs a queue
— while "grows" keys grow with articles until they expire: outcomes after a day, the dedup index after
NEWSLINE_DEDUP_WINDOW_DAYS):

${markdownTable(familyRows)}

![throughput over time](pipeline-throughput.svg)`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
