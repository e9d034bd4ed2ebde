// Discover stage: read a source (conditionally), list its articles, and enqueue the ones not
// seen before (canonical form), with the listing's title and date as hints for extraction.
import type { DiscoverPayload } from '../../queues/discover.js';
import { canonicalizeUrl } from '../../shared/dedup/canonicalize-url.js';
import { describeError } from '../../shared/errors.js';
import type { FetchOutcome, FetchPageOptions } from '../../shared/fetch/fetch-page.js';
import { parseSourceDocument, type SourceEntry } from '../../shared/sources/parse-source.js';
import type { Source, SourceRun } from '../../shared/sources/source-store.js';

export interface DiscoverDeps {
  source(id: string): Promise<Source | null>;
  fetch(url: string, options: FetchPageOptions): Promise<FetchOutcome>;
  /** True when this canonical URL was discovered or ingested before (and marks it seen). */
  seenBefore(canonicalUrl: string): Promise<boolean>;
  enqueue(entries: SourceEntry[], sourceId: string): Promise<void>;
  recordRun(id: string, run: SourceRun): Promise<void>;
}

/** A sitemap index may list many sitemaps; one run reads this many. */
const MAX_CHILD_SITEMAPS = 20;

export async function processDiscover(input: DiscoverPayload, deps: DiscoverDeps): Promise<SourceRun | { skipped: string }> {
  const source = await deps.source(input.sourceId);
  if (!source) return { skipped: 'source removed' };
  try {
    const result = await deps.fetch(source.url, {
      anyType: true,
      validators: { etag: source.etag ?? undefined, lastModified: source.lastModified ?? undefined },
    });
    if (result.kind === 'not_modified') {
      const run: SourceRun = { status: 'unchanged', newUrls: 0 };
      await deps.recordRun(source.id, run);
      return run;
    }
    if (result.kind === 'skipped') throw new Error(`${result.reason}: ${result.detail}`);
    const doc = parseSourceDocument(result.body, result.contentType, result.finalUrl);
    const entries = [...doc.entries];
    for (const child of doc.sitemaps.slice(0, MAX_CHILD_SITEMAPS)) {
      const sub = await deps.fetch(child, { anyType: true });
      if (sub.kind === 'fetched') entries.push(...parseSourceDocument(sub.body, sub.contentType, sub.finalUrl).entries);
    }
    const fresh: SourceEntry[] = [];
    const batch = new Set<string>();
    for (const e of entries) {
      const canonical = canonicalizeUrl(e.url);
      if (batch.has(canonical)) continue;
      batch.add(canonical);
      if (!(await deps.seenBefore(canonical))) fresh.push(e);
    }
    if (fresh.length > 0) await deps.enqueue(fresh, source.id);
    const run: SourceRun = {
      status: 'ok',
      newUrls: fresh.length,
      etag: result.validators.etag,
      lastModified: result.validators.lastModified,
    };
    await deps.recordRun(source.id, run);
    return run;
  } catch (err) {
    const run: SourceRun = { status: 'error', newUrls: 0, error: describeError(err) };
    await deps.recordRun(source.id, run);
    return run;
  }
}
