import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultGazetteer } from '../../src/shared/entities/gazetteer.js';
import { EntityMatcher } from '../../src/shared/entities/matcher.js';
import { tagArticle } from '../../src/shared/entities/tag-article.js';
import { extractArticle } from '../../src/shared/extract/extract-article.js';

const matcher = new EntityMatcher(defaultGazetteer());
const ids = (title: string | null, body: string) => tagArticle(matcher, { title, body }).map((e) => e.id);

describe('country tagging', () => {
  it('tags the seed-shaped story with China, Russia, Ukraine and the United States', () => {
    const html = readFileSync(new URL('../fixtures/pages/summit-story.html', import.meta.url), 'utf8');
    const article = extractArticle(html, 'https://globe-dispatch.example/x');
    const entities = tagArticle(matcher, article);
    const found = entities.map((e) => e.id);
    expect(found).toEqual(expect.arrayContaining(['CN', 'RU', 'UA', 'US', 'KP', 'SY', 'VE']));
    expect(found.slice(0, 2).sort()).toEqual(['CN', 'RU']);
    const russia = entities.find((e) => e.id === 'RU')!;
    expect(russia).toMatchObject({ qid: 'Q159', type: 'country', name: 'Russia' });
    expect(russia.count).toBeGreaterThanOrEqual(8);
  });

  it('counts names, demonyms, capitals and possessives', () => {
    const e = tagArticle(matcher, { title: null, body: "Russia's envoy met Russian officials in Moscow. Kyiv said no." });
    expect(e.find((x) => x.id === 'RU')?.count).toBe(3);
    expect(e.find((x) => x.id === 'UA')?.count).toBe(1);
  });

  it('reads initialisms and prefers the longest name', () => {
    expect(ids(null, 'The U.S. and North Korea met; South Korea watched.')).toEqual(['US', 'KP', 'KR']);
  });

  it('ignores lower-case common words that are also country names', () => {
    expect(ids(null, 'She bought fine china and roast turkey.')).toEqual([]);
  });

  it('records the offset of the first mention in title + body', () => {
    const [first] = tagArticle(matcher, { title: 'Talks in Paris', body: 'French officials…' });
    expect(first).toMatchObject({ id: 'FR', count: 2, firstOffset: 9 });
  });
});
