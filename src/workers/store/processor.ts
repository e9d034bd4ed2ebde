// Store stage: write the record (or the sighting of a copy) and, in the same transaction, the
// event announcing it into the outbox; the outbox relay publishes it.
import type { StorePayload } from '../../queues/payloads.js';
import { canonicalizeUrl } from '../../shared/dedup/canonicalize-url.js';
import { PermanentError, RetryableError } from '../../shared/errors.js';
import { cloudEvent, stableEventId } from '../../shared/events/cloud-event.js';
import type { ValidatorStore } from '../../shared/fetch/validators-store.js';
import type { ArticleStore } from '../../shared/store/article-store.js';
import { boundArticle } from '../../shared/store/limits.js';
import { matchTopics, type Topic } from '../../shared/newsletters/topics.js';
import { done, type StageOutput } from '../stage.js';

export interface StoreDeps {
  store: ArticleStore;
  /** Where the page's ETag/Last-Modified are kept for the next, conditional fetch. */
  validators: ValidatorStore;
  /** CloudEvents `source` of everything this pipeline publishes. */
  eventSource: string;
  /** Prefix of the `dataschema` URIs. */
  schemaBase: string;
  now(): Date;
  /** Called after a commit that queued an event (the relay publishes it at once). */
  onCommitted?: () => void;
  /** Newsletter topics; a newly stored article matching one becomes a `news.newsletter.item`. */
  topics?: Topic[];
  /** The record a request's submission ended on (from its outcome), when that is another request's. */
  recordOf?(requestId: string): Promise<string | null>;
}

export async function processStore(input: StorePayload, deps: StoreDeps): Promise<StageOutput> {
  const common = { source: deps.eventSource, schemaBase: deps.schemaBase };
  if (input.duplicate) {
    const { method, similarity } = input.duplicate;
    const hasArticle = 'article' in input;
    const sighting = async (of: string) => {
      const event = cloudEvent({
        ...common,
        id: stableEventId('news.article.duplicate', input.requestId),
        type: 'news.article.duplicate',
        subject: of,
        time: deps.now().toISOString(),
        data: {
          id: input.requestId,
          duplicateOf: of,
          method,
          similarity,
          url: input.url,
          canonicalUrl: hasArticle ? input.canonicalUrl : null,
          title: hasArticle ? input.article.title : null,
        },
      });
      return deps.store.recordSighting(
        { id: input.requestId, articleId: of, url: input.url, finalUrl: input.finalUrl, method, similarity },
        event,
      );
    };
    let of = input.duplicate.of;
    let recorded = await sighting(of);
    if (!recorded) {
      // The copy it repeats may itself have landed on an earlier record (two copies of one page in
      // flight at once can claim the URL and the body separately): follow it there.
      const landed = await deps.recordOf?.(of);
      if (landed && landed !== of) {
        of = landed;
        recorded = await sighting(of);
      }
    }
    // The canonical may still be on its way through tagging; try again shortly.
    if (!recorded) throw new RetryableError('canonical_pending', `canonical article ${of} is not stored yet`);
    deps.onCommitted?.();
    if (hasArticle) await deps.validators.set(canonicalizeUrl(input.url), { ...input.validators, articleId: of });
    return done({ outcome: 'duplicate', duplicateOf: of, method, similarity, finalUrl: input.finalUrl });
  }
  if (!('article' in input)) throw new PermanentError('invalid_payload', 'a store job without an article must be a duplicate sighting');

  // Whatever reached this stage, what is written is within the store's limits.
  const a = boundArticle(input.article);
  const type = input.updateOf ? 'news.article.updated' : 'news.article.stored';
  // Only new stories join newsletters; an update of one already listed does not list it again.
  const topics = input.updateOf
    ? []
    : matchTopics(deps.topics ?? [], { entities: input.entities, focus: input.focus, language: a.language });
  const { id } = await deps.store.upsertArticle(
    {
      id: input.requestId,
      url: input.url,
      canonicalUrl: input.canonicalUrl,
      refusedCanonical: input.refusedCanonical ?? null,
      finalUrl: input.finalUrl,
      article: a,
      contentHash: input.contentHash,
      fetchedAt: input.fetchedAt,
      entities: input.entities,
      countries: input.countries,
      focus: input.focus,
      topics,
    },
    (stored) => [
      cloudEvent({
        ...common,
        id: stableEventId(type, stored.id, input.contentHash),
        type,
        subject: stored.id,
        // When it happened: a new article when it was stored, an update now (not the record's first store).
        time: input.updateOf ? deps.now().toISOString() : stored.storedAt,
        data: {
          id: stored.id,
          url: input.url,
          canonicalUrl: input.canonicalUrl,
          title: a.title,
          publishedAt: a.publishedAt,
          language: a.language,
          entities: input.entities.map((e) => ({ id: e.id, type: e.type, name: e.name, count: e.mentions, salience: e.salience })),
          countries: input.countries,
          focus: input.focus,
        },
      }),
      ...topics.map((topic) =>
        cloudEvent({
          ...common,
          id: stableEventId('news.newsletter.item', topic, stored.id),
          type: 'news.newsletter.item',
          subject: stored.id,
          time: stored.storedAt,
          data: {
            topic,
            articleId: stored.id,
            title: a.title,
            url: input.canonicalUrl,
            publishedAt: a.publishedAt,
            summary: a.description,
            focus: input.focus,
            entities: input.entities.slice(0, 10).map((e) => e.id),
          },
        }),
      ),
    ],
  );
  deps.onCommitted?.();
  await deps.validators.set(canonicalizeUrl(input.url), { ...input.validators, articleId: id });
  return done({ outcome: input.updateOf ? 'updated' : 'stored', articleId: id, finalUrl: input.finalUrl });
}
