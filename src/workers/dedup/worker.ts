// Wires the dedup processor to its queue.
import type { Worker } from 'bullmq';
import type { DedupPayload } from '../../queues/payloads.js';
import { createStageWorker, type StageWorkerContext, type StageWorkerOptions } from '../stage-worker.js';
import { processDedup, type DedupDeps } from './processor.js';

export function createDedupWorker(ctx: StageWorkerContext, deps: DedupDeps, options?: StageWorkerOptions): Worker<DedupPayload> {
  return createStageWorker('dedup', (input) => processDedup(input, deps), ctx, options);
}
