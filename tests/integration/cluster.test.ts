// The whole pipeline on a real Redis Cluster (three masters on loopback): queues, dedup and
// politeness indexes, outcomes and the event stream all work, so no command or script crosses
// slots, and the keys really are spread over the nodes; claims of the 0.1.0 dedup layout move from every master.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSampleSite, type SampleSite } from '../../src/demo/site/sample-site.js';
import { enqueueUrls } from '../../src/queues/producer.js';
import { closeQueues, createQueues } from '../../src/queues/queues.js';
import { loadConfig } from '../../src/shared/config.js';
import { eventsStreamKey, readEvents } from '../../src/shared/events/event-sink.js';
import { createLogger } from '../../src/shared/log.js';
import { RedisOutcomeStore, waitForOutcomes, type Outcome } from '../../src/shared/outcomes/outcome.js';
import { connectRedis, deleteKeys, redisTarget } from '../../src/shared/redis.js';
import { openPglite, type Database } from '../../src/shared/store/database.js';
import { migrate } from '../../src/shared/store/migrate.js';
import { startPipeline, type Pipeline } from '../../src/workers/pipeline.js';
import { hasRedisServer, startOwnCluster, type OwnCluster } from '../helpers/processes.js';
import { testPrefix } from '../helpers/redis.js';

if (!hasRedisServer()) console.warn('skipping the Redis Cluster test: no redis-server binary to start a cluster of its own');

describe.skipIf(!hasRedisServer())('on a Redis Cluster', () => {
  let cluster: OwnCluster;
  let site: SampleSite;
  let db: Database;
  let pipeline: Pipeline;
  let client: Redis;
  const prefix = testPrefix();

  beforeAll(async () => {
    cluster = await startOwnCluster();
    site = await startSampleSite();
    db = await openPglite(null);
    await migrate(db);
  }, 60_000);

  afterAll(async () => {
    await pipeline?.close();
    if (client) {
      await deleteKeys(client, `${prefix}:*`);
      client.disconnect();
    }
    await db?.close();
    await site?.close();
    await cluster?.stop();
  });

  it('runs fetch → store → events with keys on every master', async () => {
    const config = loadConfig({
      REDIS_CLUSTER_NODES: cluster.nodes.join(','),
      NEWSLINE_PREFIX: prefix,
      FETCH_ALLOW_PRIVATE: 'true',
      FETCH_HOST_INTERVAL_MS: '20',
      LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'silent',
    });
    pipeline = await startPipeline(config, createLogger(config.LOG_LEVEL), { database: db, concurrency: 4 });
    client = await connectRedis(redisTarget(config), 'worker');
    const queues = createQueues(client, { prefix, attempts: config.NEWSLINE_JOB_ATTEMPTS });
    try {
      const urls = [...site.articleUrls, site.syndicatedUrl, site.articleUrls[0]!, site.missingUrl];
      const enqueued = await enqueueUrls(queues.fetch, urls);
      const got = new Map<string, Outcome>();
      const pending = await waitForOutcomes(
        new RedisOutcomeStore(client, prefix),
        enqueued.map((e) => e.requestId),
        {
          timeoutMs: 60_000,
          onOutcome: (o) => got.set(o.requestId, o),
        },
      );
      expect(pending).toEqual([]);
      const outcomes = enqueued.map((e) => got.get(e.requestId)!.outcome);
      expect(outcomes.slice(0, site.articleUrls.length)).toEqual(site.articleUrls.map(() => 'stored'));
      expect(outcomes.slice(site.articleUrls.length)).toEqual(['duplicate', 'duplicate', 'failed']);

      let events: string[] = [];
      for (let i = 0; i < 100 && events.length < site.articleUrls.length + 2; i++) {
        events = (await readEvents(client, eventsStreamKey(prefix), { count: 1_000 })).map((e) => e.event.type);
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(events.filter((t) => t === 'news.article.stored')).toHaveLength(site.articleUrls.length);
      expect(events.filter((t) => t === 'news.article.duplicate')).toHaveLength(2);

      // The keys of different queues and indexes landed on different masters.
      const perNode = await Promise.all(
        cluster.nodes.map(async (n) => {
          const node = new Redis(`redis://${n}`);
          try {
            return await node.dbsize();
          } finally {
            node.disconnect();
          }
        }),
      );
      expect(perNode.filter((n) => n > 0).length).toBeGreaterThanOrEqual(2);
    } finally {
      await closeQueues(queues);
    }
  }, 90_000);
});
