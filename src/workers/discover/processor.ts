// Discover stage: read a source (conditionally) and the sitemaps it leads to, list their articles,
// and enqueue the ones not seen before (canonical form), with the listing's hints for extraction.
// Every document is fetched under robots.txt and the host's politeness; a child sitemap that fails
// is counted while the others still count, and the run says `partial`.
import type { DiscoverPayload } from '../../queues/discover.js';
import { canonicalizeUrl } from '../../shared/dedup/canonicalize-url.js';
import { describeError } from '../../shared/errors.js';
import type { FetchPageOptions, Validators } from '../../shared/fetch/fetch-page.js';
import type { PoliteFetchOutcome } from '../../shared/fetch/polite-fetch.js';
import { parseSourceDocument, type SourceEntry } from '../../shared/sources/parse-source.js';
import type { Source, SourceRun } from '../../shared/sources/source-store.js';

export interface DiscoverDeps {
  source(id: string): Promise<Source | null>;
  /** A fetch under robots.txt, politeness and the address guard. */
  fetch(url: string, options: FetchPageOptions): Promise<PoliteFetchOutcome>;
  /** ETag/Last-Modified of child sitemaps read before, for conditional fetches. */
  documents: { get(url: string): Promise<Validators | null>; set(url: string, validators: Validators): Promise<void> };
  /** True when this canonical URL was discovered or ingested before (and marks it seen). */
  seenBefore(canonicalUrl: string): Promise<boolean>;
  enqueue(entries: SourceEntry[], sourceId: string): Promise<void>;
  recordRun(id: string, run: SourceRun): Promise<void>;
  /**
   * Articles one crawl takes at most (NEWSLINE_SOURCE_MAX_URLS).
   * @defaultValue 10000
   */
  maxUrls?: number;
}

/** Levels of sitemap indexes followed below the source (an index of indexes of sitemaps is 2). */
const MAX_DEPTH = 3;
/** Child sitemaps one crawl reads at most. */
const MAX_CHILD_DOCUMENTS = 100;
/** Failures named in the run's error line. */
const NAMED_FAILURES = 3;

interface Crawl {
  entries: SourceEntry[];
  documents: number;
  failures: string[];
  truncated: boolean;
}

/** Read one child sitemap (and, within depth, the sitemaps it lists) into `crawl`. */
async function readChild(url: string, depth: number, crawl: Crawl, seen: Set<string>, deps: DiscoverDeps, maxUrls: number): Promise<void> {
  if (seen.has(url) || seen.size > MAX_CHILD_DOCUMENTS || crawl.entries.length >= maxUrls) return;
  seen.add(url);
  crawl.documents++;
  try {
    const known = await deps.documents.get(url);
    const result = await deps.fetch(url, { anyType: true, validators: known });
    if (result.kind === 'not_modified') return;
    if (result.kind === 'robots') throw new Error(`robots.txt disallows ${url}`);
    if (result.kind === 'skipped') throw new Error(`${url}: ${result.reason}: ${result.detail}`);
    const doc = parseSourceDocument(result.body, result.contentType, result.finalUrl);
    if (doc.kind !== 'sitemap' && doc.kind !== 'sitemap-index') throw new Error(`${url}: not a sitemap`);
    if (!doc.complete) crawl.failures.push(`${url}: cut off or malformed; ${doc.entries.length + doc.sitemaps.length} entries kept`);
    crawl.entries.push(...doc.entries);
    if (depth < MAX_DEPTH) for (const next of doc.sitemaps) await readChild(next, depth + 1, crawl, seen, deps, maxUrls);
    // Remembered only once read whole: a damaged document is read again next time.
    if (doc.complete && (result.validators.etag || result.validators.lastModified)) await deps.documents.set(url, result.validators);
  } catch (err) {
    crawl.failures.push(describeError(err));
  }
}

export async function processDiscover(input: DiscoverPayload, deps: DiscoverDeps): Promise<SourceRun | { skipped: string }> {
  const source = await deps.source(input.sourceId);
  if (!source) return { skipped: 'source removed' };
  const maxUrls = deps.maxUrls ?? 10_000;
  const finish = async (run: SourceRun) => {
    await deps.recordRun(source.id, run);
    return run;
  };
  try {
    const validators = { etag: source.etag ?? undefined, lastModified: source.lastModified ?? undefined };
    const result = await deps.fetch(source.url, { anyType: true, validators });
    if (result.kind === 'robots') {
      return finish({ status: 'robots', newUrls: 0, documents: 1, failedDocuments: 1, error: `robots.txt disallows ${source.url}` });
    }
    if (result.kind === 'not_modified') return finish({ status: 'unchanged', newUrls: 0, documents: 1 });
    if (result.kind === 'skipped') throw new Error(`${result.reason}: ${result.detail}`);
    const doc = parseSourceDocument(result.body, result.contentType, result.finalUrl);
    const crawl: Crawl = { entries: [...doc.entries], documents: 1, failures: [], truncated: false };
    if (!doc.complete) crawl.failures.push(`${source.url}: cut off or malformed; ${doc.entries.length + doc.sitemaps.length} entries kept`);
    const seen = new Set<string>([result.finalUrl]);
    for (const child of doc.sitemaps) await readChild(child, 1, crawl, seen, deps, maxUrls);
    if (crawl.entries.length > maxUrls) crawl.truncated = true;

    const fresh: SourceEntry[] = [];
    const batch = new Set<string>();
    for (const e of crawl.entries.slice(0, maxUrls)) {
      const canonical = canonicalizeUrl(e.url);
      if (batch.has(canonical)) continue;
      batch.add(canonical);
      if (!(await deps.seenBefore(canonical))) fresh.push(e);
    }
    if (fresh.length > 0) await deps.enqueue(fresh, source.id);
    const failed = crawl.failures.length;
    const notes = [
      ...crawl.failures.slice(0, NAMED_FAILURES),
      ...(failed > NAMED_FAILURES ? [`and ${failed - NAMED_FAILURES} more`] : []),
      ...(crawl.truncated ? [`only the first ${maxUrls} of ${crawl.entries.length} URLs taken (NEWSLINE_SOURCE_MAX_URLS)`] : []),
    ];
    return finish({
      status: failed > 0 || crawl.truncated ? 'partial' : 'ok',
      newUrls: fresh.length,
      documents: crawl.documents,
      failedDocuments: failed,
      ...(notes.length > 0 ? { error: notes.join('; ') } : {}),
      etag: result.validators.etag,
      lastModified: result.validators.lastModified,
    });
  } catch (err) {
    return finish({ status: 'error', newUrls: 0, documents: 1, failedDocuments: 1, error: describeError(err) });
  }
}
