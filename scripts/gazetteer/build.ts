// npm run gazetteer: writes src/shared/tag/data/countries.json from maintained packages
// (i18n-iso-countries: names and alternate names; i18n-nationality: demonyms; countries-list:
// capitals — all MIT) plus Wikidata ids (wikidata-qids.json) and the curated news usage in
// src/shared/tag/data/curated/country-overrides.json. Run it after changing either.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { countries as countryFacts } from 'countries-list';
import isoCountries from 'i18n-iso-countries';
import nationality from 'i18n-nationality';

const require = createRequire(import.meta.url);
nationality.registerLocale(require('i18n-nationality/langs/en.json'));

interface Override {
  name?: string;
  aliases?: string[];
  demonyms?: string[];
  capitals?: string[];
}

const qids = (JSON.parse(fs.readFileSync('scripts/gazetteer/wikidata-qids.json', 'utf8')) as { qids: Record<string, string> }).qids;
const overrides = (
  JSON.parse(fs.readFileSync('src/shared/tag/data/curated/country-overrides.json', 'utf8')) as { countries: Record<string, Override> }
).countries;

/**
 * Capitals that are also common names or other places ("Morgan Stanley", "Kingston upon Thames",
 * San José in California): matched as a capital they would tag the wrong country.
 */
const AMBIGUOUS_CAPITALS = new Set([
  'Stanley',
  'Douglas',
  'Victoria',
  'Hamilton',
  'Kingston',
  'Georgetown',
  'Jamestown',
  'Adamstown',
  'Praia',
  'Male',
  'San José',
  'San Jose',
  'Panama City',
  'Saint Helier',
  'St. Helier',
  'Saint Peter Port',
  'Road Town',
  'The Valley',
  'Plymouth',
  'Basseterre',
  'Castries',
  'Avarua',
  'Alofi',
  'Flying Fish Cove',
  'West Island',
  'Kingstown',
  'Nuuk',
  'Gibraltar',
  'Monaco',
  'Luxembourg',
  'Singapore',
  'Kuwait City',
  'Djibouti',
  'Guatemala City',
  'Vatican City',
  'Hagåtña',
  'Saipan',
  'Pago Pago',
  'Charlotte Amalie',
  'Cockburn Town',
  'Philipsburg',
  'Marigot',
  'Gustavia',
  'Longyearbyen',
  'Tórshavn',
  'Mariehamn',
  'Oranjestad',
  'Willemstad',
  'Kralendijk',
  'Nouméa',
  'Papeetē',
  'Mata-Utu',
  'Saint-Pierre',
  'Saint-Denis',
  'Mamoudzou',
  'Cayenne',
  'Fort-de-France',
  'Basse-Terre',
]);

/** Bureaucratic forms ("Korea, Republic of", "Iran (Islamic Republic of)") never appear in news text. */
const usable = (name: string) => !/[,()]/.test(name);
const unique = (xs: string[]) => [...new Set(xs.filter(Boolean))];

const names = isoCountries.getNames('en', { select: 'all' }) as Record<string, string[]>;
const entities = Object.keys(names)
  .sort()
  .filter((code) => qids[code])
  .map((code) => {
    const o = overrides[code] ?? {};
    const generated = names[code]!.filter(usable);
    const demonym = (nationality.getName(code, 'en') as string | undefined) ?? '';
    const capital = (countryFacts as unknown as Record<string, { capital?: string }>)[code]?.capital ?? '';
    const name = o.name ?? generated.find((n) => !/^(The |Republic of |Islamic Republic|Kingdom of )/.test(n)) ?? generated[0] ?? code;
    return {
      id: code,
      qid: qids[code],
      type: 'country',
      name,
      aliases: unique([name, ...generated, ...(o.aliases ?? [])]),
      demonyms: unique(o.demonyms ?? (demonym && usable(demonym) ? [demonym] : [])),
      capitals: unique([
        ...(o.capitals ?? []),
        ...(capital && usable(capital) && !o.capitals && !AMBIGUOUS_CAPITALS.has(capital) ? [capital] : []),
      ]),
    };
  });

fs.writeFileSync(
  'src/shared/tag/data/countries.json',
  `${JSON.stringify({ version: 2, generatedBy: 'scripts/gazetteer/build.ts', entities }, null, 1)}\n`,
);
console.log(`${entities.length} countries written to src/shared/tag/data/countries.json`);
