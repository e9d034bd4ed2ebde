// Default job options shared by every stage queue, and the retry delay they use.
import type { DefaultJobOptions } from 'bullmq';
import { isNewslineError } from '../shared/errors.js';
import { settingDefault } from '../shared/settings.js';

export const BACKOFF_TYPE = 'newsline';

export interface JobOptionsSettings {
  /** @defaultValue NEWSLINE_JOB_ATTEMPTS */
  attempts?: number;
}

/**
 * Retries with backoff (see `retryDelay`), and bounded history so Redis does not grow without
 * bound: the last 100 completed jobs of a queue are kept (an hour at most) to look at — later
 * stages' jobs carry whole articles, so more would cost kilobytes per article — and failed ones
 * a week (at most 10,000) for inspection and retry.
 */
export function defaultJobOptions(settings: JobOptionsSettings = {}): DefaultJobOptions {
  return {
    attempts: settings.attempts ?? settingDefault('NEWSLINE_JOB_ATTEMPTS'),
    backoff: { type: BACKOFF_TYPE },
    removeOnComplete: { age: 3_600, count: 100 },
    removeOnFail: { age: 7 * 24 * 3_600, count: 10_000 },
  };
}

/**
 * The delay before retry `attemptsMade`: the time a server asked for (Retry-After) when the
 * error carries one, else exponential — base, 2×base, 4×base… — with ±50 % jitter so that
 * failures from one outage do not retry in lockstep.
 */
export function retryDelay(baseMs: number): (attemptsMade: number, type?: string, err?: Error) => number {
  return (attemptsMade, _type, err) => {
    if (isNewslineError(err) && err.retryAt !== undefined) return Math.max(0, err.retryAt - Date.now());
    const ceiling = baseMs * 2 ** Math.max(0, attemptsMade - 1);
    return Math.round(ceiling * (0.5 + Math.random() * 0.5));
  };
}
