// Fetch stage: robots.txt, per-host politeness, then the guarded download; the bytes are parked
// in the page store and a reference goes on to extraction.
import type { FetchPayload } from '../../queues/payloads.js';
import type { PageStore } from '../../shared/blobs/page-store.js';
import { canonicalizeUrl } from '../../shared/dedup/canonicalize-url.js';
import { RateLimitedError } from '../../shared/errors.js';
import type { FetchOutcome, FetchPageOptions } from '../../shared/fetch/fetch-page.js';
import type { Politeness } from '../../shared/fetch/politeness.js';
import type { RobotsVerdict } from '../../shared/fetch/robots.js';
import type { ValidatorStore } from '../../shared/fetch/validators-store.js';
import { done, type StageOutput } from '../stage.js';

export interface FetchDeps {
  fetchPage(url: string, options: FetchPageOptions): Promise<FetchOutcome>;
  robots: { check(url: URL): Promise<RobotsVerdict> };
  politeness: Politeness;
  validators: ValidatorStore;
  /** The article that first claimed this canonical URL within the dedup window, if any. */
  seenUrl(canonicalUrl: string): Promise<string | null>;
  pages: PageStore;
  /** Minimum gap between requests to one host (ms); a robots Crawl-delay may raise it up to `crawlDelayCapMs`. */
  hostIntervalMs: number;
  crawlDelayCapMs: number;
  now(): Date;
}

const robotsSkip = { reason: 'robots' as const, detail: 'disallowed by robots.txt' };

export async function processFetch(input: FetchPayload, deps: FetchDeps): Promise<StageOutput<'extract' | 'store'>> {
  const target = new URL(input.url);
  // A URL already ingested is fetched again only when the fetch can be conditional.
  const canonical = canonicalizeUrl(input.url);
  const known = await deps.validators.get(canonical);
  if (!known) {
    const owner = await deps.seenUrl(canonical);
    if (owner && owner !== input.requestId) {
      return {
        kind: 'next',
        stage: 'store',
        payload: {
          requestId: input.requestId,
          url: input.url,
          submittedAt: input.submittedAt,
          finalUrl: input.url,
          duplicate: { of: owner, method: 'url', similarity: 1 },
        },
      };
    }
  }

  const verdict = await deps.robots.check(target);
  if (!verdict.allowed) return done({ outcome: 'skipped', ...robotsSkip, finalUrl: input.url });

  const interval = Math.max(deps.hostIntervalMs, Math.min(verdict.crawlDelayMs ?? 0, deps.crawlDelayCapMs));
  const waitMs = await deps.politeness.acquire(target.hostname, input.requestId, interval);
  if (waitMs > 0) {
    throw new RateLimitedError('host_busy', `waiting ${waitMs} ms for ${target.hostname}`, deps.now().getTime() + waitMs);
  }
  let result: FetchOutcome;
  try {
    result = await deps.fetchPage(input.url, {
      validators: known,
      beforeRedirect: async (next) => ((await deps.robots.check(next)).allowed ? null : robotsSkip),
    });
  } finally {
    await deps.politeness.release(target.hostname, input.requestId);
  }

  if (result.kind === 'skipped') {
    return done({ outcome: 'skipped', reason: result.reason, detail: result.detail, finalUrl: result.finalUrl });
  }
  if (result.kind === 'not_modified') {
    return done({ outcome: 'unchanged', articleId: known?.articleId, finalUrl: result.finalUrl });
  }
  const htmlKey = await deps.pages.put(input.requestId, result.body);
  return {
    kind: 'next',
    stage: 'extract',
    payload: {
      requestId: input.requestId,
      url: input.url,
      submittedAt: input.submittedAt,
      finalUrl: result.finalUrl,
      status: result.status,
      fetchedAt: deps.now().toISOString(),
      validators: result.validators,
      htmlKey,
      contentType: result.contentType,
      ...(input.hints ? { hints: input.hints } : {}),
    },
    beforeQueue: () => deps.pages.persist(htmlKey),
  };
}
