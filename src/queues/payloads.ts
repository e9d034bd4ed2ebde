// Each stage's payload: one zod schema and its inferred type. Workers validate at the start of
// every job; a payload that fails is a permanent failure.
import { z } from 'zod';
import type { Article } from '../shared/extract/article.js';
import type { EntityMention } from '../shared/tag/entity.js';

const requestFields = {
  /** One id per submission: the fetch job id, the key of its outcome, the article id if stored. */
  requestId: z.string().min(1).max(128),
  /** The URL as submitted. */
  url: z.string().url(),
  /** When it was enqueued (epoch ms), for end-to-end latency. */
  submittedAt: z.number().int().nonnegative(),
};

/** What a feed or sitemap said about the article: used when the page itself does not say. */
export const hintsSchema = z.strictObject({
  title: z.string().optional(),
  publishedAt: z.string().optional(),
  author: z.string().optional(),
  image: z.string().optional(),
  source: z.string().optional(),
});

export const fetchPayload = z.strictObject({ ...requestFields, hints: hintsSchema.optional() });
export type FetchPayload = z.infer<typeof fetchPayload>;

const fetchedFields = {
  ...requestFields,
  /** Where the last redirect landed. */
  finalUrl: z.string().url(),
  status: z.number().int(),
  fetchedAt: z.string().datetime({ offset: true }),
  /** ETag / Last-Modified of the response, remembered once the article is stored. */
  validators: z.strictObject({ etag: z.string().optional(), lastModified: z.string().optional() }).optional(),
};

export const extractPayload = z.strictObject({
  ...fetchedFields,
  /** Redis key of the raw HTML (raw pages never ride in job data). */
  htmlKey: z.string().min(1),
  contentType: z.string(),
  hints: hintsSchema.optional(),
});
export type ExtractPayload = z.infer<typeof extractPayload>;

export const articleSchema = z.strictObject({
  title: z.string().nullable(),
  authors: z.array(z.string()),
  publishedAt: z.string().nullable(),
  modifiedAt: z.string().nullable(),
  description: z.string().nullable(),
  language: z.string().nullable(),
  siteName: z.string().nullable(),
  canonicalUrl: z.string().nullable(),
  image: z.string().nullable(),
  section: z.string().nullable(),
  tags: z.array(z.string()),
  isAccessibleForFree: z.boolean().nullable(),
  body: z.string(),
  wordCount: z.number().int().nonnegative(),
}) satisfies z.ZodType<Article>;

export const dedupPayload = z.strictObject({
  ...fetchedFields,
  article: articleSchema,
});
export type DedupPayload = z.infer<typeof dedupPayload>;

const dedupFields = {
  ...fetchedFields,
  article: articleSchema,
  /** The URL the record is keyed on (canonicalised). */
  canonicalUrl: z.string().url(),
  /** sha256 of the normalised body. */
  contentHash: z.string().regex(/^[0-9a-f]{64}$/),
  /** Set when this is a changed version of a stored article (same URL, new text): its id. */
  updateOf: z.string().optional(),
  /** The page's declared canonical, when it was not believed (another site's): the record keeps the fetched URL. */
  refusedCanonical: z.string().optional(),
};

export const tagPayload = z.strictObject({ ...dedupFields });
export type TagPayload = z.infer<typeof tagPayload>;

export const entitySchema = z.strictObject({
  id: z.string(),
  qid: z.string().nullable(),
  type: z.enum(['country', 'person', 'organization', 'place']),
  name: z.string(),
  mentions: z.number().int().positive(),
  firstOffset: z.number().int().nonnegative(),
  salience: z.number().min(0).max(1),
}) satisfies z.ZodType<EntityMention>;

export const duplicateSchema = z.strictObject({
  /** The canonical article this one repeats. */
  of: z.string(),
  method: z.enum(['url', 'exact', 'near']),
  similarity: z.number().min(0).max(1),
});
export type DuplicateInfo = z.infer<typeof duplicateSchema>;

export const articleStorePayload = z.strictObject({
  ...dedupFields,
  entities: z.array(entitySchema),
  /** Countries mentioned or implied, and the few the story is about (ISO codes). */
  countries: z.array(z.string()).default([]),
  focus: z.array(z.string()).default([]),
  /** Present when dedup found this to be a copy: stored as a sighting, not a new record. */
  duplicate: duplicateSchema.optional(),
});

/** A URL seen before, not fetched again: only its sighting is recorded. */
export const sightingStorePayload = z.strictObject({
  ...requestFields,
  finalUrl: z.string().url(),
  duplicate: duplicateSchema,
});

export const storePayload = z.union([articleStorePayload, sightingStorePayload]);
export type StorePayload = z.infer<typeof storePayload>;

export const payloadSchemas = {
  fetch: fetchPayload,
  extract: extractPayload,
  dedup: dedupPayload,
  tag: tagPayload,
  store: storePayload,
} as const;

export interface StagePayloads {
  fetch: FetchPayload;
  extract: ExtractPayload;
  dedup: DedupPayload;
  tag: TagPayload;
  store: StorePayload;
}
