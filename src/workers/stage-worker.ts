// The one job runner every stage shares: validate the payload, run the processor, hand off or
// record the outcome, and turn the error's retry policy into what BullMQ should do.
import { performance } from 'node:perf_hooks';
import { DelayedError, MetricsTime, UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { retryDelay } from '../queues/job-options.js';
import { queueName, stages, type Stage } from '../queues/names.js';
import { payloadSchemas, type StagePayloads } from '../queues/payloads.js';
import type { StageQueues } from '../queues/queues.js';
import { describeError, isNewslineError } from '../shared/errors.js';
import type { Logger } from '../shared/log.js';
import type { JobResult, PipelineMetrics } from '../shared/metrics/pipeline-metrics.js';
import type { OutcomeStore } from '../shared/outcomes/outcome.js';
import type { OutcomeFields, StageOutput } from './stage.js';

export interface StageWorkerContext {
  connection: Redis;
  prefix: string;
  /** Base of the exponential retry delay (ms). */
  backoffMs: number;
  queues: StageQueues;
  outcomes: OutcomeStore;
  log: Logger;
  /**
   * The processors of the stages this process runs, when stages are fused: a stage whose next
   * stage is here runs it directly instead of queueing it (see `handOff`). Filled by
   * `createStageWorker`; leave unset to hand every request through Redis.
   */
  local?: Map<Stage, AnyProcessor<Stage>>;
  /** Where job durations, outcomes and stage verdicts are counted (none: not counted). */
  metrics?: PipelineMetrics;
  /**
   * How long a job's lock lasts without renewal; a worker that dies holding one is noticed
   * (its job "stalled" and put back) within about twice this.
   * @defaultValue 30000
   */
  lockMs?: number;
  /**
   * Times a job may be put back after its worker died before it fails for good.
   * @defaultValue 2
   */
  maxStalled?: number;
}

export interface StageWorkerOptions {
  /**
   * Jobs this worker runs at once.
   * @defaultValue 4
   */
  concurrency?: number;
}

type AnyProcessor<S extends Stage> = (input: StagePayloads[S]) => Promise<StageOutput<Stage>>;

export function createStageWorker<S extends Stage>(
  stage: S,
  processor: AnyProcessor<S>,
  ctx: StageWorkerContext,
  options: StageWorkerOptions = {},
): Worker<StagePayloads[S]> {
  const schema = payloadSchemas[stage];
  ctx.local?.set(stage, processor as AnyProcessor<Stage>);
  const log = ctx.log.child({ stage });

  const recordEnd = async (data: unknown, fields: OutcomeFields) => {
    ctx.metrics?.observeOutcome(fields.outcome, fields.reason);
    const d = (data ?? {}) as { requestId?: unknown; url?: unknown };
    if (typeof d.requestId !== 'string') return;
    await ctx.outcomes.record({
      requestId: d.requestId,
      url: typeof d.url === 'string' ? d.url : '',
      at: new Date().toISOString(),
      ...fields,
    });
  };

  type Next = Extract<StageOutput<Stage>, { kind: 'next' }>;
  type Ended = OutcomeFields | { next: Stage };

  /** Queue the next stage's job. Job id = request id: a retried hand-off is ignored by the next queue, not doubled. */
  const enqueueNext = async (requestId: string, next: Next): Promise<Ended> => {
    await next.beforeQueue?.();
    await ctx.queues[next.stage].add(next.stage, next.payload as never, { jobId: requestId });
    await next.afterHandoff?.();
    return { next: next.stage };
  };

  /**
   * Act on what a processor returned: record the outcome, or pass the request on. When the next
   * stage runs in this process too (and fusing is on), run it here, and the one after, without a
   * trip through Redis; if one of them throws, the request is queued at that stage and retried
   * there, exactly as without fusing.
   */
  const settle = async (input: { requestId: string; url: string }, output: StageOutput<Stage>, fused: { ms: number }): Promise<Ended> => {
    let current = output;
    while (current.kind === 'next') {
      const next = current;
      const local = ctx.local?.get(next.stage);
      if (!local) return enqueueNext(input.requestId, next);
      // Handed over in memory by this process's own (typed) processor: not parsed again. A payload
      // that goes through Redis is parsed by the job that takes it.
      const started = performance.now();
      const took = () => (performance.now() - started) / 1_000;
      try {
        current = await local(next.payload as never);
      } catch (err) {
        fused.ms += performance.now() - started;
        ctx.metrics?.observeJob(next.stage, took(), 'error');
        log.info({ requestId: input.requestId, stage: next.stage, err: describeError(err) }, 'fused stage failed; queued to retry there');
        return enqueueNext(input.requestId, next);
      }
      await next.afterHandoff?.();
      fused.ms += performance.now() - started;
      ctx.metrics?.observeJob(next.stage, took(), current.kind === 'next' ? 'handed_off' : 'done');
      if (ctx.metrics) observeVerdict(ctx.metrics, next.stage, current);
    }
    await recordEnd(input, current.outcome);
    log.info({ requestId: input.requestId, url: input.url, ...current.outcome }, 'outcome');
    return current.outcome;
  };

  /** 'ended' when the request has its outcome, the later stage holding it, or null. */
  const alreadyDone = async (requestId: string): Promise<'ended' | Stage | null> => {
    if (await ctx.outcomes.get(requestId)) return 'ended';
    for (const later of stages.slice(stages.indexOf(stage) + 1)) {
      if (await ctx.queues[later].getJob(requestId)) return later;
    }
    return null;
  };

  const run = async (job: Job<StagePayloads[S]>, token?: string) => {
    const started = performance.now();
    const fused = { ms: 0, handedOff: false };
    let result: JobResult = 'error';
    try {
      const value = await runJob(job, token, fused);
      result = fused.handedOff || 'next' in value ? 'handed_off' : 'done';
      return value;
    } finally {
      // This stage's own time: later stages run here (fused) are counted under their names.
      ctx.metrics?.observeJob(stage, (performance.now() - started - fused.ms) / 1_000, result);
    }
  };

  const runJob = async (job: Job<StagePayloads[S]>, token: string | undefined, fused: { ms: number; handedOff: boolean }) => {
    const parsed = schema.safeParse(job.data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const detail = `invalid ${stage} payload: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`;
      await recordEnd(job.data, { outcome: 'failed', reason: 'invalid_payload', detail });
      throw new UnrecoverableError(detail);
    }
    const input = parsed.data as StagePayloads[S];
    // A job run again after its worker died may already have done its part: ended the request, or
    // handed it on (then dropped what the next stage no longer needs). Doing it twice would
    // record a second, wrong outcome.
    if (job.attemptsMade > 0 || (job.attemptsStarted ?? 0) > 1) {
      const already = await alreadyDone(input.requestId);
      if (already) {
        log.info({ requestId: input.requestId, already }, 'job ran before its worker stopped; not repeating it');
        return already === 'ended' ? { resumed: 'ended' } : { next: already };
      }
    }
    try {
      const output = await processor(input);
      if (ctx.metrics) observeVerdict(ctx.metrics, stage, output);
      fused.handedOff = output.kind === 'next';
      return await settle(input, output, fused);
    } catch (err) {
      if (isNewslineError(err) && err.retry === 'permanent') {
        await recordEnd(input, { outcome: 'failed', reason: err.code, detail: err.message });
        log.warn({ requestId: input.requestId, url: input.url, reason: err.code }, err.message);
        throw new UnrecoverableError(`${err.code}: ${err.message}`);
      }
      if (isNewslineError(err) && err.retry === 'rate-limited' && err.retryAt !== undefined && token) {
        log.info({ requestId: input.requestId, until: new Date(err.retryAt).toISOString() }, err.message);
        await job.moveToDelayed(err.retryAt, token);
        throw new DelayedError();
      }
      const attempts = job.opts.attempts ?? 1;
      if (job.attemptsMade + 1 >= attempts) {
        const reason = isNewslineError(err) ? err.code : 'internal';
        await recordEnd(input, { outcome: 'failed', reason, detail: describeError(err) });
      }
      log.warn({ requestId: input.requestId, attempt: job.attemptsMade + 1, of: attempts }, describeError(err));
      throw err;
    }
  };

  const worker = new Worker<StagePayloads[S]>(queueName(stage), run, {
    connection: ctx.connection as unknown as ConnectionOptions,
    prefix: ctx.prefix,
    concurrency: options.concurrency ?? 4,
    autorun: true,
    settings: { backoffStrategy: retryDelay(ctx.backoffMs) },
    lockDuration: ctx.lockMs ?? 30_000,
    stalledInterval: ctx.lockMs ?? 30_000,
    maxStalledCount: ctx.maxStalled ?? 2,
    // BullMQ's own per-minute completed/failed counts, exported on /metrics.
    metrics: { maxDataPoints: MetricsTime.ONE_WEEK },
  });
  worker.on('error', (err) => log.error({ err: describeError(err) }, 'worker error'));
  // A job that failed for good without the runner recording why: its workers kept dying under it
  // (stalled past maxStalled). Every submission still ends in an outcome.
  worker.on('failed', (job, err) => {
    if (!job) return;
    void (async () => {
      const data = job.data as { requestId?: unknown };
      if (typeof data?.requestId !== 'string' || !(await job.isFailed())) return;
      if (await ctx.outcomes.get(data.requestId)) return;
      await recordEnd(job.data, { outcome: 'failed', reason: 'stalled', detail: describeError(err) });
      log.warn({ requestId: data.requestId }, `gave up on a job whose workers stopped: ${describeError(err)}`);
    })().catch((e: unknown) => log.error({ err: describeError(e) }, 'recording a stalled job failed'));
  });
  return worker;
}

/** Stage-specific counters read off what the processor returned. */
function observeVerdict(metrics: PipelineMetrics, stage: Stage, output: StageOutput<Stage>): void {
  if (output.kind !== 'next') return;
  const payload = output.payload as StagePayloads['store'];
  if (stage === 'dedup') metrics.observeDedup(('duplicate' in payload && payload.duplicate?.method) || 'unique');
  else if (stage === 'tag' && 'entities' in payload) metrics.observeTagged(payload.entities.map((e) => e.type));
}
