// Runs the real pipeline in-process for a test: its own prefix, a chosen store, loopback allowed.
import { Redis } from 'ioredis';
import type { Stage } from '../../src/queues/names.js';
import { createQueues, closeQueues, type StageQueues } from '../../src/queues/queues.js';
import { enqueueUrls } from '../../src/queues/producer.js';
import { loadConfig, type Config } from '../../src/shared/config.js';
import { createLogger } from '../../src/shared/log.js';
import { RedisOutcomeStore, waitForOutcomes, type Outcome } from '../../src/shared/outcomes/outcome.js';
import type { Database } from '../../src/shared/store/database.js';
import type { CloudEvent } from '../../src/shared/events/cloud-event.js';
import { eventsStreamKey, readEvents } from '../../src/shared/events/event-sink.js';
import { startPipeline, type Pipeline } from '../../src/workers/pipeline.js';
import { cleanupPrefix, redisUrl, testPrefix } from './redis.js';

export interface TestPipeline {
  config: Config;
  redis: Redis;
  queues: StageQueues;
  pipeline: Pipeline;
  /** Enqueue and wait for every outcome (in submission order). */
  run(urls: string[], timeoutMs?: number): Promise<Outcome[]>;
  close(): Promise<void>;
}

export async function startTestPipeline(
  database: Database,
  env: Record<string, string> = {},
  options: { stages?: Stage[] } = {},
): Promise<TestPipeline> {
  const config = loadConfig({
    REDIS_URL: await redisUrl(),
    NEWSLINE_PREFIX: testPrefix(),
    FETCH_ALLOW_PRIVATE: 'true',
    FETCH_HOST_INTERVAL_MS: '20',
    LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'silent',
    ...env,
  });
  const redis = new Redis(config.REDIS_URL);
  const queues = createQueues(redis, { prefix: config.NEWSLINE_PREFIX, attempts: config.NEWSLINE_JOB_ATTEMPTS });
  const pipeline = await startPipeline(config, createLogger(config.LOG_LEVEL), { database, concurrency: 4, stages: options.stages });
  const outcomes = new RedisOutcomeStore(redis, config.NEWSLINE_PREFIX);
  return {
    config,
    redis,
    queues,
    pipeline,
    async run(urls, timeoutMs = 30_000) {
      const enqueued = await enqueueUrls(queues.fetch, urls);
      const got = new Map<string, Outcome>();
      const pending = await waitForOutcomes(
        outcomes,
        enqueued.map((e) => e.requestId),
        {
          timeoutMs,
          onOutcome: (o) => got.set(o.requestId, o),
        },
      );
      if (pending.length > 0) throw new Error(`${pending.length} request(s) had no outcome after ${timeoutMs} ms`);
      return enqueued.map((e) => got.get(e.requestId)!);
    },
    async close() {
      await closeQueues(queues);
      await pipeline.close();
      await cleanupPrefix(config.NEWSLINE_PREFIX);
      redis.disconnect();
    },
  };
}

/** Events reach the stream through the outbox relay, a moment after the outcome: wait for `count`. */
export async function waitForEvents(
  t: TestPipeline,
  count: number,
  options: { type?: string; timeoutMs?: number } = {},
): Promise<CloudEvent[]> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    const events = (await readEvents(t.redis, eventsStreamKey(t.config.NEWSLINE_PREFIX), { count: 10_000 })).map((e) => e.event);
    const counted = options.type ? events.filter((e) => e.type === options.type) : events;
    if (counted.length >= count || Date.now() > deadline) return events;
    await new Promise((r) => setTimeout(r, 50));
  }
}
