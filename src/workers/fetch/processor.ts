// Fetch stage: download the page (guarded, capped), park the bytes in the page store, and hand
// a reference to extraction.
import type { FetchPayload } from '../../queues/payloads.js';
import type { PageStore } from '../../shared/blobs/page-store.js';
import type { FetchOutcome } from '../../shared/http/fetch-page.js';
import { done, type StageOutput } from '../stage.js';

export interface FetchDeps {
  fetchPage(url: string): Promise<FetchOutcome>;
  pages: PageStore;
  now(): Date;
}

export async function processFetch(input: FetchPayload, deps: FetchDeps): Promise<StageOutput<'extract'>> {
  const result = await deps.fetchPage(input.url);
  if (result.kind === 'skipped') {
    return done({ outcome: 'skipped', reason: result.reason, detail: result.detail, finalUrl: result.finalUrl });
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
      htmlKey,
      contentType: result.contentType,
    },
  };
}
