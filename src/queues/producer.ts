// Putting URLs into the pipeline: validation, request ids, the fetch queue.
import { randomUUID } from 'node:crypto';
import type { Queue } from 'bullmq';
import { PermanentError } from '../shared/errors.js';
import type { FetchPayload } from './payloads.js';

export interface EnqueuedUrl {
  url: string;
  requestId: string;
}

/** Check that `raw` is an absolute http(s) URL; throws a `PermanentError` (`invalid_url`) otherwise. */
export function parseSubmittedUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new PermanentError('invalid_url', `not a URL: ${JSON.stringify(raw)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new PermanentError('invalid_url', `only http and https URLs can be fetched, not ${url.protocol}`);
  }
  return url;
}

/** Add one fetch job per URL; job id = request id, so the outcome can be found by it. */
export async function enqueueUrls(fetchQueue: Queue<FetchPayload>, urls: string[]): Promise<EnqueuedUrl[]> {
  const now = Date.now();
  const jobs = urls.map((raw) => {
    const url = parseSubmittedUrl(raw).toString();
    const requestId = randomUUID();
    return { name: 'fetch', data: { requestId, url, submittedAt: now }, opts: { jobId: requestId } };
  });
  await fetchQueue.addBulk(jobs);
  return jobs.map((j) => ({ url: j.data.url, requestId: j.data.requestId }));
}
