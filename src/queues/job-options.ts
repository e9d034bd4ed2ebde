// Default job options shared by every stage queue.
import type { DefaultJobOptions } from 'bullmq';

/**
 * Retries with exponential backoff and jitter (1 s, 2 s, 4 s, … ± 50 %), and bounded history so
 * Redis does not grow without bound: completed jobs are kept an hour (at most 1,000), failed ones
 * a week (at most 10,000) for `newsline failed` and post-mortems.
 */
export const defaultJobOptions: DefaultJobOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1_000, jitter: 0.5 },
  removeOnComplete: { age: 3_600, count: 1_000 },
  removeOnFail: { age: 7 * 24 * 3_600, count: 10_000 },
};
