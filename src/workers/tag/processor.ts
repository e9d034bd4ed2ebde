// Tag stage: recognise the countries (and later people and organisations) an article mentions.
import type { TagPayload } from '../../queues/payloads.js';
import type { EntityMatcher } from '../../shared/entities/matcher.js';
import { tagArticle } from '../../shared/entities/tag-article.js';
import type { StageOutput } from '../stage.js';

export interface TagDeps {
  matcher: EntityMatcher;
}

export async function processTag(input: TagPayload, deps: TagDeps): Promise<StageOutput<'store'>> {
  const entities = tagArticle(deps.matcher, input.article);
  return { kind: 'next', stage: 'store', payload: { ...input, entities } };
}
