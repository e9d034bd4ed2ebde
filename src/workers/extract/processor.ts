// Extract stage: decode the parked page and turn it into an Article.
import type { ExtractPayload } from '../../queues/payloads.js';
import type { PageStore } from '../../shared/blobs/page-store.js';
import { PermanentError } from '../../shared/errors.js';
import { extractArticle } from '../../shared/extract/extract-article.js';
import { boundArticle } from '../../shared/store/limits.js';
import { resolveLanguage } from '../../shared/tag/languages/detect-language.js';
import { decodeHtml } from '../../shared/text/decode.js';
import { done, type StageOutput } from '../stage.js';

export interface ExtractDeps {
  pages: PageStore;
}

export async function processExtract(input: ExtractPayload, deps: ExtractDeps): Promise<StageOutput<'dedup'>> {
  const bytes = await deps.pages.get(input.htmlKey);
  if (bytes === null) {
    throw new PermanentError('page_expired', `the fetched page for ${input.url} is no longer in the page store`);
  }
  const extracted = extractArticle(decodeHtml(bytes, input.contentType), input.finalUrl);
  // A feed's title, date, image and author stand in when the page gives none.
  extracted.title ??= input.hints?.title ?? null;
  extracted.publishedAt ??= input.hints?.publishedAt ?? null;
  extracted.image ??= input.hints?.image ?? null;
  if (extracted.authors.length === 0 && input.hints?.author) extracted.authors = [input.hints.author];
  // The page's own language tag is kept only when its text agrees (or is too short to tell).
  extracted.language = resolveLanguage(extracted.language, `${extracted.title ?? ''}\n${extracted.body}`);
  // Within the store's limits from here on: the copies in jobs and events are as small as the record.
  const article = boundArticle(extracted);
  const { htmlKey: _htmlKey, contentType: _contentType, hints: _hints, ...fetched } = input;
  const dropPage = () => deps.pages.delete(input.htmlKey);
  if (article.wordCount === 0) {
    await dropPage();
    return done({ outcome: 'skipped', reason: 'no_article', detail: 'no article text found on the page', finalUrl: input.finalUrl });
  }
  return { kind: 'next', stage: 'dedup', payload: { ...fetched, article }, afterHandoff: dropPage };
}
