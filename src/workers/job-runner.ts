// The one job runner every worker goes through, pipeline stages and side queues (discover,
// digests, webhooks) alike: validate the payload, run the processor, turn the error's retry policy
// into what BullMQ should do, listen for worker errors, and count each job.
import { performance } from 'node:perf_hooks';
import { DelayedError, MetricsTime, UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { z } from 'zod';
import { retryDelay } from '../queues/job-options.js';
import { settingDefault } from '../shared/settings.js';
import { describeError, isNewslineError, type NewslineError } from '../shared/errors.js';
import type { Logger } from '../shared/log.js';
import type { ReasonCode } from '../shared/outcomes/reasons.js';
import type { JobResult, PipelineMetrics } from '../shared/metrics/pipeline-metrics.js';

/** What every worker of a process shares: the connection, the retry base, logging and metrics. */
export interface JobRunnerContext {
  connection: Redis;
  prefix: string;
  /** Base of the exponential retry delay (ms). */
  backoffMs: number;
  log: Logger;
  /** Where job durations are counted (none: not counted). */
  metrics?: PipelineMetrics;
  /**
   * How long a job's lock lasts without renewal; a worker that dies holding one is noticed
   * (its job "stalled" and put back) within about twice this.
   * @defaultValue NEWSLINE_LOCK_MS
   */
  lockMs?: number;
  /**
   * Times a job may be put back after its worker died before it fails for good.
   * @defaultValue NEWSLINE_MAX_STALLED
   */
  maxStalled?: number;
}

/** How a job ended, for the duration metric: its own `result`, or an error. */
export interface JobRun<Out> {
  value: Out;
  /** @defaultValue 'done' */
  result?: JobResult;
  /** Time spent in later stages run in this job (fused), not counted as this job's. */
  excludedMs?: number;
}

export interface JobDefinition<In, Out> {
  /** The label in logs and metrics: a stage name, `discover`, `digests`, `webhooks`. */
  name: string;
  queue: string;
  schema: z.ZodType<In>;
  process(input: In, job: Job, token: string | undefined): Promise<JobRun<Out>>;
  /**
   * Jobs run at once.
   * @defaultValue 4
   */
  concurrency?: number;
  /** Told once when a job ends for good without success (invalid payload, permanent error, last attempt). */
  onGaveUp?(data: unknown, reason: ReasonCode, detail: string): Promise<void>;
  /** Told when BullMQ failed a job the runner never saw end (its workers kept dying: stalled). */
  onStalledOut?(job: Job, err: Error): Promise<void>;
}

export function createJobWorker<In, Out>(def: JobDefinition<In, Out>, ctx: JobRunnerContext): Worker<In> {
  const log = ctx.log.child({ stage: def.name });

  const runJob = async (job: Job<In>, token: string | undefined, timing: { excludedMs: number; result: JobResult }): Promise<Out> => {
    const parsed = def.schema.safeParse(job.data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const detail = `invalid ${def.name} payload: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`;
      await def.onGaveUp?.(job.data, 'invalid_payload', detail);
      throw new UnrecoverableError(detail);
    }
    try {
      const run = await def.process(parsed.data, job, token);
      timing.excludedMs = run.excludedMs ?? 0;
      timing.result = run.result ?? 'done';
      return run.value;
    } catch (err) {
      if (err instanceof DelayedError) throw err;
      const coded: NewslineError | null = isNewslineError(err) ? err : null;
      if (coded?.retry === 'permanent') {
        await def.onGaveUp?.(job.data, coded.code, coded.message);
        log.warn({ jobId: job.id, reason: coded.code }, coded.message);
        throw new UnrecoverableError(`${coded.code}: ${coded.message}`);
      }
      if (coded?.retry === 'rate-limited' && coded.retryAt !== undefined && token) {
        log.info({ jobId: job.id, until: new Date(coded.retryAt).toISOString() }, coded.message);
        await job.moveToDelayed(coded.retryAt, token);
        throw new DelayedError();
      }
      const attempts = job.opts.attempts ?? 1;
      if (job.attemptsMade + 1 >= attempts) await def.onGaveUp?.(job.data, coded?.code ?? 'internal', describeError(err));
      log.warn({ jobId: job.id, attempt: job.attemptsMade + 1, of: attempts }, describeError(err));
      throw err;
    }
  };

  const run = async (job: Job<In>, token?: string): Promise<Out> => {
    const started = performance.now();
    const timing: { excludedMs: number; result: JobResult } = { excludedMs: 0, result: 'error' };
    try {
      return await runJob(job, token, timing);
    } finally {
      ctx.metrics?.observeJob(def.name, (performance.now() - started - timing.excludedMs) / 1_000, timing.result);
    }
  };

  const lockMs = ctx.lockMs ?? settingDefault('NEWSLINE_LOCK_MS');
  const worker = new Worker<In>(def.queue, run, {
    connection: ctx.connection as unknown as ConnectionOptions,
    prefix: ctx.prefix,
    concurrency: def.concurrency ?? 4,
    autorun: true,
    settings: { backoffStrategy: retryDelay(ctx.backoffMs) },
    lockDuration: lockMs,
    stalledInterval: lockMs,
    maxStalledCount: ctx.maxStalled ?? settingDefault('NEWSLINE_MAX_STALLED'),
    // BullMQ's own per-minute completed/failed counts, exported on /metrics.
    metrics: { maxDataPoints: MetricsTime.ONE_WEEK },
  });
  // Without an error listener BullMQ warns that a worker may stop processing. While Redis is
  // unreachable every connection of every worker fails at once; the process's connection logs
  // that once per reconnect attempt (logReconnects), so only errors with Redis up are logged here.
  worker.on('error', (err) => {
    if (ctx.connection.status === 'ready') log.error({ err: describeError(err) }, 'worker error');
  });
  const onStalledOut = def.onStalledOut;
  if (onStalledOut) {
    worker.on('failed', (job, err) => {
      if (!job) return;
      void (async () => {
        if (await job.isFailed()) await onStalledOut(job, err);
      })().catch((e: unknown) => log.error({ err: describeError(e) }, 'recording a stalled job failed'));
    });
  }
  return worker;
}
