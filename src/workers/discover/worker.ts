// Wires discovery to its queue (jobs come from each source's scheduler).
import type { Worker } from 'bullmq';
import { DISCOVER_QUEUE, discoverPayload, type DiscoverPayload } from '../../queues/discover.js';
import { createJobWorker, type JobRunnerContext } from '../job-runner.js';
import { processDiscover, type DiscoverDeps } from './processor.js';

export function createDiscoverWorker(ctx: JobRunnerContext, deps: DiscoverDeps): Worker<DiscoverPayload> {
  const log = ctx.log.child({ stage: 'discover' });
  return createJobWorker(
    {
      name: 'discover',
      queue: DISCOVER_QUEUE,
      schema: discoverPayload,
      concurrency: 2,
      process: async (input) => {
        const run = await processDiscover(input, deps);
        log.info({ source: input.sourceId, ...run }, 'source crawled');
        return { value: run };
      },
    },
    ctx,
  );
}
