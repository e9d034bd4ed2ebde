// Wires digest compilation to the digest queue (jobs come from the topics' schedulers).
import { UnrecoverableError, Worker, type ConnectionOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { DIGEST_QUEUE, digestPayload, type DigestPayload } from '../../queues/digests.js';
import type { Logger } from '../../shared/log.js';
import { compileDigest } from '../../shared/newsletters/digest.js';
import type { Topic } from '../../shared/newsletters/topics.js';
import type { Database } from '../../shared/store/database.js';

export function createDigestWorker(
  connection: Redis,
  options: { prefix: string; log: Logger },
  deps: { db: Database; topics: Topic[]; source: string; schemaBase: string; now(): Date; onCommitted?: () => void },
): Worker<DigestPayload> {
  return new Worker<DigestPayload>(
    DIGEST_QUEUE,
    async (job) => {
      const parsed = digestPayload.safeParse(job.data);
      const topic = parsed.success ? deps.topics.find((t) => t.name === parsed.data.topic) : undefined;
      if (!topic) throw new UnrecoverableError(`no topic ${JSON.stringify(job.data)} in NEWSLINE_TOPICS_FILE`);
      const digest = await compileDigest(deps.db, topic, { now: deps.now(), source: deps.source, schemaBase: deps.schemaBase });
      if (digest) deps.onCommitted?.();
      options.log.info({ topic: topic.name, items: digest?.items.length ?? 0 }, digest ? 'digest compiled' : 'no new items; no digest');
      return { items: digest?.items.length ?? 0 };
    },
    { connection: connection as unknown as ConnectionOptions, prefix: options.prefix, concurrency: 1 },
  );
}
