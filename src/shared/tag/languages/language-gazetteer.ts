// The gazetteer of one language, keyed by the same ids and Wikidata QIDs as the English one:
// country names generated from i18n-iso-countries (every name it has in the language) and from
// CLDR's territory names (the short and variant forms the press uses: Siria, Irak, Chequia), adjectives
// from i18n-nationality where it has the language, and the press usage each language needs on top
// (data/curated/languages/<lang>.json): short and official forms, abbreviations, adjectives,
// capitals standing for governments, people in their native-script names, and (Chinese) the
// compounds one-character abbreviations appear in.
import { createRequire } from 'node:module';
import countries from 'i18n-iso-countries';
import nationality from 'i18n-nationality';
import de from '../data/curated/languages/de.json' with { type: 'json' };
import es from '../data/curated/languages/es.json' with { type: 'json' };
import fr from '../data/curated/languages/fr.json' with { type: 'json' };
import ru from '../data/curated/languages/ru.json' with { type: 'json' };
import uk from '../data/curated/languages/uk.json' with { type: 'json' };
import zh from '../data/curated/languages/zh.json' with { type: 'json' };
import type { Gazetteer, GazetteerEntry } from '../gazetteer.js';

interface LanguageData {
  names?: Record<string, string[]>;
  adjectives?: Record<string, string[]>;
  capitals?: Record<string, string[]>;
  people?: Record<string, string[]>;
  compounds?: Record<string, string[]>;
  /** Organisations by their native names (a country inside one is the organisation's, not a mention of it). */
  organizations?: Record<string, { country?: string; names: string[] }>;
  /** Words that are no country's name in running text: longest match takes them first. */
  places?: Record<string, { names: string[] }>;
  /** Chinese: a verb before a one-character abbreviation names the country (访华, 驻美). */
  visits?: { verbs: string[]; abbreviations: Record<string, string>; china: string[] };
  /** Generated names that are common words in the language (Того: "of that"). */
  exclude?: string[];
}

const CURATED: Record<string, LanguageData> = { de, es, fr, ru, uk, zh };

/** Languages with a gazetteer of their own (English is the base gazetteer). */
export const TAGGED_LANGUAGES = Object.keys(CURATED);

const require = createRequire(import.meta.url);
const registered = new Set<string>();

function register(language: string): void {
  if (registered.has(language)) return;
  registered.add(language);
  countries.registerLocale(require(`i18n-iso-countries/langs/${language}.json`));
  try {
    nationality.registerLocale(require(`i18n-nationality/langs/${language}.json`));
  } catch {
    // i18n-nationality has no such language: its adjectives come from the curated file only.
  }
}

/**
 * "КНР (Китайская Народная Республика)" → both names; "Внешние малые острова (США)" → the name
 * alone: a parenthesis spells out an abbreviation, or qualifies a territory by its country.
 */
function splitNames(name: string): string[] {
  const m = /^(.*?)\s*\((.*)\)\s*$/.exec(name);
  if (!m) return [name.trim()];
  const [outer, inner] = [m[1]!.trim(), m[2]!.trim()];
  return /^\p{Lu}{2,}$/u.test(outer) ? [outer, inner] : [outer];
}

const isCjk = (s: string) => /\p{Script=Han}/u.test(s);

type Territories = Record<string, string>;

/**
 * CLDR's names of each two-letter territory in the language — the display name and its short and
 * variant forms ("EE. UU.", "Costa de Marfil") — leaving out two-letter forms (es "RU" for the
 * United Kingdom is Russia's code) and names CLDR gives to more than one territory.
 */
function cldrNames(language: string): Map<string, string[]> {
  const file = require(`cldr-localenames-full/main/${language}/territories.json`) as {
    main: Record<string, { localeDisplayNames: { territories: Territories } }>;
  };
  const territories = file.main[language]!.localeDisplayNames.territories;
  const byName = new Map<string, Set<string>>();
  for (const [key, value] of Object.entries(territories)) {
    const id = /^([A-Z]{2})(?:-alt-(?:short|variant))?$/.exec(key)?.[1];
    if (!id) continue;
    for (const name of splitNames(value)) {
      if ([...name].length <= 2 && !isCjk(name)) continue;
      const ids = byName.get(name) ?? new Set<string>();
      byName.set(name, ids.add(id));
    }
  }
  const out = new Map<string, string[]>();
  for (const [name, ids] of byName) {
    if (ids.size !== 1) continue;
    const id = [...ids][0]!;
    out.set(id, [...(out.get(id) ?? []), name]);
  }
  return out;
}

/**
 * German names a people by a noun made from the adjective, capitalised: "deutsch" → der Deutsche,
 * die Deutschen; an "-isch" adjective → -er, -ier, -e or -i on its stem (italienisch → Italiener,
 * kanadisch → Kanadier, russisch → Russe, israelisch → Israeli), with the feminine in -in. Forms no
 * German word takes are never met in text; the irregular ones (Franzose, Däne) are curated.
 */
function germanDemonymNouns(adjective: string): string[] {
  if (!/^\p{Ll}/u.test(adjective)) return [];
  const capitalised = adjective[0]!.toUpperCase() + adjective.slice(1);
  if (!adjective.endsWith('isch')) return [capitalised];
  const stem = capitalised.slice(0, -'isch'.length);
  // A shorter stem makes common words (malisch → "Maler", "Male"): those peoples are curated.
  if (stem.length < 4) return [];
  const male = [`${stem}er`, `${stem}ier`, `${stem}e`, `${stem}i`];
  return [...male, ...male.map((n) => `${n.replace(/e$/, '')}in`)];
}

export function languageGazetteer(language: string, base: Gazetteer): Gazetteer | null {
  const data = CURATED[language];
  if (!data) return null;
  register(language);
  const cldr = cldrNames(language);
  const excluded = new Set(data.exclude ?? []);
  const entries: GazetteerEntry[] = [];
  for (const entry of base.entries) {
    if (entry.type === 'country') {
      const generated = /^[A-Z]{2}$/.test(entry.id)
        ? [
            ...((countries.getName(entry.id, language, { select: 'all' }) as string[] | undefined) ?? []).flatMap(splitNames),
            ...(cldr.get(entry.id) ?? []),
          ]
        : [];
      const adjective = /^[A-Z]{2}$/.test(entry.id) ? nationality.getName(entry.id, language) : undefined;
      const aliases = [...new Set([...generated, ...(data.names?.[entry.id] ?? [])])].filter((n) => !excluded.has(n));
      const adjectives = [...(adjective ? [adjective.toLowerCase()] : []), ...(data.adjectives?.[entry.id] ?? [])];
      const nouns = language === 'de' ? adjectives.flatMap(germanDemonymNouns) : [];
      const demonyms = [...new Set([...adjectives, ...nouns])];
      const capitals = data.capitals?.[entry.id] ?? [];
      if (aliases.length + demonyms.length + capitals.length === 0) continue;
      entries.push({ ...entry, name: aliases[0] ?? entry.name, aliases, demonyms, capitals });
    } else if (entry.type === 'person') {
      const native = data.people?.[entry.id] ?? [];
      // A single word is a surname: it counts once the full name has been read (as in English).
      const full = native.filter((n) => isCjk(n) || /\s/.test(n));
      const surnames = native.filter((n) => !isCjk(n) && !/\s/.test(n));
      const latin = language === 'ru' || language === 'uk' || language === 'zh' ? [] : entry.aliases;
      if (full.length + latin.length === 0) continue;
      entries.push({
        ...entry,
        aliases: [...full, ...latin],
        surnames: [...surnames, ...(latin.length > 0 ? (entry.surnames ?? []) : [])],
      });
    } else if (entry.type === 'organization' && !(language === 'ru' || language === 'uk' || language === 'zh')) {
      // Acronyms and names of international bodies are written the same in Latin-script languages.
      entries.push(entry);
    }
  }
  const known = new Map(base.entries.map((e) => [e.id, e]));
  for (const [id, org] of Object.entries(data.organizations ?? {})) {
    const existing = known.get(id);
    entries.push({
      id,
      qid: existing?.qid ?? null,
      type: 'organization',
      name: existing?.name ?? org.names[0]!,
      aliases: org.names,
      ...((org.country ?? existing?.country) ? { country: org.country ?? existing?.country } : {}),
    });
  }
  for (const [id, place] of Object.entries(data.places ?? {})) {
    entries.push({ id, qid: null, type: 'place', name: place.names[0]!, aliases: place.names });
  }
  const compounds = Object.entries(data.compounds ?? {}).map(([phrase, ids]) => ({ phrase, ids }));
  if (data.visits) {
    const { verbs, abbreviations, china } = data.visits;
    for (const verb of verbs)
      for (const [abbreviation, id] of Object.entries(abbreviations)) compounds.push({ phrase: verb + abbreviation, ids: [id] });
    for (const phrase of china) compounds.push({ phrase, ids: ['CN'] });
  }
  return { entries, ambiguous: [], compounds };
}
