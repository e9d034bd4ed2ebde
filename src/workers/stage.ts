// What a stage processor returns: hand the request to the next stage, or end it with an outcome.
import type { Stage } from '../queues/names.js';
import type { StagePayloads } from '../queues/payloads.js';
import type { Outcome } from '../shared/outcomes/outcome.js';

export type OutcomeFields = Omit<Outcome, 'requestId' | 'url' | 'at'>;

export type StageOutput<Next extends Stage = never> =
  | {
      kind: 'next';
      stage: Next;
      payload: StagePayloads[Next];
      /** Runs once the next job is safely queued (e.g. dropping the raw page). */
      afterHandoff?: () => Promise<void>;
      /**
       * Runs before the request is queued for the next stage — not when that stage runs in this
       * process (fused) — to put in Redis what the queued job will need (the raw page).
       */
      beforeQueue?: () => Promise<void>;
    }
  | { kind: 'done'; outcome: OutcomeFields };

export type StageProcessor<S extends Stage, Next extends Stage = never> = (input: StagePayloads[S]) => Promise<StageOutput<Next>>;

export function done(outcome: OutcomeFields): { kind: 'done'; outcome: OutcomeFields } {
  return { kind: 'done', outcome };
}
