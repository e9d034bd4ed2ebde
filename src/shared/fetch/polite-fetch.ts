// One fetch under the same rules as a page's: robots.txt (every redirect hop too), the shared
// per-host interval and concurrency (a crawl-delay honoured up to its cap), and the client's own
// address guard. Where the fetch stage hands a busy host back to the queue, a crawl that reads
// several documents waits its turn here.
import { describeError } from '../errors.js';
import type { FetchOutcome, FetchPageOptions } from './fetch-page.js';
import type { Politeness } from './politeness.js';
import type { RobotsVerdict } from './robots.js';

export interface PoliteFetchDeps {
  fetchPage(url: string, options: FetchPageOptions): Promise<FetchOutcome>;
  robots: { check(url: URL): Promise<RobotsVerdict> };
  politeness: Politeness;
  hostIntervalMs: number;
  crawlDelayCapMs: number;
  sleep(ms: number): Promise<void>;
  /** A lease holder's id, unique to this fetch. */
  leaseId(): string;
}

export type PoliteFetchOutcome = FetchOutcome | { kind: 'robots'; finalUrl: string };

/** Longest a crawl waits for one host's turn before giving up on that document. */
const MAX_WAIT_MS = 120_000;

export async function politeFetch(deps: PoliteFetchDeps, url: string, options: FetchPageOptions = {}): Promise<PoliteFetchOutcome> {
  const target = new URL(url);
  const verdict = await deps.robots.check(target);
  if (!verdict.allowed) return { kind: 'robots', finalUrl: url };
  const interval = Math.max(deps.hostIntervalMs, Math.min(verdict.crawlDelayMs ?? 0, deps.crawlDelayCapMs));
  const lease = deps.leaseId();
  let waited = 0;
  for (;;) {
    const waitMs = await deps.politeness.acquire(target.hostname, lease, interval);
    if (waitMs === 0) break;
    if (waited + waitMs > MAX_WAIT_MS) throw new Error(`${target.hostname} stayed busy for ${MAX_WAIT_MS} ms`);
    waited += waitMs;
    await deps.sleep(waitMs);
  }
  try {
    return await deps.fetchPage(url, {
      ...options,
      beforeRedirect: async (next) =>
        (await deps.robots.check(next)).allowed ? null : { reason: 'robots', detail: `robots.txt disallows ${next.href}` },
    });
  } catch (err) {
    throw new Error(`${url}: ${describeError(err)}`, { cause: err });
  } finally {
    await deps.politeness.release(target.hostname, lease);
  }
}
