// The dead-letter view: jobs that used up their attempts (or were refused as unrecoverable),
// stage by stage, and sending them round again.
import type { Job, Queue } from 'bullmq';
import { stages } from './names.js';

/** Queues whose failed jobs can be listed and retried: every stage, and the side queues. */
export const deadLetterQueues = [...stages, 'discover', 'digests', 'webhooks'] as const;
export type DeadLetterQueue = (typeof deadLetterQueues)[number];
export type DeadLetterQueues = Partial<Record<DeadLetterQueue, Queue>>;

export function isDeadLetterQueue(value: string): value is DeadLetterQueue {
  return (deadLetterQueues as readonly string[]).includes(value);
}

export interface FailedJob {
  stage: DeadLetterQueue;
  jobId: string;
  requestId: string | null;
  url: string | null;
  attemptsMade: number;
  failedReason: string;
  /** ISO time the last attempt failed. */
  failedAt: string | null;
}

function describe(stage: DeadLetterQueue, job: Job): FailedJob {
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

/** The queues asked for, in pipeline order, that are there. */
function chosen(queues: DeadLetterQueues, only: DeadLetterQueue | undefined): Array<[DeadLetterQueue, Queue]> {
  return (only ? [only] : deadLetterQueues).flatMap((name) => (queues[name] ? [[name, queues[name]] as [DeadLetterQueue, Queue]] : []));
}

/** Failed jobs, newest first, of one queue or all; at most `limit` per queue. */
export async function listFailed(
  queues: DeadLetterQueues,
  options: { stage?: DeadLetterQueue | undefined; limit?: number } = {},
): Promise<FailedJob[]> {
  const limit = options.limit ?? 100;
  const out: FailedJob[] = [];
  for (const [stage, queue] of chosen(queues, options.stage)) {
    for (const job of await queue.getFailed(0, limit - 1)) if (job) out.push(describe(stage, job as Job));
  }
  return out;
}

/**
 * Move failed jobs back to waiting with fresh attempts: the given ids, or (with `all`) every
 * failed job of the stage(s). Returns what was retried; ids that are not failed are reported.
 */
export async function retryFailed(
  queues: DeadLetterQueues,
  options: { stage?: DeadLetterQueue | undefined; jobIds?: string[]; all?: boolean | undefined },
): Promise<{ retried: Array<{ stage: DeadLetterQueue; jobId: string }>; notFound: string[] }> {
  const retried: Array<{ stage: DeadLetterQueue; jobId: string }> = [];
  const wanted = new Set(options.jobIds ?? []);
  for (const [stage, queue] of chosen(queues, options.stage)) {
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
