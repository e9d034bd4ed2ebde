// Wires the store processor to its queue.
import type { Worker } from 'bullmq';
import type { StorePayload } from '../../queues/payloads.js';
import { createStageWorker, type StageWorkerContext, type StageWorkerOptions } from '../stage-worker.js';
import { processStore, type StoreDeps } from './processor.js';

export function createStoreWorker(ctx: StageWorkerContext, deps: StoreDeps, options?: StageWorkerOptions): Worker<StorePayload> {
  return createStageWorker('store', (input) => processStore(input, deps), ctx, options);
}
