import { describe, expect, it } from 'vitest';
import { MemoryPageStore } from '../../src/shared/blobs/page-store.js';
import { RateLimitedError } from '../../src/shared/errors.js';
import type { FetchOutcome } from '../../src/shared/fetch/fetch-page.js';
import type { RobotsVerdict } from '../../src/shared/fetch/robots.js';
import { MemoryValidatorStore } from '../../src/shared/fetch/validators-store.js';
import { processFetch, type FetchDeps } from '../../src/workers/fetch/processor.js';

const page: FetchOutcome = {
  kind: 'fetched',
  finalUrl: 'https://news.example/a',
  status: 200,
  contentType: 'text/html',
  body: Buffer.from('<p>hi</p>'),
  redirects: [],
  validators: { etag: '"x"' },
};

function deps(overrides: Partial<FetchDeps> & { verdict?: RobotsVerdict; wait?: number } = {}) {
  const calls = { acquire: [] as number[], released: 0, fetched: [] as unknown[] };
  const d: FetchDeps = {
    fetchPage: async (_url, opts) => {
      calls.fetched.push(opts);
      return page;
    },
    robots: { check: async () => overrides.verdict ?? { allowed: true, crawlDelayMs: null } },
    politeness: {
      acquire: async (_h, _r, interval) => {
        calls.acquire.push(interval);
        return overrides.wait ?? 0;
      },
      release: async () => void calls.released++,
    },
    validators: new MemoryValidatorStore(),
    seenUrl: async () => null,
    pages: new MemoryPageStore(),
    hostIntervalMs: 1_000,
    crawlDelayCapMs: 30_000,
    now: () => new Date('2024-06-20T00:00:00Z'),
    ...overrides,
  };
  return { d, calls };
}

const input = { requestId: 'r1', url: 'https://news.example/a?utm_source=x', submittedAt: 0 };

describe('fetch processor', () => {
  it('parks the page and hands a reference to extract, releasing the host lease', async () => {
    const { d, calls } = deps();
    const out = await processFetch(input, d);
    expect(out).toMatchObject({ kind: 'next', stage: 'extract', payload: { htmlKey: 'page:r1', validators: { etag: '"x"' } } });
    expect(calls.released).toBe(1);
  });

  it('ends as skipped(robots) without taking a host slot', async () => {
    const { d, calls } = deps({ verdict: { allowed: false } });
    expect(await processFetch(input, d)).toMatchObject({ kind: 'done', outcome: { outcome: 'skipped', reason: 'robots' } });
    expect(calls.acquire).toEqual([]);
  });

  it('honours Crawl-delay above the default interval, up to the cap', async () => {
    const slow = deps({ verdict: { allowed: true, crawlDelayMs: 5_000 } });
    await processFetch(input, slow.d);
    const huge = deps({ verdict: { allowed: true, crawlDelayMs: 600_000 } });
    await processFetch(input, huge.d);
    const tiny = deps({ verdict: { allowed: true, crawlDelayMs: 100 } });
    await processFetch(input, tiny.d);
    expect([slow.calls.acquire[0], huge.calls.acquire[0], tiny.calls.acquire[0]]).toEqual([5_000, 30_000, 1_000]);
  });

  it('asks to be delayed, without fetching, while the host is busy', async () => {
    const { d, calls } = deps({ wait: 750 });
    const err = await processFetch(input, d).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitedError);
    expect((err as RateLimitedError).retryAt).toBe(Date.parse('2024-06-20T00:00:00Z') + 750);
    expect(calls.fetched).toEqual([]);
  });

  it('does not fetch a URL seen before without validators: its sighting goes straight to store', async () => {
    const { d, calls } = deps({ seenUrl: async (url) => (url === 'https://news.example/a' ? 'art-0' : null) });
    const out = await processFetch(input, d);
    expect(out).toMatchObject({ kind: 'next', stage: 'store', payload: { duplicate: { of: 'art-0', method: 'url' } } });
    expect(calls.fetched).toEqual([]);
    expect(calls.acquire).toEqual([]);
  });

  it('sends the stored validators and ends a 304 as unchanged with the article id', async () => {
    const { d, calls } = deps({
      fetchPage: async (_u, opts) => {
        calls2.push(opts);
        return { kind: 'not_modified', finalUrl: 'https://news.example/a' };
      },
    });
    const calls2: unknown[] = [];
    await d.validators.set('https://news.example/a', { etag: '"v1"', articleId: 'art-1' });
    expect(await processFetch(input, d)).toMatchObject({ kind: 'done', outcome: { outcome: 'unchanged', articleId: 'art-1' } });
    expect(calls2[0]).toMatchObject({ validators: { etag: '"v1"' } });
    expect(calls.released).toBe(1);
  });
});
