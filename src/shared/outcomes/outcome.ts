// Every submission ends in exactly one recorded outcome.
import type { Redis } from 'ioredis';
import type { ReasonCode } from './reasons.js';

export type OutcomeKind = 'stored' | 'updated' | 'duplicate' | 'skipped' | 'failed' | 'unchanged';

export interface Outcome {
  requestId: string;
  url: string;
  outcome: OutcomeKind;
  /** Machine-readable reason for skipped/failed: `content_type`, `http_404`, `forbidden_address`, … */
  reason?: ReasonCode;
  /** A one-line human explanation accompanying `reason`. */
  detail?: string;
  articleId?: string;
  duplicateOf?: string;
  method?: 'url' | 'exact' | 'near';
  similarity?: number;
  finalUrl?: string;
  /** ISO time the outcome was recorded. */
  at: string;
}

export interface OutcomeStore {
  record(outcome: Outcome): Promise<void>;
  get(requestId: string): Promise<Outcome | null>;
  /** Several at once (one round trip); null where there is none yet. */
  getMany(requestIds: string[]): Promise<Array<Outcome | null>>;
}

/** In a stored record, "the same as the request": an article id or a URL is never this. */
const SAME = '=';

/**
 * The stored form: JSON without what the key already says (the request id) and with `SAME` for an
 * article id that is the request's own and a final URL that is the submitted one — the usual case,
 * and a third of the record's bytes. Records written in full by earlier versions read the same.
 */
export function packOutcome(outcome: Outcome): string {
  const { requestId: _requestId, articleId, finalUrl, ...rest } = outcome;
  const packed: Record<string, unknown> = rest;
  if (articleId !== undefined) packed['articleId'] = articleId === outcome.requestId ? SAME : articleId;
  if (finalUrl !== undefined) packed['finalUrl'] = finalUrl === outcome.url ? SAME : finalUrl;
  return JSON.stringify(packed);
}

export function unpackOutcome(requestId: string, raw: string): Outcome {
  const o: Outcome = { requestId, ...(JSON.parse(raw) as Omit<Outcome, 'requestId'>) };
  if (o.articleId === SAME) o.articleId = o.requestId;
  if (o.finalUrl === SAME) o.finalUrl = o.url;
  return o;
}

/** Outcomes under `<prefix>:outcome:<requestId>`, kept for `ttlSeconds` (default a day). */
export class RedisOutcomeStore implements OutcomeStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlSeconds = 86_400,
  ) {}

  private key(requestId: string): string {
    return `${this.prefix}:outcome:${requestId}`;
  }

  async record(outcome: Outcome): Promise<void> {
    await this.redis.set(this.key(outcome.requestId), packOutcome(outcome), 'EX', this.ttlSeconds);
  }

  async get(requestId: string): Promise<Outcome | null> {
    const raw = await this.redis.get(this.key(requestId));
    return raw === null ? null : unpackOutcome(requestId, raw);
  }

  async getMany(requestIds: string[]): Promise<Array<Outcome | null>> {
    // Separate GETs (ioredis pipelines them on the wire): one MGET or pipeline may not span the
    // slots of a Redis Cluster.
    const raws = await Promise.all(requestIds.map((id) => this.redis.get(this.key(id))));
    return raws.map((raw, i) => (raw === null ? null : unpackOutcome(requestIds[i]!, raw)));
  }
}

/**
 * Wait until each request has an outcome or `timeoutMs` passes; calls `onOutcome` as each
 * arrives (in arrival order). Returns the ids that timed out.
 */
export async function waitForOutcomes(
  store: OutcomeStore,
  requestIds: string[],
  options: { timeoutMs: number; pollMs?: number; onOutcome: (outcome: Outcome) => void },
): Promise<string[]> {
  const pending = new Set(requestIds);
  const deadline = Date.now() + options.timeoutMs;
  let pollMs = options.pollMs ?? 50;
  while (pending.size > 0 && Date.now() < deadline) {
    const ids = [...pending];
    let arrived = 0;
    for (let i = 0; i < ids.length; i += 500) {
      const batch = ids.slice(i, i + 500);
      const outcomes = await store.getMany(batch);
      outcomes.forEach((outcome, j) => {
        if (!outcome) return;
        pending.delete(batch[j]!);
        arrived++;
        options.onOutcome(outcome);
      });
    }
    // Poll briskly while results flow, back off (to 1 s) while nothing changes.
    pollMs = arrived > 0 ? (options.pollMs ?? 50) : Math.min(1_000, pollMs * 2);
    if (pending.size > 0) await new Promise((r) => setTimeout(r, pollMs));
  }
  return [...pending];
}
