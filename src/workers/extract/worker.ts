// Wires the extract processor to its queue.
import type { Worker } from 'bullmq';
import type { ExtractPayload } from '../../queues/payloads.js';
import { createStageWorker, type StageWorkerContext, type StageWorkerOptions } from '../stage-worker.js';
import { processExtract, type ExtractDeps } from './processor.js';

export function createExtractWorker(ctx: StageWorkerContext, deps: ExtractDeps, options?: StageWorkerOptions): Worker<ExtractPayload> {
  return createStageWorker('extract', (input) => processExtract(input, deps), ctx, options);
}
