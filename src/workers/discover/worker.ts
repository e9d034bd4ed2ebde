// Wires discovery to its queue (jobs come from each source's scheduler).
import { UnrecoverableError, Worker, type ConnectionOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { DISCOVER_QUEUE, discoverPayload, type DiscoverPayload } from '../../queues/discover.js';
import type { Logger } from '../../shared/log.js';
import { processDiscover, type DiscoverDeps } from './processor.js';

export function createDiscoverWorker(connection: Redis, options: { prefix: string; log: Logger }, deps: DiscoverDeps): Worker<DiscoverPayload> {
  const log = options.log.child({ stage: 'discover' });
  return new Worker<DiscoverPayload>(
    DISCOVER_QUEUE,
    async (job) => {
      const parsed = discoverPayload.safeParse(job.data);
      if (!parsed.success) throw new UnrecoverableError(`invalid discover job: ${parsed.error.issues[0]?.message}`);
      const run = await processDiscover(parsed.data, deps);
      log.info({ source: parsed.data.sourceId, ...run }, 'source crawled');
      return run;
    },
    { connection: connection as unknown as ConnectionOptions, prefix: options.prefix, concurrency: 2 },
  );
}
