// A tagged entity as stored and published.

export type EntityType = 'country' | 'person' | 'organization' | 'place';

export interface EntityMention {
  /** Canonical id: ISO 3166-1 alpha-2 for countries, a stable slug otherwise. */
  id: string;
  /** Wikidata QID. */
  qid: string;
  type: EntityType;
  name: string;
  /** How many times the article mentions it (names, demonyms, capitals). */
  count: number;
  /** Character offset of the first mention in `title + "\n\n" + body`. */
  firstOffset: number;
}
