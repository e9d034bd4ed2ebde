// Wires the tag processor to its queue.
import type { Worker } from 'bullmq';
import type { TagPayload } from '../../queues/payloads.js';
import { createStageWorker, type StageWorkerContext, type StageWorkerOptions } from '../stage-worker.js';
import { processTag, type TagDeps } from './processor.js';

export function createTagWorker(ctx: StageWorkerContext, deps: TagDeps, options?: StageWorkerOptions): Worker<TagPayload> {
  return createStageWorker('tag', (input) => processTag(input, deps), ctx, options);
}
