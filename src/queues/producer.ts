// Putting URLs into the pipeline: validation, request ids, the fetch queue.
import { randomUUID } from 'node:crypto';
import type { Queue } from 'bullmq';
import { z } from 'zod';
import { PermanentError } from '../shared/errors.js';
import { articleFromText } from '../shared/extract/article.js';
import { boundArticle } from '../shared/store/limits.js';
import { MAX_URL_LENGTH } from '../shared/fetch/url-limits.js';

import type { DedupPayload, FetchPayload } from './payloads.js';

export interface EnqueuedUrl {
  url: string;
  requestId: string;
}

/** Check that `raw` is an absolute http(s) URL without credentials, of at most MAX_URL_LENGTH characters; throws a `PermanentError` (`invalid_url`) otherwise. */
export function parseSubmittedUrl(raw: string): URL {
  if (raw.length > MAX_URL_LENGTH) throw new PermanentError('invalid_url', `URL longer than ${MAX_URL_LENGTH} characters (${raw.length})`);
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new PermanentError('invalid_url', `not a URL: ${JSON.stringify(raw)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new PermanentError('invalid_url', `only http and https URLs can be fetched, not ${url.protocol}`);
  }
  if (url.username || url.password) {
    throw new PermanentError('invalid_url', 'URLs with credentials (user:password@) are refused: they would be stored and published');
  }
  return url;
}

/** Add one fetch job per URL (with a listing's hints); job id = request id, so the outcome can be found by it. */
export async function enqueueUrls(
  fetchQueue: Queue<FetchPayload>,
  urls: Array<string | { url: string; hints?: FetchPayload['hints'] }>,
): Promise<EnqueuedUrl[]> {
  const now = Date.now();
  const jobs = urls.map((item) => {
    const { url: raw, hints } = typeof item === 'string' ? { url: item, hints: undefined } : item;
    const url = parseSubmittedUrl(raw).toString();
    const requestId = randomUUID();
    const data: FetchPayload = { requestId, url, submittedAt: now, ...(hints ? { hints } : {}) };
    return { name: 'fetch', data, opts: { jobId: requestId } };
  });
  for (let i = 0; i < jobs.length; i += 1_000) await fetchQueue.addBulk(jobs.slice(i, i + 1_000));
  return jobs.map((j) => ({ url: j.data.url, requestId: j.data.requestId }));
}

/** An already-extracted document (from an archive or another crawler): one line of `newsline import`. */
export const importDocumentSchema = z.object({
  id: z.union([z.string(), z.number()]).transform(String).optional(),
  url: z.string().refine((u) => safeParseUrl(u), 'must be an absolute http(s) URL'),
  title: z
    .string()
    .nullish()
    .transform((t) => t ?? null),
  body: z.string().refine((b) => b.trim() !== '', 'must not be empty'),
  publishedAt: z
    .unknown()
    .transform((v) => (typeof v === 'string' ? v : null))
    .optional(),
});
export type ImportDocument = z.output<typeof importDocumentSchema>;

function safeParseUrl(raw: string): boolean {
  try {
    parseSubmittedUrl(raw);
    return true;
  } catch {
    return false;
  }
}

/** Validate one import line; throws a `PermanentError` (`invalid_document`) naming the field. */
export function parseImportDocument(value: unknown): ImportDocument {
  const parsed = importDocumentSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const where = issue.path.length > 0 ? `"${issue.path.join('.')}"` : 'each line';
  const message = issue.code === 'invalid_type' && issue.path.length === 0 ? 'must be a JSON object' : issue.message;
  throw new PermanentError('invalid_document', `${where}: ${message}`);
}

/** Enter documents at the dedup stage (they are already extracted); job id = request id. */
export async function enqueueDocuments(
  dedupQueue: Queue<DedupPayload>,
  docs: ImportDocument[],
  now = new Date(),
): Promise<Array<{ requestId: string; doc: ImportDocument }>> {
  const jobs = docs.map((doc) => {
    const requestId = randomUUID();
    const url = parseSubmittedUrl(doc.url).toString();
    const data: DedupPayload = {
      requestId,
      url,
      submittedAt: now.getTime(),
      finalUrl: url,
      status: 200,
      fetchedAt: now.toISOString(),
      article: boundArticle(articleFromText(doc)),
    };
    return { name: 'dedup', data, opts: { jobId: requestId } };
  });
  for (let i = 0; i < jobs.length; i += 500) await dedupQueue.addBulk(jobs.slice(i, i + 500));
  return jobs.map((j, i) => ({ requestId: j.data.requestId, doc: docs[i]! }));
}
