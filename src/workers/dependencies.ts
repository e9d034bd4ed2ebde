// Per-stage dependency factories: each builds what one worker needs from what the process shares.
// The composition root (pipeline.ts) calls the ones for the stages it runs.
import { randomUUID } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { StageQueues } from '../queues/queues.js';
import { enqueueUrls } from '../queues/producer.js';
import { webhookJobId, type WebhookPayload } from '../queues/webhooks.js';
import type { Config } from '../shared/config.js';
import type { RedisPageStore } from '../shared/blobs/page-store.js';
import { type RedisDedupIndex, urlClaimKey } from '../shared/dedup/dedup-index.js';
import { RedisNearDuplicateIndex } from '../shared/dedup/near-index.js';
import { RedisStreamSink, eventsStreamKey } from '../shared/events/event-sink.js';
import { OutboxRelay } from '../shared/events/outbox-relay.js';
import { WebhookFanOut, type WebhookStore } from '../shared/events/webhooks.js';
import type { HttpClient } from '../shared/fetch/fetch-page.js';
import { RedisPoliteness } from '../shared/fetch/politeness.js';
import { RedisRobotsCache, RobotsPolicy } from '../shared/fetch/robots.js';
import type { RedisValidatorStore } from '../shared/fetch/validators-store.js';
import { politeFetch, type PoliteFetchDeps } from '../shared/fetch/polite-fetch.js';
import { RedisDocumentValidators } from '../shared/sources/document-validators.js';
import type { Logger } from '../shared/log.js';
import type { PipelineMetrics } from '../shared/metrics/pipeline-metrics.js';
import type { Topic } from '../shared/newsletters/topics.js';
import type { OutcomeStore } from '../shared/outcomes/outcome.js';
import { SeenUrls } from '../shared/sources/seen-urls.js';
import type { SourceStore } from '../shared/sources/source-store.js';
import { SqlArticleStore } from '../shared/store/article-store.js';
import type { Database } from '../shared/store/database.js';
import { loadGazetteer } from '../shared/tag/gazetteer.js';
import { MultilingualMatcher } from '../shared/tag/languages/tagger.js';
import type { DedupDeps } from './dedup/processor.js';
import type { DigestDeps } from './digest/processor.js';
import type { DiscoverDeps } from './discover/processor.js';
import type { ExtractDeps } from './extract/processor.js';
import type { FetchDeps } from './fetch/processor.js';
import type { StoreDeps } from './store/processor.js';
import type { TagDeps } from './tag/processor.js';
import type { WebhookDeps } from './webhook/processor.js';

/** What every worker of one process shares. */
export interface ProcessResources {
  config: Config;
  log: Logger;
  redis: Redis;
  queues: StageQueues;
  outcomes: OutcomeStore;
  metrics: PipelineMetrics;
  /** One dispatcher (and address guard) for every outgoing request of this process. */
  client: HttpClient;
  pages: RedisPageStore;
  validators: RedisValidatorStore;
  urlIndex: RedisDedupIndex;
  /** robots.txt and per-host politeness, shared by page fetches and source crawls. */
  robots: RobotsPolicy;
  politeness: RedisPoliteness;
  now: () => Date;
}

export function windowSeconds(config: Config): number {
  return config.NEWSLINE_DEDUP_WINDOW_DAYS * 86_400;
}

/** The robots.txt policy and host politeness of one process. */
export function crawlRules(config: Config, redis: Redis, client: HttpClient): { robots: RobotsPolicy; politeness: RedisPoliteness } {
  return {
    robots: new RobotsPolicy(client, new RedisRobotsCache(redis, config.NEWSLINE_PREFIX), {
      ttlSeconds: config.FETCH_ROBOTS_TTL_S,
      retryMs: config.FETCH_ROBOTS_RETRY_MS,
    }),
    politeness: new RedisPoliteness(redis, config.NEWSLINE_PREFIX, { maxConcurrent: config.FETCH_HOST_CONCURRENCY }),
  };
}

export function fetchDeps(r: ProcessResources): FetchDeps {
  const { config } = r;
  return {
    fetchPage: (url, opts) => r.client.fetchPage(url, opts),
    robots: r.robots,
    politeness: r.politeness,
    validators: r.validators,
    seenUrl: (url) => r.urlIndex.owner('url', urlClaimKey(url)),
    pages: r.pages,
    hostIntervalMs: config.FETCH_HOST_INTERVAL_MS,
    crawlDelayCapMs: config.FETCH_CRAWL_DELAY_CAP_MS,
    now: r.now,
  };
}

export function extractDeps(r: ProcessResources): ExtractDeps {
  return { pages: r.pages };
}

export function dedupDeps(r: ProcessResources): DedupDeps {
  const { config } = r;
  return {
    index: r.urlIndex,
    near: new RedisNearDuplicateIndex(r.redis, config.NEWSLINE_PREFIX, {
      windowSeconds: windowSeconds(config),
      threshold: config.NEWSLINE_NEAR_THRESHOLD,
      anchorThreshold: config.NEWSLINE_NEAR_ANCHOR_THRESHOLD,
      shardBits: config.NEWSLINE_NEAR_SHARD_BITS,
    }),
  };
}

export function tagDeps(r: ProcessResources): TagDeps {
  return { matchers: new MultilingualMatcher(loadGazetteer(r.config.NEWSLINE_GAZETTEER_EXTRA)) };
}

export function storeDeps(
  r: ProcessResources,
  database: Database,
  options: { topics: Topic[]; concurrency: number; relay: OutboxRelay | null },
): StoreDeps {
  const { config } = r;
  return {
    recordOf: async (requestId) => (await r.outcomes.get(requestId))?.articleId ?? null,
    topics: options.topics,
    // A batch larger than the jobs in flight would never fill: every job would wait out the linger.
    store: new SqlArticleStore(database, {
      batch: {
        maxSize: Math.min(config.NEWSLINE_STORE_BATCH, options.concurrency),
        lingerMs: config.NEWSLINE_STORE_LINGER_MS,
        onBatch: (size) => r.metrics.observeStoreBatch(size),
      },
    }),
    validators: r.validators,
    eventSource: config.NEWSLINE_EVENT_SOURCE,
    schemaBase: config.NEWSLINE_SCHEMA_BASE,
    now: r.now,
    onCommitted: () => options.relay?.nudge(),
  };
}

/** The outbox relay, whose published events also fan out to the webhook queue. */
export function outboxRelay(
  r: ProcessResources,
  database: Database,
  webhooks: WebhookStore,
  webhookQueue: Queue<WebhookPayload>,
): OutboxRelay {
  const fanOut = new WebhookFanOut(webhooks, async (subscriptionId, event) => {
    const payload: WebhookPayload = { subscriptionId, event: event as unknown as WebhookPayload['event'] };
    await webhookQueue.add('deliver', payload, { jobId: webhookJobId(subscriptionId, event.id) });
  });
  const sink = new RedisStreamSink(r.redis, { key: eventsStreamKey(r.config.NEWSLINE_PREFIX), maxLen: r.config.NEWSLINE_EVENTS_MAXLEN });
  return new OutboxRelay(database, sink, r.log, { onPublished: (event) => fanOut.publish(event) });
}

export function webhookDeps(r: ProcessResources, webhooks: WebhookStore): WebhookDeps {
  return {
    subscription: (id) => webhooks.get(id),
    post: (url, body, headers) => r.client.postJson(url, body, headers),
    recordDelivery: (id, status, error) => webhooks.recordDelivery(id, status, error ?? null),
    now: r.now,
  };
}

export function discoverDeps(r: ProcessResources, sources: SourceStore): DiscoverDeps {
  const { config } = r;
  const seen = new SeenUrls(r.redis, config.NEWSLINE_PREFIX, r.urlIndex, windowSeconds(config));
  const polite: PoliteFetchDeps = {
    fetchPage: (url, opts) => r.client.fetchPage(url, opts),
    robots: r.robots,
    politeness: r.politeness,
    hostIntervalMs: config.FETCH_HOST_INTERVAL_MS,
    crawlDelayCapMs: config.FETCH_CRAWL_DELAY_CAP_MS,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    leaseId: () => `discover-${randomUUID()}`,
  };
  return {
    source: (id) => sources.get(id),
    fetch: (url, opts) => politeFetch(polite, url, opts),
    documents: new RedisDocumentValidators(r.redis, config.NEWSLINE_PREFIX, windowSeconds(config)),
    maxUrls: config.NEWSLINE_SOURCE_MAX_URLS,
    seenBefore: (url) => seen.seenBefore(url),
    enqueue: async (entries, sourceId) => {
      const items = entries.map(({ url, ...listed }) => ({ url, hints: { ...listed, source: sourceId } }));
      await enqueueUrls(r.queues.fetch, items);
    },
    recordRun: (id, run) => sources.recordRun(id, run),
  };
}

export function digestDeps(r: ProcessResources, database: Database, topics: Topic[], relay: OutboxRelay | null): DigestDeps {
  return {
    db: database,
    topics,
    source: r.config.NEWSLINE_EVENT_SOURCE,
    schemaBase: r.config.NEWSLINE_SCHEMA_BASE,
    publication: r.config.NEWSLINE_PUBLICATION_NAME,
    now: r.now,
    onCommitted: () => relay?.nudge(),
  };
}
