// The tagger's matchers, one per language, built when a document in that language first comes:
// English (and any language without a gazetteer of its own) uses the base gazetteer.
import type { Gazetteer } from '../gazetteer.js';
import { EntityMatcher } from '../matcher.js';
import { languageGazetteer } from './language-gazetteer.js';
import { morphologyFor } from './morphology.js';
import { partOfNameFor, wordsFor } from './names.js';

export class MultilingualMatcher {
  private readonly byLanguage = new Map<string, EntityMatcher>();
  readonly base: EntityMatcher;

  constructor(private readonly gazetteer: Gazetteer) {
    this.base = new EntityMatcher(gazetteer);
  }

  /** The matcher for a document in `language` (a primary subtag; null or unknown: the base). */
  for(language: string | null | undefined): EntityMatcher {
    if (!language || language === 'en') return this.base;
    let matcher = this.byLanguage.get(language);
    if (!matcher) {
      const gazetteer = languageGazetteer(language, this.gazetteer);
      matcher = gazetteer
        ? new EntityMatcher(gazetteer, {
            morphology: morphologyFor(language),
            partOfName: partOfNameFor(language),
            standsAlone: wordsFor(language),
            capitalRuns: true,
          })
        : this.base;
      this.byLanguage.set(language, matcher);
    }
    return matcher;
  }
}
