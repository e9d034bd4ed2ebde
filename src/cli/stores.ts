// Opening what a command needs for its run: the article store (the configured database,
// migrated) or the stage queues on their own Redis connection; both closed when it is done.
import type { Redis } from 'ioredis';
import { closeQueues, createQueues, type StageQueues } from '../queues/queues.js';
import type { Config } from '../shared/config.js';
import { connectRedis, redisTarget } from '../shared/redis.js';
import { SqlArticleStore } from '../shared/store/article-store.js';
import { openDatabase, type Database } from '../shared/store/database.js';
import { migrate } from '../shared/store/migrate.js';
import type { DeadLetterQueues } from '../queues/dead-letter.js';
import { createDigestQueue } from '../queues/digests.js';
import { createDiscoverQueue } from '../queues/discover.js';
import { createWebhookQueue } from '../queues/webhooks.js';

export async function withArticleStore<T>(config: Config, fn: (store: SqlArticleStore, db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.NEWSLINE_DATA_DIR });
  try {
    if (!db.readOnly) await migrate(db); // read through a running process, which migrated it
    return await fn(new SqlArticleStore(db), db);
  } finally {
    await db.close();
  }
}

export async function withQueues<T>(config: Config, fn: (queues: StageQueues, redis: Redis) => Promise<T>): Promise<T> {
  const redis = await connectRedis(redisTarget(config), 'producer');
  const queues = createQueues(redis, { prefix: config.NEWSLINE_PREFIX, attempts: config.NEWSLINE_JOB_ATTEMPTS });
  try {
    return await fn(queues, redis);
  } finally {
    await closeQueues(queues);
    await redis.quit();
  }
}

/** Every queue whose failed jobs an operator may list and retry: the stages and the side queues. */
export async function withDeadLetterQueues<T>(config: Config, fn: (queues: DeadLetterQueues) => Promise<T>): Promise<T> {
  return withQueues(config, async (stageQueues, redis) => {
    const prefix = config.NEWSLINE_PREFIX;
    const side = {
      discover: createDiscoverQueue(redis, prefix),
      digests: createDigestQueue(redis, prefix),
      webhooks: createWebhookQueue(redis, { prefix, attempts: config.NEWSLINE_JOB_ATTEMPTS }),
    };
    try {
      return await fn({ ...stageQueues, ...side });
    } finally {
      await Promise.all(Object.values(side).map((q) => q.close()));
    }
  });
}
