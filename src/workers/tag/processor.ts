// Tag stage: recognise the countries, people, organisations and places an article mentions, and
// the countries it is about.
import type { TagPayload } from '../../queues/payloads.js';
import type { MultilingualMatcher } from '../../shared/tag/languages/tagger.js';
import { tagArticle } from '../../shared/tag/tag-article.js';
import type { StageOutput } from '../stage.js';

export interface TagDeps {
  /** The gazetteer matchers, one per language: a document is matched in its own. */
  matchers: MultilingualMatcher;
}

export async function processTag(input: TagPayload, deps: TagDeps): Promise<StageOutput<'store'>> {
  const { entities, countries, focus } = tagArticle(deps.matchers.for(input.article.language), input.article);
  return { kind: 'next', stage: 'store', payload: { ...input, entities, countries, focus } };
}
