// The names newsline recognises, loaded from versioned data files in the repo.
import countries from './data/countries.json' with { type: 'json' };
import type { EntityType } from './entity.js';

export interface GazetteerEntry {
  id: string;
  qid: string;
  type: EntityType;
  name: string;
  /** Other names: "Britain", "U.S.", "People's Republic of China". */
  aliases: string[];
  /** "Chinese", "Russians". */
  demonyms: string[];
  /** Capitals and seats of government, used as metonyms ("Moscow said"). */
  capitals: string[];
}

export interface Gazetteer {
  entries: GazetteerEntry[];
}

export function defaultGazetteer(): Gazetteer {
  return { entries: countries.entities as GazetteerEntry[] };
}
