// A tagged entity as stored and published.

export type EntityType = 'country' | 'person' | 'organization' | 'place';

export interface EntityMention {
  /** Canonical id: ISO 3166-1 alpha-2 for countries, `person:…`, `org:…`, `place:…` otherwise. */
  id: string;
  /** Wikidata QID (null where the gazetteer has not checked it yet). */
  qid: string | null;
  type: EntityType;
  name: string;
  /** How many times the article mentions it (names, demonyms, capitals, surnames). */
  mentions: number;
  /** Character offset of the first mention in `title + "\n\n" + body`. */
  firstOffset: number;
  /** 0–1: weighted mentions (title and lead count more) relative to the most salient entity. */
  salience: number;
}
