// Wires digest compilation to the digest queue (jobs come from the topics' schedulers).
import type { Worker } from 'bullmq';
import { DIGEST_QUEUE, digestPayload, type DigestPayload } from '../../queues/digests.js';
import { createJobWorker, type JobRunnerContext } from '../job-runner.js';
import { processDigest, type DigestDeps } from './processor.js';

export function createDigestWorker(ctx: JobRunnerContext, deps: DigestDeps): Worker<DigestPayload> {
  const log = ctx.log.child({ stage: 'digests' });
  return createJobWorker(
    {
      name: 'digests',
      queue: DIGEST_QUEUE,
      schema: digestPayload,
      concurrency: 1,
      process: async (input) => {
        const result = await processDigest(input, deps);
        log.info(result, result.items > 0 ? 'digest compiled' : 'no new items; no digest');
        return { value: result };
      },
    },
    ctx,
  );
}
