// The composition root: builds what this process shares from config, the chosen stages' workers
// and the side workers (discover, digests, webhooks) from their dependency factories, every one
// under the watchdog; `close()` drains in-flight jobs and closes what was opened, from one list.
import type { Worker } from 'bullmq';
import { createDigestQueue, syncTopicSchedulers } from '../queues/digests.js';
import { createDiscoverQueue, syncSourceSchedulers } from '../queues/discover.js';
import { stages as allStages, type Stage } from '../queues/names.js';
import { closeQueues, createQueues } from '../queues/queues.js';
import { createWebhookQueue } from '../queues/webhooks.js';
import { RedisPageStore } from '../shared/blobs/page-store.js';
import { Closers } from '../shared/closers.js';
import type { Config } from '../shared/config.js';
import { RedisDedupIndex } from '../shared/dedup/dedup-index.js';
import type { OutboxRelay } from '../shared/events/outbox-relay.js';
import { WebhookStore } from '../shared/events/webhooks.js';
import { HttpClient } from '../shared/fetch/fetch-page.js';
import { httpOptions } from '../shared/fetch/from-config.js';
import { RedisValidatorStore } from '../shared/fetch/validators-store.js';
import type { Logger } from '../shared/log.js';
import { MetricsPublisher } from '../shared/metrics/metrics-publisher.js';
import { PipelineMetrics } from '../shared/metrics/pipeline-metrics.js';
import { loadTopics } from '../shared/newsletters/topics.js';
import { RedisOutcomeStore } from '../shared/outcomes/outcome.js';
import { connectRedis, logReconnects, redisTarget } from '../shared/redis.js';
import { SourceStore } from '../shared/sources/source-store.js';
import { openDatabase, type Database } from '../shared/store/database.js';
import { migrate } from '../shared/store/migrate.js';
import { createDedupWorker } from './dedup/worker.js';
import * as factories from './dependencies.js';
import { createDigestWorker } from './digest/worker.js';
import { createDiscoverWorker } from './discover/worker.js';
import { createExtractWorker } from './extract/worker.js';
import { createFetchWorker } from './fetch/worker.js';
import type { StageWorkerContext } from './stage-worker.js';
import { createStoreWorker } from './store/worker.js';
import { createTagWorker } from './tag/worker.js';
import { WorkerWatchdog } from './watchdog.js';
import { createWebhookWorker } from './webhook/worker.js';

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
  /** Every worker of this process (a worker the watchdog replaced is not among them). */
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
  const concurrency = options.concurrency ?? 4;
  const closers = new Closers();
  try {
    const redis = await connectRedis(redisTarget(config), 'worker');
    closers.add('redis', () => redis.quit().catch(() => redis.disconnect()));
    logReconnects(redis, log);
    const prefix = config.NEWSLINE_PREFIX;
    const metrics = new PipelineMetrics();
    const client = new HttpClient({ ...httpOptions(config), onResponse: (status) => metrics.observeFetchStatus(status) });
    closers.add('http client', () => client.close());
    const queues = createQueues(redis, { prefix, attempts: config.NEWSLINE_JOB_ATTEMPTS });
    closers.add('queues', () => closeQueues(queues));
    const windowSeconds = factories.windowSeconds(config);
    const resources: factories.ProcessResources = {
      config,
      log,
      redis,
      queues,
      outcomes: new RedisOutcomeStore(redis, prefix),
      metrics,
      client,
      pages: new RedisPageStore(redis, prefix),
      validators: new RedisValidatorStore(redis, prefix, windowSeconds),
      urlIndex: new RedisDedupIndex(redis, prefix, { windowSeconds, shardBits: config.NEWSLINE_DEDUP_SHARD_BITS }),
      ...factories.crawlRules(config, redis, client),
      now: () => new Date(),
    };

    let database: Database | null = options.database ?? null;
    if (!database && wanted.has('store')) {
      const opened = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.NEWSLINE_DATA_DIR });
      closers.add('database', () => opened.close());
      database = opened;
    }
    if (database && wanted.has('store')) {
      const applied = await migrate(database);
      if (applied.length > 0) log.info({ applied }, 'migrations applied');
    }

    const ctx: StageWorkerContext = {
      connection: redis,
      prefix,
      backoffMs: config.NEWSLINE_BACKOFF_MS,
      queues,
      outcomes: resources.outcomes,
      log,
      metrics,
      lockMs: config.NEWSLINE_LOCK_MS,
      maxStalled: config.NEWSLINE_MAX_STALLED,
      ...(config.NEWSLINE_FUSE_STAGES ? { local: new Map() } : {}),
    };
    // Every worker runs under the watchdog, which may replace one that stops taking jobs.
    const watchdog = new WorkerWatchdog(log, {
      idleMs: config.NEWSLINE_WATCHDOG_MS || Number.MAX_SAFE_INTEGER,
      onRecovered: (name) => metrics.observeWorkerRecovered(name),
    });
    const stageOptions = { concurrency };
    if (wanted.has('fetch')) {
      const deps = factories.fetchDeps(resources);
      watchdog.watch({ name: 'fetch', queue: queues.fetch, create: () => createFetchWorker(ctx, deps, stageOptions) });
    }
    if (wanted.has('extract')) {
      const deps = factories.extractDeps(resources);
      watchdog.watch({ name: 'extract', queue: queues.extract, create: () => createExtractWorker(ctx, deps, stageOptions) });
    }
    if (wanted.has('dedup')) {
      const deps = factories.dedupDeps(resources);
      watchdog.watch({ name: 'dedup', queue: queues.dedup, create: () => createDedupWorker(ctx, deps, stageOptions) });
    }
    if (wanted.has('tag')) {
      const deps = factories.tagDeps(resources);
      watchdog.watch({ name: 'tag', queue: queues.tag, create: () => createTagWorker(ctx, deps, stageOptions) });
    }
    if (wanted.has('store') && database) {
      let relay: OutboxRelay | null = null;
      if (config.NEWSLINE_OUTBOX_RELAY) {
        // Webhooks ride on the relay: each published event fans out to matching subscriptions.
        const webhooks = new WebhookStore(database);
        const webhookQueue = createWebhookQueue(redis, { prefix, attempts: config.NEWSLINE_JOB_ATTEMPTS });
        closers.add('webhook queue', () => webhookQueue.close());
        const deps = factories.webhookDeps(resources, webhooks);
        watchdog.watch({ name: 'webhooks', queue: webhookQueue, create: () => createWebhookWorker(ctx, deps) });
        const started = factories.outboxRelay(resources, database, webhooks, webhookQueue);
        started.start();
        closers.add('outbox relay', () => started.stop());
        relay = started;
      }
      // Scheduled crawls of registered sources run where the database is.
      const sources = new SourceStore(database);
      const discoverQueue = createDiscoverQueue(redis, prefix);
      closers.add('discover queue', () => discoverQueue.close());
      await syncSourceSchedulers(discoverQueue, await sources.list());
      const discover = factories.discoverDeps(resources, sources);
      watchdog.watch({ name: 'discover', queue: discoverQueue, create: () => createDiscoverWorker(ctx, discover) });

      const topics = loadTopics(config.NEWSLINE_TOPICS_FILE);
      const digestQueue = createDigestQueue(redis, prefix);
      closers.add('digest queue', () => digestQueue.close());
      await syncTopicSchedulers(digestQueue, topics);
      const digests = factories.digestDeps(resources, database, topics, relay);
      watchdog.watch({ name: 'digests', queue: digestQueue, create: () => createDigestWorker(ctx, digests) });

      const store = factories.storeDeps(resources, database, { topics, concurrency, relay });
      watchdog.watch({ name: 'store', queue: queues.store, create: () => createStoreWorker(ctx, store, stageOptions) });
    }

    const publisher = new MetricsPublisher(redis, prefix, metrics.registry, { intervalMs: config.NEWSLINE_METRICS_PUSH_MS });
    closers.add('metrics publisher', () => publisher.stop());
    // Closed first: stop taking jobs and let running ones finish, for up to the shutdown timeout.
    let drainTimeoutMs = config.NEWSLINE_SHUTDOWN_TIMEOUT_MS;
    closers.add('workers', async () => {
      watchdog.stop();
      const workers = watchdog.workers();
      const drained = Promise.all(workers.map((w) => w.close())).then(() => true);
      const timedOut = new Promise<false>((r) => setTimeout(() => r(false), drainTimeoutMs).unref());
      if (!(await Promise.race([drained, timedOut]))) {
        log.warn({ timeoutMs: drainTimeoutMs }, 'jobs still running at shutdown timeout; they will be retried by another worker');
        // BullMQ hands a second close() the first one's promise, so `close(true)` cannot cut a
        // graceful close short (a worker whose blocking read is still reconnecting after a Redis
        // outage never finishes one): give it a moment, then close the rest regardless.
        const grace = new Promise<void>((r) => setTimeout(r, 1_000).unref());
        await Promise.race([Promise.all(workers.map((w) => w.close(true))), grace]);
      }
    });

    await Promise.all(watchdog.workers().map((w) => w.waitUntilReady()));
    publisher.start();
    if (config.NEWSLINE_WATCHDOG_MS > 0) watchdog.start();
    log.info({ stages: [...wanted], concurrency }, 'pipeline started');

    let closing: Promise<void> | null = null;
    return {
      get workers() {
        return watchdog.workers();
      },
      database,
      watchdog,
      metrics,
      close: (timeoutMs = config.NEWSLINE_SHUTDOWN_TIMEOUT_MS) => {
        drainTimeoutMs = timeoutMs;
        return (closing ??= closers.closeAll());
      },
    };
  } catch (err) {
    await closers.closeAll().catch(() => {});
    throw err;
  }
}
