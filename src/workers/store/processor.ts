// Store stage: write the record (or the sighting of a copy), then publish its event.
import type { StorePayload } from '../../queues/payloads.js';
import { PermanentError, RetryableError } from '../../shared/errors.js';
import { cloudEvent, stableEventId } from '../../shared/events/cloud-event.js';
import type { EventSink } from '../../shared/events/event-sink.js';
import type { ValidatorStore } from '../../shared/http/validators-store.js';
import { canonicalizeUrl } from '../../shared/dedup/canonicalize-url.js';
import type { ArticleStore } from '../../shared/store/article-store.js';
import { done, type StageOutput } from '../stage.js';

export interface StoreDeps {
  store: ArticleStore;
  events: EventSink;
  /** Where the page's ETag/Last-Modified are kept for the next, conditional fetch. */
  validators: ValidatorStore;
  /** CloudEvents `source` of everything this pipeline publishes. */
  eventSource: string;
  now(): Date;
}

export async function processStore(input: StorePayload, deps: StoreDeps): Promise<StageOutput> {
  if (input.duplicate) {
    const { of, method, similarity } = input.duplicate;
    const recorded = await deps.store.recordSighting({
      id: input.requestId, articleId: of, url: input.url, finalUrl: input.finalUrl, method, similarity,
    });
    // The canonical may still be on its way through tagging; try again shortly.
    if (!recorded) throw new RetryableError('canonical_pending', `canonical article ${of} is not stored yet`);
    const hasArticle = 'article' in input;
    await deps.events.publish(
      cloudEvent({
        id: stableEventId('news.article.duplicate', input.requestId),
        source: deps.eventSource,
        type: 'news.article.duplicate',
        subject: of,
        time: deps.now().toISOString(),
        data: {
          id: input.requestId, duplicateOf: of, method, similarity, url: input.url,
          canonicalUrl: hasArticle ? input.canonicalUrl : null, title: hasArticle ? input.article.title : null,
        },
      }),
    );
    if (hasArticle) await deps.validators.set(canonicalizeUrl(input.url), { ...input.validators, articleId: of });
    return done({ outcome: 'duplicate', duplicateOf: of, method, similarity, finalUrl: input.finalUrl });
  }
  if (!('article' in input)) throw new PermanentError('invalid_payload', 'a store job without an article must be a duplicate sighting');

  const a = input.article;
  const { id, storedAt } = await deps.store.upsertArticle({
    id: input.requestId,
    url: input.url,
    canonicalUrl: input.canonicalUrl,
    finalUrl: input.finalUrl,
    article: a,
    contentHash: input.contentHash,
    fetchedAt: input.fetchedAt,
    entities: input.entities,
    countries: input.countries,
    focus: input.focus,
  });
  await deps.events.publish(
    cloudEvent({
      id: stableEventId('news.article.stored', id, input.contentHash),
      source: deps.eventSource,
      type: 'news.article.stored',
      subject: id,
      time: storedAt,
      data: {
        id,
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
  );
  await deps.validators.set(canonicalizeUrl(input.url), { ...input.validators, articleId: id });
  return done({ outcome: 'stored', articleId: id, finalUrl: input.finalUrl });
}
