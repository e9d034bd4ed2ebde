// Tag stage: recognise the countries, people, organisations and places an article mentions, and
// the countries it is about.
import type { TagPayload } from '../../queues/payloads.js';
import type { EntityMatcher } from '../../shared/tag/matcher.js';
import { tagArticle } from '../../shared/tag/tag-article.js';
import type { StageOutput } from '../stage.js';

export interface TagDeps {
  matcher: EntityMatcher;
}

export async function processTag(input: TagPayload, deps: TagDeps): Promise<StageOutput<'store'>> {
  const { entities, countries, focus } = tagArticle(deps.matcher, input.article);
  return { kind: 'next', stage: 'store', payload: { ...input, entities, countries, focus } };
}
