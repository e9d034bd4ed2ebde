// Wires the fetch processor to its queue.
import type { Worker } from 'bullmq';
import type { FetchPayload } from '../../queues/payloads.js';
import { createStageWorker, type StageWorkerContext, type StageWorkerOptions } from '../stage-worker.js';
import { processFetch, type FetchDeps } from './processor.js';

export function createFetchWorker(ctx: StageWorkerContext, deps: FetchDeps, options?: StageWorkerOptions): Worker<FetchPayload> {
  return createStageWorker('fetch', (input) => processFetch(input, deps), ctx, options);
}
