// The dead-letter view: jobs that used up their attempts (or were refused as unrecoverable),
// stage by stage, and sending them round again.
import type { Job } from 'bullmq';
import { stages, type Stage } from './names.js';
import type { StageQueues } from './queues.js';

export interface FailedJob {
  stage: Stage;
  jobId: string;
  requestId: string | null;
  url: string | null;
  attemptsMade: number;
  failedReason: string;
  /** ISO time the last attempt failed. */
  failedAt: string | null;
}

function describe(stage: Stage, job: Job): FailedJob {
  const data = (job.data ?? {}) as { requestId?: unknown; url?: unknown };
  return {
    stage,
    jobId: String(job.id),
    requestId: typeof data.requestId === 'string' ? data.requestId : null,
    url: typeof data.url === 'string' ? data.url : null,
    attemptsMade: job.attemptsMade,
    failedReason: job.failedReason,
    failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
  };
}

/** Failed jobs, newest first, of one stage or all; at most `limit` per stage. */
export async function listFailed(queues: StageQueues, options: { stage?: Stage; limit?: number } = {}): Promise<FailedJob[]> {
  const limit = options.limit ?? 100;
  const out: FailedJob[] = [];
  for (const stage of options.stage ? [options.stage] : stages) {
    for (const job of await queues[stage].getFailed(0, limit - 1)) if (job) out.push(describe(stage, job as Job));
  }
  return out;
}

/**
 * Move failed jobs back to waiting with fresh attempts: the given ids, or (with `all`) every
 * failed job of the stage(s). Returns what was retried; ids that are not failed are reported.
 */
export async function retryFailed(
  queues: StageQueues,
  options: { stage?: Stage; jobIds?: string[]; all?: boolean },
): Promise<{ retried: Array<{ stage: Stage; jobId: string }>; notFound: string[] }> {
  const retried: Array<{ stage: Stage; jobId: string }> = [];
  const wanted = new Set(options.jobIds ?? []);
  for (const stage of options.stage ? [options.stage] : stages) {
    const queue = queues[stage];
    // --all: the failed set itself; ids: each looked up (it may be in another stage, or not failed).
    const jobs = options.all
      ? ((await queue.getFailed(0, -1)) as Array<Job | undefined>)
      : await Promise.all([...wanted].map(async (id) => ((await queue.getJob(id)) as Job | undefined) ?? undefined));
    for (const job of jobs) {
      if (!job || !(await job.isFailed())) continue;
      await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
      retried.push({ stage, jobId: String(job.id) });
      wanted.delete(String(job.id));
    }
  }
  return { retried, notFound: options.all ? [] : [...wanted] };
}
