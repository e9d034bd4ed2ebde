// The names newsline recognises: versioned data files in the repo (countries generated from
// maintained packages, the rest curated), plus an operator's own file.
import fs from 'node:fs';
import countries from './data/countries.json' with { type: 'json' };
import overrides from './data/curated/country-overrides.json' with { type: 'json' };
import historic from './data/curated/historic.json' with { type: 'json' };
import organizations from './data/curated/organizations.json' with { type: 'json' };
import people from './data/curated/people.json' with { type: 'json' };
import places from './data/curated/places.json' with { type: 'json' };
import { ConfigError } from '../errors.js';
import type { EntityType } from './entity.js';

export interface GazetteerEntry {
  /** ISO 3166-1 alpha-2 for countries; `person:…`, `org:…`, `place:…` otherwise. */
  id: string;
  /** Wikidata QID; null where it has not been checked yet. */
  qid: string | null;
  type: EntityType;
  name: string;
  /** The country code this entity stands for in `countries` and `focus` (countries: their own). */
  country?: string;
  /** Names: "Britain", "U.S.", "People's Republic of China". */
  aliases: string[];
  /** "Chinese", "Russians". */
  demonyms?: string[];
  /** Capitals and seats of government used as metonyms ("Moscow said", "the Kremlin"). */
  capitals?: string[];
  /** People: matched alone only after a full-name mention ("Putin" after "Vladimir Putin"). */
  surnames?: string[];
}

/** A name several entities share; the tagger chooses from context. */
export interface AmbiguousName {
  phrase: string;
  senses: string[];
  via: 'name' | 'demonym';
}

/** A written form naming several entities at once: 中俄 (China and Russia). */
export interface CompoundName {
  phrase: string;
  ids: string[];
}

export interface Gazetteer {
  entries: GazetteerEntry[];
  ambiguous: AmbiguousName[];
  compounds?: CompoundName[];
}

function withType(list: Array<Record<string, unknown>>, type: EntityType): GazetteerEntry[] {
  return list.map((e) => ({ type, ...e }) as unknown as GazetteerEntry);
}

export function defaultGazetteer(): Gazetteer {
  const countryEntries = (countries.entities as unknown as GazetteerEntry[]).map((c) => ({ ...c, country: c.id }));
  return {
    entries: [
      ...countryEntries,
      ...withType(historic.entities, 'country'),
      ...withType(organizations.entities, 'organization'),
      ...withType(people.entities, 'person'),
      ...withType(places.entities, 'place'),
    ],
    ambiguous: overrides.ambiguous.names as AmbiguousName[],
  };
}

/**
 * The default gazetteer plus an operator's file (`NEWSLINE_GAZETTEER_EXTRA`): JSON
 * `{"entities":[{id,qid,type,name,country?,aliases,demonyms?,capitals?,surnames?}]}`. An entry
 * with an existing id adds to that entity's names.
 */
export function loadGazetteer(extraFile?: string): Gazetteer {
  const base = defaultGazetteer();
  if (!extraFile) return base;
  let extra: { entities?: unknown };
  try {
    extra = JSON.parse(fs.readFileSync(extraFile, 'utf8')) as { entities?: unknown };
  } catch (err) {
    throw new ConfigError(`NEWSLINE_GAZETTEER_EXTRA: cannot read ${extraFile}: ${(err as Error).message}`);
  }
  if (!Array.isArray(extra.entities)) throw new ConfigError(`NEWSLINE_GAZETTEER_EXTRA: ${extraFile} needs an "entities" array`);
  const byId = new Map(base.entries.map((e) => [e.id, e]));
  for (const [i, raw] of (extra.entities as Array<Partial<GazetteerEntry>>).entries()) {
    if (typeof raw.id !== 'string' || !Array.isArray(raw.aliases)) {
      throw new ConfigError(`NEWSLINE_GAZETTEER_EXTRA: entity ${i} needs "id" and "aliases"`);
    }
    const existing = byId.get(raw.id);
    if (existing) {
      existing.aliases = [...existing.aliases, ...raw.aliases];
      existing.demonyms = [...(existing.demonyms ?? []), ...(raw.demonyms ?? [])];
      existing.capitals = [...(existing.capitals ?? []), ...(raw.capitals ?? [])];
      existing.surnames = [...(existing.surnames ?? []), ...(raw.surnames ?? [])];
    } else {
      if (typeof raw.name !== 'string' || !raw.type)
        throw new ConfigError(`NEWSLINE_GAZETTEER_EXTRA: new entity ${raw.id} needs "name" and "type"`);
      const entry = { qid: null, ...raw } as GazetteerEntry;
      base.entries.push(entry);
      byId.set(entry.id, entry);
    }
  }
  return base;
}
