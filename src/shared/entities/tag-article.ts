// Entities of one article: who and where it mentions, counted, with canonical ids.
import type { EntityMention } from './entity.js';
import type { EntityMatcher } from './matcher.js';

export interface TaggableText {
  title: string | null;
  body: string;
}

/** Mentions in `title + "\n\n" + body`, most mentioned first. */
export function tagArticle(matcher: EntityMatcher, article: TaggableText): EntityMention[] {
  const text = article.title ? `${article.title}\n\n${article.body}` : article.body;
  const byId = new Map<string, EntityMention>();
  for (const m of matcher.match(text)) {
    const existing = byId.get(m.entry.id);
    if (existing) {
      existing.count++;
    } else {
      byId.set(m.entry.id, {
        id: m.entry.id,
        qid: m.entry.qid,
        type: m.entry.type,
        name: m.entry.name,
        count: 1,
        firstOffset: m.offset,
      });
    }
  }
  return [...byId.values()].sort((a, b) => b.count - a.count || a.firstOffset - b.firstOffset);
}
