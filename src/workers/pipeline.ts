// Builds the real dependencies from config and starts the chosen stages' workers in this
// process; `close()` drains in-flight jobs and releases every connection.
import type { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { stages as allStages, type Stage } from '../queues/names.js';
import { closeQueues, createQueues } from '../queues/queues.js';
import { RedisPageStore } from '../shared/blobs/page-store.js';
import type { Config } from '../shared/config.js';
import { RedisDedupIndex, urlClaimKey } from '../shared/dedup/dedup-index.js';
import { adoptLegacyClaims } from '../shared/dedup/legacy-claims.js';
import { RedisNearDuplicateIndex } from '../shared/dedup/near-index.js';
import { loadGazetteer } from '../shared/tag/gazetteer.js';
import { EntityMatcher } from '../shared/tag/matcher.js';
import { RedisStreamSink, eventsStreamKey } from '../shared/events/event-sink.js';
import { OutboxRelay } from '../shared/events/outbox-relay.js';
import { WebhookFanOut, WebhookStore } from '../shared/events/webhooks.js';
import { createWebhookQueue, webhookJobId } from '../queues/webhooks.js';
import { createWebhookWorker } from './webhook/worker.js';
import { createDigestWorker } from './digest/worker.js';
import { createDigestQueue, syncTopicSchedulers } from '../queues/digests.js';
import { loadTopics } from '../shared/newsletters/topics.js';
import { SeenUrls } from '../shared/sources/seen-urls.js';
import { SourceStore } from '../shared/sources/source-store.js';
import { createDiscoverQueue, syncSourceSchedulers } from '../queues/discover.js';
import { enqueueUrls } from '../queues/producer.js';
import { createDiscoverWorker } from './discover/worker.js';
import { HttpClient } from '../shared/fetch/fetch-page.js';
import { httpOptions } from '../shared/fetch/from-config.js';
import { RedisPoliteness } from '../shared/fetch/politeness.js';
import { RedisRobotsCache, RobotsPolicy } from '../shared/fetch/robots.js';
import { RedisValidatorStore } from '../shared/fetch/validators-store.js';
import { describeError } from '../shared/errors.js';
import type { Logger } from '../shared/log.js';
import { RedisOutcomeStore } from '../shared/outcomes/outcome.js';
import { connectRedis, redisTarget } from '../shared/redis.js';
import { MetricsPublisher } from '../shared/metrics/metrics-publisher.js';
import { PipelineMetrics } from '../shared/metrics/pipeline-metrics.js';
import { SqlArticleStore } from '../shared/store/article-store.js';
import { openDatabase, type Database } from '../shared/store/database.js';
import { migrate } from '../shared/store/migrate.js';
import { createDedupWorker } from './dedup/worker.js';
import { createExtractWorker } from './extract/worker.js';
import type { FetchDeps } from './fetch/processor.js';
import { createFetchWorker } from './fetch/worker.js';
import type { StageWorkerContext } from './stage-worker.js';
import type { StoreDeps } from './store/processor.js';
import { createStoreWorker } from './store/worker.js';
import { createTagWorker } from './tag/worker.js';
import { WorkerWatchdog } from './watchdog.js';

export interface PipelineOptions {
  /**
   * Stages to run in this process.
   * @defaultValue every stage
   */
  stages?: Stage[];
  /**
   * Concurrency of each stage's worker.
   * @defaultValue 4
   */
  concurrency?: number;
  /** An already-open database for the store stage (tests, demo); otherwise opened from config. */
  database?: Database;
}

export interface Pipeline {
  /** Every worker of this process (a stage worker the watchdog replaced is not among them). */
  readonly workers: Worker[];
  readonly watchdog: WorkerWatchdog;
  /** This process's counters (also shared with /metrics through Redis). */
  readonly metrics: PipelineMetrics;
  readonly database: Database | null;
  /** Stop taking jobs, wait up to `timeoutMs` for running ones, then close every connection. */
  close(timeoutMs?: number): Promise<void>;
}

export async function startPipeline(config: Config, log: Logger, options: PipelineOptions = {}): Promise<Pipeline> {
  const wanted = new Set(options.stages ?? allStages);
  const redis: Redis = await connectRedis(redisTarget(config), 'worker');
  const ownsDatabase = options.database === undefined && wanted.has('store');
  let database: Database | null = options.database ?? null;
  const metrics = new PipelineMetrics();
  const publisher = new MetricsPublisher(redis, config.NEWSLINE_PREFIX, metrics.registry, { intervalMs: config.NEWSLINE_METRICS_PUSH_MS });
  // One dispatcher (and address guard) for every outgoing request of this process.
  const client = new HttpClient({ ...httpOptions(config), onResponse: (status) => metrics.observeFetchStatus(status) });
  let relay: OutboxRelay | null = null;
  let webhookQueue: Queue | null = null;
  let digestQueue: Queue | null = null;
  let discoverQueue: Queue | null = null;
  const stopAdopting = new AbortController();
  let adopting: Promise<unknown> = Promise.resolve();
  const queues = createQueues(redis, { prefix: config.NEWSLINE_PREFIX, attempts: config.NEWSLINE_JOB_ATTEMPTS });
  try {
    if (ownsDatabase) {
      database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.NEWSLINE_DATA_DIR });
    }
    if (database && wanted.has('store')) {
      const applied = await migrate(database);
      if (applied.length > 0) log.info({ applied }, 'migrations applied');
    }
    const ctx: StageWorkerContext = {
      connection: redis,
      prefix: config.NEWSLINE_PREFIX,
      backoffMs: config.NEWSLINE_BACKOFF_MS,
      queues,
      outcomes: new RedisOutcomeStore(redis, config.NEWSLINE_PREFIX),
      log,
      metrics,
      lockMs: config.NEWSLINE_LOCK_MS,
      ...(config.NEWSLINE_FUSE_STAGES ? { local: new Map() } : {}),
      maxStalled: config.NEWSLINE_MAX_STALLED,
    };
    const watchdog = new WorkerWatchdog(log, {
      idleMs: config.NEWSLINE_WATCHDOG_MS || Number.MAX_SAFE_INTEGER,
      onRecovered: (name) => metrics.observeWorkerRecovered(name),
    });
    // Stage workers run under the watchdog, which may replace one that stops taking jobs.
    const watched = (stage: Stage, create: () => Worker) => watchdog.watch({ name: stage, queue: queues[stage], create });
    const workerOptions = { concurrency: options.concurrency ?? 4 };
    const pages = new RedisPageStore(redis, config.NEWSLINE_PREFIX);
    const windowSeconds = config.NEWSLINE_DEDUP_WINDOW_DAYS * 86_400;
    const validators = new RedisValidatorStore(redis, config.NEWSLINE_PREFIX, windowSeconds);
    const urlIndex = new RedisDedupIndex(redis, config.NEWSLINE_PREFIX, { windowSeconds, shardBits: config.NEWSLINE_DEDUP_SHARD_BITS });
    // Claims an earlier version kept in its own layout are read until moved (in the background).
    adopting = adoptLegacyClaims(redis, config.NEWSLINE_PREFIX, urlIndex, log, { signal: stopAdopting.signal }).catch((err: unknown) =>
      log.warn({ err: describeError(err) }, 'dedup: moving claims of the earlier key layout failed; they are still read, and the next start tries again'),
    );
    const now = () => new Date();
    const workers: Worker[] = []; // the others: discover, webhooks, digests
    if (wanted.has('fetch')) {
      const robots = new RobotsPolicy(client, new RedisRobotsCache(redis, config.NEWSLINE_PREFIX), {
        ttlSeconds: config.FETCH_ROBOTS_TTL_S,
        retryMs: config.FETCH_ROBOTS_RETRY_MS,
      });
      const fetchDeps: FetchDeps = {
        fetchPage: (url, opts) => client.fetchPage(url, opts),
        robots,
        politeness: new RedisPoliteness(redis, config.NEWSLINE_PREFIX, { maxConcurrent: config.FETCH_HOST_CONCURRENCY }),
        validators,
        seenUrl: (url) => urlIndex.owner('url', urlClaimKey(url)),
        pages,
        hostIntervalMs: config.FETCH_HOST_INTERVAL_MS,
        crawlDelayCapMs: config.FETCH_CRAWL_DELAY_CAP_MS,
        now,
      };
      watched('fetch', () => createFetchWorker(ctx, fetchDeps, workerOptions));
    }
    if (wanted.has('extract')) watched('extract', () => createExtractWorker(ctx, { pages }, workerOptions));
    if (wanted.has('dedup')) {
      const index = urlIndex;
      const near = new RedisNearDuplicateIndex(redis, config.NEWSLINE_PREFIX, {
        windowSeconds,
        threshold: config.NEWSLINE_NEAR_THRESHOLD,
        anchorThreshold: config.NEWSLINE_NEAR_ANCHOR_THRESHOLD,
        shardBits: config.NEWSLINE_NEAR_SHARD_BITS,
      });
      watched('dedup', () => createDedupWorker(ctx, { index, near }, workerOptions));
    }
    if (wanted.has('tag')) {
      const matcher = new EntityMatcher(loadGazetteer(config.NEWSLINE_GAZETTEER_EXTRA));
      watched('tag', () => createTagWorker(ctx, { matcher }, workerOptions));
    }
    if (wanted.has('store') && database) {
      if (config.NEWSLINE_OUTBOX_RELAY) {
        // Webhooks ride on the relay: each published event fans out to matching subscriptions.
        const webhooks = new WebhookStore(database);
        webhookQueue = createWebhookQueue(redis, { prefix: config.NEWSLINE_PREFIX, attempts: config.NEWSLINE_JOB_ATTEMPTS });
        workers.push(
          createWebhookWorker(redis, { prefix: config.NEWSLINE_PREFIX, backoffMs: config.NEWSLINE_BACKOFF_MS, log }, {
            subscription: (id) => webhooks.get(id),
            post: (url, body, headers) => client.postJson(url, body, headers),
            recordDelivery: (id, status) => webhooks.recordDelivery(id, status),
            now,
          }),
        );
        const queue = webhookQueue;
        const fanOut = new WebhookFanOut(webhooks, async (subscriptionId, event) => {
          await queue.add('deliver', { subscriptionId, event }, { jobId: webhookJobId(subscriptionId, event.id) });
        });
        const sink = new RedisStreamSink(redis, { key: eventsStreamKey(config.NEWSLINE_PREFIX), maxLen: config.NEWSLINE_EVENTS_MAXLEN });
        relay = new OutboxRelay(database, sink, log, { onPublished: (event) => fanOut.publish(event) });
        relay.start();
      }
      // Scheduled crawls of registered sources run where the database is.
      const sources = new SourceStore(database);
      discoverQueue = createDiscoverQueue(redis, config.NEWSLINE_PREFIX);
      await syncSourceSchedulers(discoverQueue, await sources.list());
      const seen = new SeenUrls(redis, config.NEWSLINE_PREFIX, urlIndex, windowSeconds);
      workers.push(
        createDiscoverWorker(redis, { prefix: config.NEWSLINE_PREFIX, log }, {
          source: (id) => sources.get(id),
          fetch: (url, opts) => client.fetchPage(url, opts),
          seenBefore: (url) => seen.seenBefore(url),
          enqueue: async (entries, sourceId) => {
            await enqueueUrls(queues.fetch, entries.map((e) => ({ url: e.url, hints: { title: e.title, publishedAt: e.publishedAt, source: sourceId } })));
          },
          recordRun: (id, run) => sources.recordRun(id, run),
        }),
      );
      const topics = loadTopics(config.NEWSLINE_TOPICS_FILE);
      digestQueue = createDigestQueue(redis, config.NEWSLINE_PREFIX);
      await syncTopicSchedulers(digestQueue, topics);
      workers.push(
        createDigestWorker(redis, { prefix: config.NEWSLINE_PREFIX, log }, {
          db: database, topics, source: config.NEWSLINE_EVENT_SOURCE, schemaBase: config.NEWSLINE_SCHEMA_BASE, now,
          onCommitted: () => relay?.nudge(),
        }),
      );
      const storeDeps: StoreDeps = {
        recordOf: async (requestId) => (await ctx.outcomes.get(requestId))?.articleId ?? null,
        topics,
        // A batch larger than the jobs in flight would never fill: every job would wait out the linger.
        store: new SqlArticleStore(database, {
          batch: {
            maxSize: Math.min(config.NEWSLINE_STORE_BATCH, workerOptions.concurrency),
            lingerMs: config.NEWSLINE_STORE_LINGER_MS,
            onBatch: (size) => metrics.observeStoreBatch(size),
          },
        }),
        validators,
        eventSource: config.NEWSLINE_EVENT_SOURCE,
        schemaBase: config.NEWSLINE_SCHEMA_BASE,
        now,
        onCommitted: () => relay?.nudge(),
      };
      watched('store', () => createStoreWorker(ctx, storeDeps, workerOptions));
    }
    const allWorkers = () => [...watchdog.workers(), ...workers];
    await Promise.all(allWorkers().map((w) => w.waitUntilReady()));
    publisher.start();
    if (config.NEWSLINE_WATCHDOG_MS > 0) watchdog.start();
    log.info({ stages: [...wanted], concurrency: workerOptions.concurrency }, 'pipeline started');

    let closing: Promise<void> | null = null;
    const close = (timeoutMs = config.NEWSLINE_SHUTDOWN_TIMEOUT_MS) =>
      (closing ??= (async () => {
        watchdog.stop();
        const drained = Promise.all(allWorkers().map((w) => w.close())).then(() => true);
        const timedOut = new Promise<false>((r) => setTimeout(() => r(false), timeoutMs).unref());
        if (!(await Promise.race([drained, timedOut]))) {
          log.warn({ timeoutMs }, 'jobs still running at shutdown timeout; they will be retried by another worker');
          await Promise.all(allWorkers().map((w) => w.close(true)));
        }
        await publisher.stop();
        stopAdopting.abort();
        await adopting;
        await relay?.stop();
        await webhookQueue?.close();
        await digestQueue?.close();
        await discoverQueue?.close();
        await closeQueues(queues);
        await client.close();
        if (ownsDatabase) await database?.close();
        await redis.quit().catch(() => redis.disconnect());
      })());
    return {
      get workers() {
        return allWorkers();
      },
      database,
      watchdog,
      metrics,
      close,
    };
  } catch (err) {
    stopAdopting.abort();
    await adopting;
    await relay?.stop().catch(() => {});
    await webhookQueue?.close().catch(() => {});
    await digestQueue?.close().catch(() => {});
    await discoverQueue?.close().catch(() => {});
    await closeQueues(queues).catch(() => {});
    await client.close().catch(() => {});
    if (ownsDatabase) await database?.close().catch(() => {});
    redis.disconnect();
    throw err;
  }
}
