// A pipeline stage on the job runner: every submission ends in one recorded outcome, a stage hands
// the request on (or runs the next stage here, fused), and a job run again after its worker died
// does not repeat what it already did.
import { performance } from 'node:perf_hooks';
import type { Job, Worker } from 'bullmq';
import type { z } from 'zod';
import { queueName, stages, type Stage } from '../queues/names.js';
import { payloadSchemas, type StagePayloads } from '../queues/payloads.js';
import type { StageQueues } from '../queues/queues.js';
import { describeError } from '../shared/errors.js';
import type { PipelineMetrics } from '../shared/metrics/pipeline-metrics.js';
import type { OutcomeStore } from '../shared/outcomes/outcome.js';
import { createJobWorker, type JobRun, type JobRunnerContext } from './job-runner.js';
import type { OutcomeFields, StageOutput } from './stage.js';

export interface StageWorkerContext extends JobRunnerContext {
  queues: StageQueues;
  outcomes: OutcomeStore;
  /**
   * The processors of the stages this process runs, when stages are fused: a stage whose next
   * stage is here runs it directly instead of queueing it (see `handOff`). Filled by
   * `createStageWorker`; leave unset to hand every request through Redis.
   */
  local?: Map<Stage, AnyProcessor<Stage>>;
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

  const process = async (input: StagePayloads[S], job: Job): Promise<JobRun<Ended | { resumed: 'ended' }>> => {
    // A job run again after its worker died may already have done its part: ended the request, or
    // handed it on (then dropped what the next stage no longer needs). Doing it twice would
    // record a second, wrong outcome.
    if (job.attemptsMade > 0 || (job.attemptsStarted ?? 0) > 1) {
      const already = await alreadyDone(input.requestId);
      if (already) {
        log.info({ requestId: input.requestId, already }, 'job ran before its worker stopped; not repeating it');
        return {
          value: already === 'ended' ? { resumed: 'ended' } : { next: already },
          result: already === 'ended' ? 'done' : 'handed_off',
        };
      }
    }
    const fused = { ms: 0 };
    const output = await processor(input);
    if (ctx.metrics) observeVerdict(ctx.metrics, stage, output);
    const value = await settle(input, output, fused);
    return { value, result: output.kind === 'next' ? 'handed_off' : 'done', excludedMs: fused.ms };
  };

  return createJobWorker(
    {
      name: stage,
      queue: queueName(stage),
      schema: payloadSchemas[stage] as unknown as z.ZodType<StagePayloads[S]>,
      concurrency: options.concurrency ?? 4,
      process,
      onGaveUp: (data, reason, detail) => recordEnd(data, { outcome: 'failed', reason, detail }),
      // A job that failed for good without the runner recording why: its workers kept dying under it
      // (stalled past maxStalled). Every submission still ends in an outcome.
      onStalledOut: async (job, err) => {
        const data = job.data as { requestId?: unknown };
        if (typeof data?.requestId !== 'string' || (await ctx.outcomes.get(data.requestId))) return;
        await recordEnd(job.data, { outcome: 'failed', reason: 'stalled', detail: describeError(err) });
        log.warn({ requestId: data.requestId }, `gave up on a job whose workers stopped: ${describeError(err)}`);
      },
    },
    ctx,
  );
}

/** Stage-specific counters read off what the processor returned. */
function observeVerdict(metrics: PipelineMetrics, stage: Stage, output: StageOutput<Stage>): void {
  if (output.kind !== 'next') return;
  const payload = output.payload as StagePayloads['store'];
  if (stage === 'dedup') metrics.observeDedup(('duplicate' in payload && payload.duplicate?.method) || 'unique');
  else if (stage === 'tag' && 'entities' in payload) metrics.observeTagged(payload.entities.map((e) => e.type));
}
