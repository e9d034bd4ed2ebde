// What a worker process counts: per-stage job durations and results, terminal outcomes, HTTP
// status codes seen by the fetcher, dedup verdicts and tagged entities. One registry per
// process; `MetricsPublisher` shares it through Redis so one `/metrics` shows the whole pipeline.
import { Counter, Histogram, Registry } from 'prom-client';

/** How one job run ended: handed to the next stage, ended with an outcome, or thrown (retried or failed). */
export type JobResult = 'handed_off' | 'done' | 'error';

export type DedupVerdict = 'unique' | 'url' | 'exact' | 'near';

export class PipelineMetrics {
  readonly registry = new Registry();

  /** A counter in this process's registry. */
  private counter<L extends string>(name: string, help: string, ...labelNames: L[]): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  private readonly jobDuration = new Histogram({
    name: 'newsline_stage_job_duration_seconds',
    help: 'Time one job spent in a stage processor, by stage and result',
    labelNames: ['stage', 'result'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  private readonly storeBatches = new Histogram({
    name: 'newsline_store_batch_articles',
    help: 'Articles written per store statement (group commit; see NEWSLINE_STORE_LINGER_MS)',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
    registers: [this.registry],
  });

  private readonly outcomes = this.counter(
    'newsline_outcomes_total',
    'Submissions that ended, by outcome (stored, updated, duplicate, unchanged, skipped, failed) and reason',
    'outcome',
    'reason',
  );

  private readonly fetchResponses = this.counter(
    'newsline_fetch_responses_total',
    'HTTP responses the fetcher received (pages, redirects, robots.txt, feeds), by status code',
    'status',
  );

  private readonly dedupVerdicts = this.counter(
    'newsline_dedup_verdicts_total',
    'Dedup stage verdicts: unique, or a duplicate found by url, exact content or near-duplicate match',
    'verdict',
  );

  private readonly taggedEntities = this.counter(
    'newsline_tag_entities_total',
    'Entities the tag stage attached to articles, by kind',
    'kind',
  );

  private readonly taggedArticles = this.counter(
    'newsline_tag_articles_total',
    'Articles through the tag stage, by whether any entity was found',
    'tagged',
  );

  private readonly workerRecoveries = this.counter(
    'newsline_worker_recoveries_total',
    'Stage workers the watchdog replaced because they stopped taking jobs while work waited',
    'stage',
  );

  observeWorkerRecovered(stage: string): void {
    this.workerRecoveries.inc({ stage });
  }

  observeJob(stage: string, seconds: number, result: JobResult): void {
    this.jobDuration.observe({ stage, result }, seconds);
  }

  observeStoreBatch(articles: number): void {
    this.storeBatches.observe(articles);
  }

  observeOutcome(outcome: string, reason: string | undefined): void {
    this.outcomes.inc({ outcome, reason: reason ?? '' });
  }

  observeFetchStatus(status: number): void {
    this.fetchResponses.inc({ status: String(status) });
  }

  observeDedup(verdict: DedupVerdict): void {
    this.dedupVerdicts.inc({ verdict });
  }

  observeTagged(entityKinds: string[]): void {
    this.taggedArticles.inc({ tagged: entityKinds.length > 0 ? 'yes' : 'no' });
    const byKind = new Map<string, number>();
    for (const kind of entityKinds) byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
    for (const [kind, n] of byKind) this.taggedEntities.inc({ kind }, n);
  }
}
