// Faults, with real processes: worker processes SIGKILLed and restarted while Redis itself is
// killed and restarted (AOF), a graceful SIGTERM under load, PostgreSQL unreachable for 10 s, and
// a worker that stops taking jobs. Afterwards nothing is lost, doubled or stuck.
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listFailed } from '../../src/queues/dead-letter.js';
import { enqueueUrls } from '../../src/queues/producer.js';
import { closeQueues, createQueues, type StageQueues } from '../../src/queues/queues.js';
import { stages } from '../../src/queues/names.js';
import { eventsStreamKey, readEvents } from '../../src/shared/events/event-sink.js';
import { RedisOutcomeStore, type Outcome } from '../../src/shared/outcomes/outcome.js';
import { openPostgres } from '../../src/shared/store/database.js';
import { migrate } from '../../src/shared/store/migrate.js';
import { startSyntheticSite, type SyntheticSite } from '../fixtures/synthetic-news.js';
import { exitOf, jsonLines, runCli } from '../helpers/cli.js';
import { startTestPipeline } from '../helpers/pipeline.js';
import { freshDatabase, postgresAdminUrl, postgresUnavailableReason } from '../helpers/postgres.js';
import {
  hasRedisServer,
  startOwnRedis,
  startTcpProxy,
  startWorkerProcess,
  type OwnRedis,
  type WorkerProcess,
} from '../helpers/processes.js';
import { testPrefix } from '../helpers/redis.js';
import { until } from '../helpers/wait.js';

const adminUrl = await postgresAdminUrl();
const canRun = adminUrl !== null && hasRedisServer();
if (!canRun)
  console.warn(
    `skipping the fault tests: ${adminUrl === null ? postgresUnavailableReason : 'no redis-server binary to run a Redis of their own'}`,
  );

/** Settings for worker processes: fast stall detection, generous attempts, no politeness delay on loopback. */
const workerEnv = (redisUrl: string, databaseUrl: string, prefix: string): Record<string, string> => ({
  REDIS_URL: redisUrl,
  DATABASE_URL: databaseUrl,
  NEWSLINE_PREFIX: prefix,
  FETCH_ALLOW_PRIVATE: 'true',
  FETCH_HOST_INTERVAL_MS: '0',
  FETCH_HOST_CONCURRENCY: '64',
  NEWSLINE_LOCK_MS: '2000',
  NEWSLINE_MAX_STALLED: '20',
  NEWSLINE_JOB_ATTEMPTS: '10',
  NEWSLINE_BACKOFF_MS: '200',
  NEWSLINE_WATCHDOG_MS: '20000',
  NEWSLINE_SHUTDOWN_TIMEOUT_MS: '8000',
});

async function outcomesOf(redis: Redis, prefix: string, ids: string[]): Promise<Array<Outcome | null>> {
  const store = new RedisOutcomeStore(redis, prefix);
  const out: Array<Outcome | null> = [];
  for (let i = 0; i < ids.length; i += 500) out.push(...(await store.getMany(ids.slice(i, i + 500))));
  return out;
}

async function settledQueues(queues: StageQueues): Promise<boolean> {
  for (const s of stages) {
    const c = await queues[s].getJobCounts('active', 'waiting', 'delayed', 'prioritized');
    if (Object.values(c).some((n) => n > 0)) return false;
  }
  return true;
}

describe.skipIf(!canRun)('faults', () => {
  let site: SyntheticSite;
  const drops: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    site = await startSyntheticSite(2_000, { missing: 20 });
  });

  afterAll(async () => {
    for (const drop of drops.reverse()) await drop().catch(() => {});
    await site?.close();
  });

  it('2,000 articles survive SIGKILLed workers and a Redis kill and restart (AOF): one record each, every event, nothing stuck', async () => {
    const redis: OwnRedis = await startOwnRedis();
    drops.push(() => redis.stop());
    const db = await freshDatabase(adminUrl!);
    drops.push(db.drop);
    const prefix = testPrefix();
    const env = workerEnv(redis.url, db.url, prefix);
    const workers: WorkerProcess[] = [];
    // Three kinds of worker process, so both hand-off paths are under fire: every stage fused in
    // one process; fetch+extract fused; dedup, tag and store handing off through Redis.
    const kinds: Array<{ args: string[]; env?: Record<string, string> }> = [
      { args: [] },
      { args: ['--stages', 'fetch,extract'] },
      { args: ['--stages', 'dedup,tag,store'], env: { NEWSLINE_FUSE_STAGES: 'false' } },
    ];
    // A killed worker is replaced by one of its kind, so every stage always has a worker to come
    // back to (replacing by turn could leave only dedup,tag,store workers, and nothing fetching).
    const kindOf = new Map<WorkerProcess, number>();
    const spawnWorker = async (k: number) => {
      const kind = kinds[k]!;
      const w = await startWorkerProcess({ ...env, ...kind.env }, ['--concurrency', '8', ...kind.args]);
      kindOf.set(w, k);
      workers.push(w);
    };
    await Promise.all(kinds.map((_, k) => spawnWorker(k)));
    drops.push(async () => {
      for (const w of workers) w.child.kill('SIGKILL');
    });

    const client = new Redis(redis.url, { maxRetriesPerRequest: null });
    client.on('error', () => {});
    const queues = createQueues(client, { prefix, attempts: 10 });
    for (const q of Object.values(queues)) q.on('error', () => {}); // Redis is killed on purpose below
    drops.push(async () => {
      await closeQueues(queues).catch(() => {});
      client.disconnect();
    });
    const urls = [...site.urls, ...site.missing];
    const submitted = await enqueueUrls(queues.fetch, urls);
    const ids = submitted.map((s) => s.requestId);

    // Chaos paced by progress, not by the clock (a faster pipeline outran a kill every 1.5 s): one
    // worker process SIGKILLed and a new one started at each eighth of the way, and once, a third of
    // the way through, Redis itself SIGKILLed and restarted from its AOF.
    const KILL_STEPS = 8;
    let kills = 0;
    const replacements: Array<Promise<void>> = [];
    let redisRestarted = false;
    const deadline = Date.now() + 240_000;
    for (;;) {
      const outcomes = await outcomesOf(client, prefix, ids).catch(() => null);
      const done = outcomes?.filter(Boolean).length ?? 0;
      if (done === ids.length) break;
      if (Date.now() > deadline) throw new Error(`only ${done}/${ids.length} outcomes after 240 s`);
      if (!redisRestarted && done > ids.length / 3) {
        await Promise.all(replacements); // a worker started while Redis is down would exit
        await redis.kill();
        await new Promise((r) => setTimeout(r, 1_000));
        await redis.start();
        redisRestarted = true;
      } else if (workers.length > 1 && kills < Math.floor((done / ids.length) * KILL_STEPS)) {
        // The replacement starts in the background: waiting for it to be ready before the next
        // step let a fast run finish between kills. One worker at least stays up meanwhile.
        const victim = workers.splice(Math.floor(Math.random() * workers.length), 1)[0]!;
        victim.child.kill('SIGKILL');
        kills += 1;
        replacements.push(exitOf(victim.child).then(() => spawnWorker(kindOf.get(victim)!)));
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    await Promise.all(replacements);
    console.log(`chaos: ${kills} worker processes SIGKILLed, Redis restarted once`);
    expect(kills).toBeGreaterThanOrEqual(3);
    expect(redisRestarted).toBe(true);

    const outcomes = (await outcomesOf(client, prefix, ids)) as Outcome[];
    const missing = new Set(site.missing);
    for (const [k, o] of outcomes.entries()) {
      if (missing.has(urls[k]!)) expect(o, urls[k]).toMatchObject({ outcome: 'failed', reason: 'http_404' });
      else expect(['stored', 'duplicate'], `${urls[k]}: ${JSON.stringify(o)}`).toContain(o.outcome);
    }

    // One record or one sighting per URL, never both, never two.
    const sql = new pg.Client({ connectionString: db.url });
    await sql.connect();
    try {
      const { rows } = await sql.query<{ url: string; n: number }>(
        `SELECT url, count(*)::int AS n FROM (SELECT url FROM articles UNION ALL SELECT url FROM sightings) u GROUP BY url`,
      );
      expect(rows.filter((r) => r.n !== 1)).toEqual([]);
      expect(new Set(rows.map((r) => r.url))).toEqual(new Set(site.urls));

      // Every stored article's event reaches the stream (the outbox relay catches up after restarts).
      const articleIds = (await sql.query<{ id: string }>('SELECT id FROM articles')).rows.map((r) => r.id);
      const announced = await until(async () => {
        const events = await readEvents(client, eventsStreamKey(prefix), { count: 100_000 });
        const subjects = new Set(events.filter((e) => e.event.type === 'news.article.stored').map((e) => e.event.subject));
        return articleIds.every((id) => subjects.has(id)) ? subjects : null;
      }, 30_000);
      expect(announced.size).toBe(articleIds.length);
    } finally {
      await sql.end();
    }

    // No job left behind: stalled ones were recovered, nothing active or waiting.
    await until(() => settledQueues(queues), 30_000);
    const failed = await listFailed(queues);
    expect(failed.map((f) => f.url).sort()).toEqual([...site.missing].sort());
    for (const f of failed) expect(f).toMatchObject({ stage: 'fetch', failedReason: expect.stringMatching(/^http_404: /) });
    const cli = await runCli(['failed', 'list', '--stage', 'fetch'], env);
    expect(cli.code, cli.stderr).toBe(0);
    expect(jsonLines(cli.stdout)).toHaveLength(site.missing.length);

    for (const w of workers.splice(0)) {
      w.child.kill('SIGTERM');
      expect(await exitOf(w.child)).toBe(0);
    }
  }, 360_000);

  it('drains in-flight work on SIGTERM within the shutdown timeout; another process finishes the rest', async () => {
    const slow = await startSyntheticSite(60, { delayMs: 700 });
    drops.push(() => slow.close());
    const redis = await startOwnRedis();
    drops.push(() => redis.stop());
    const db = await freshDatabase(adminUrl!);
    drops.push(db.drop);
    const prefix = testPrefix();
    const env = workerEnv(redis.url, db.url, prefix);
    const first = await startWorkerProcess(env, ['--concurrency', '8']);
    const client = new Redis(redis.url, { maxRetriesPerRequest: null });
    const queues = createQueues(client, { prefix, attempts: 10 });
    try {
      const submitted = await enqueueUrls(queues.fetch, slow.urls);
      await until(async () => (await queues.fetch.getActiveCount()) > 0 && (await queues.fetch.getWaitingCount()) > 0);
      const signalled = Date.now();
      first.child.kill('SIGTERM');
      expect(await exitOf(first.child)).toBe(0);
      expect(Date.now() - signalled).toBeLessThan(8_000 + 2_000);
      // What it had started, it finished: no fetch job is left active (nothing waits for a stall).
      expect(await queues.fetch.getActiveCount()).toBe(0);

      const second = await startWorkerProcess(env, ['--concurrency', '8']);
      const ids = submitted.map((s) => s.requestId);
      await until(async () => (await outcomesOf(client, prefix, ids)).every(Boolean), 60_000);
      const outcomes = (await outcomesOf(client, prefix, ids)) as Outcome[];
      expect(outcomes.filter((o) => o.outcome !== 'stored')).toEqual([]);
      second.child.kill('SIGTERM');
      expect(await exitOf(second.child)).toBe(0);
      // Each page was fetched once: the first process's work was not redone.
      for (const url of slow.urls) expect(slow.hits.get(new URL(url).pathname)).toBe(1);
    } finally {
      await closeQueues(queues);
      client.disconnect();
    }
  }, 120_000);

  it('keeps store jobs retrying while PostgreSQL is unreachable for 10 s, then stores them all', async () => {
    const db = await freshDatabase(adminUrl!);
    drops.push(db.drop);
    const target = new URL(db.url);
    const proxy = await startTcpProxy(Number(target.port || 5432), target.hostname);
    drops.push(() => proxy.close());
    const viaProxy = new URL(db.url);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    const database = await openPostgres(viaProxy.toString());
    await migrate(database);
    const t = await startTestPipeline(database, { FETCH_HOST_INTERVAL_MS: '0', NEWSLINE_JOB_ATTEMPTS: '10', NEWSLINE_BACKOFF_MS: '500' });
    try {
      proxy.cut();
      const started = Date.now();
      const running = t.run(site.urls.slice(0, 12), 60_000);
      await until(async () => (await t.queues.store.getDelayedCount()) + (await t.queues.store.getFailedCount()) > 0, 15_000);
      await new Promise((r) => setTimeout(r, Math.max(0, 10_000 - (Date.now() - started))));
      proxy.restore();
      const outcomes = await running;
      expect(outcomes.map((o) => o.outcome)).toEqual(Array(12).fill('stored'));
      expect(Date.now() - started).toBeGreaterThanOrEqual(10_000);
      const { rows } = await database.query<{ n: number }>('SELECT count(*)::int AS n FROM articles');
      expect(rows[0]!.n).toBe(12);
      expect(await t.queues.store.getFailedCount()).toBe(0);
    } finally {
      await t.close();
      await database.close();
    }
  }, 90_000);

  it('replaces a stage worker that stops taking jobs while its queue has work', async () => {
    const db = await freshDatabase(adminUrl!);
    drops.push(db.drop);
    const database = await openPostgres(db.url);
    await migrate(database);
    const t = await startTestPipeline(database, { FETCH_HOST_INTERVAL_MS: '0', NEWSLINE_WATCHDOG_MS: '1500' });
    try {
      // The stand-in for a worker hung after a reconnect: it stops fetching jobs but is not closed.
      const fetch = t.pipeline.workers.find((w) => w.name === '{fetch}')!;
      await fetch.pause(true);
      const outcomes = await t.run(site.urls.slice(100, 105), 30_000);
      expect(outcomes.map((o) => o.outcome)).toEqual(Array(5).fill('stored'));
      expect(t.pipeline.workers.find((w) => w.name === '{fetch}')).not.toBe(fetch);
      const recovered = await t.pipeline.metrics.registry.getSingleMetricAsString('newsline_worker_recoveries_total');
      expect(recovered).toMatch(/newsline_worker_recoveries_total\{stage="fetch"\} 1/);
    } finally {
      await t.close();
      await database.close();
    }
  }, 60_000);
});
