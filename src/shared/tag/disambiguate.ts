// Names that mean different things: Georgia (country or U.S. state), Jordan and Chad (countries
// or people), Washington (the U.S. government or a person), Turkey (country or dinner), Guinea
// (country or pig), Congo (two countries), Korea (North or South). Each rule reads the words
// around the mention and the rest of the story.
import type { Match, Sense, Token } from './matcher.js';

const FUNCTION_WORDS = new Set(
  'a an the of to in on at for from by with and or but not is are was were be has have had it its this that as if than into over after before said says told says'.split(
    ' ',
  ),
);
/** Words that precede a country name in running text without being a given name. */
const TITLE_WORDS = new Set([
  'King',
  'Queen',
  'President',
  'Prime',
  'Minister',
  'Republic',
  'Kingdom',
  'State',
  'Government',
  'Lake',
  'River',
  'North',
  'South',
  'East',
  'West',
  'Central',
  'Northern',
  'Southern',
  'Eastern',
  'Western',
  'New',
  'Greater',
  'Upper',
  'Lower',
  'Hashemite',
  'Democratic',
  'People',
  'Federal',
  'Islamic',
  'Arab',
  'Saudi',
  'Israel',
  'Syria',
  'Iraq',
  'Egypt',
  'Lebanon',
]);

const GEORGIA_STATE_CUES = new Set([
  'Atlanta',
  'Savannah',
  'Augusta',
  'Macon',
  'Athens',
  'Peach',
  'Bulldogs',
  'Kemp',
  'Raffensperger',
  'Warnock',
  'Ossoff',
  'Fulton',
  'Carolina',
  'Alabama',
  'Florida',
  'Tennessee',
  'Republican',
  'Democrat',
  'Democrats',
  'Republicans',
  'county',
  'County',
  'governor',
  'senator',
]);
const GEORGIA_COUNTRY_CUES = new Set([
  'Tbilisi',
  'Georgian',
  'Georgians',
  'Caucasus',
  'Abkhazia',
  'Ossetia',
  'Saakashvili',
  'Ivanishvili',
  'Kobakhidze',
  'Zourabichvili',
  'Batumi',
  'Armenia',
  'Azerbaijan',
  'Russia',
  'Kremlin',
  'Moscow',
  'Soviet',
  'Black',
  'NATO',
  'EU',
]);
const KOREA_NORTH_CUES = new Set(['Pyongyang', 'Kim', 'DPRK', 'Juche', 'Yongbyon', 'missile', 'missiles', 'nuclear']);
const KOREA_SOUTH_CUES = new Set(['Seoul', 'Samsung', 'Hyundai', 'LG', 'Busan', 'won', 'Yoon', 'Moon', 'Kospi', 'Incheon', 'Gyeonggi']);
const CONGO_DR_CUES = new Set([
  'Kinshasa',
  'Goma',
  'Kivu',
  'Tshisekedi',
  'Kabila',
  'M23',
  'Lubumbashi',
  'Katanga',
  'Ituri',
  'Kisangani',
  'Zaire',
]);
const CONGO_REP_CUES = new Set(['Brazzaville', 'Sassou', 'Nguesso', 'Pointe']);
const FOOD_WORDS = new Set([
  'dinner',
  'dinners',
  'sandwich',
  'sandwiches',
  'breast',
  'meat',
  'leg',
  'legs',
  'bacon',
  'burger',
  'burgers',
  'roast',
  'feast',
  'stuffing',
  'gravy',
  'slices',
  'farm',
  'farms',
  'farmers',
  'hunting',
  'pardon',
]);

export interface Context {
  tokens: Token[];
  text: string;
  /** How often each token text occurs in the story. */
  counts: Map<string, number>;
  /** How often each entity id was matched without ambiguity. */
  certain: Map<string, number>;
  /** Offsets at which a gazetteer match starts. */
  matchedAt: Set<number>;
}

const capitalized = (t: Token | undefined) => t !== undefined && /^\p{Lu}\p{Ll}/u.test(t.text) && !FUNCTION_WORDS.has(t.text.toLowerCase());

/** Capitalised words that open sentences without being given names. */
const OPENERS = new Set([
  'Yesterday',
  'Today',
  'Meanwhile',
  'However',
  'Officials',
  'Now',
  'Then',
  'Also',
  'Still',
  'Last',
  'Next',
  'When',
  'While',
  'After',
  'Before',
  'Since',
  'Although',
  'Earlier',
  'Later',
  'Neither',
  'Both',
  'Only',
  'Even',
  'Sources',
  'Analysts',
]);

/** "Michael Jordan", "Denzel Washington": a capitalised word right before the name that is not a title or a place. */
function afterGivenName(ctx: Context, m: Match): boolean {
  const prev = ctx.tokens[m.start - 1];
  if (!capitalized(prev) || TITLE_WORDS.has(prev!.text) || OPENERS.has(prev!.text)) return false;
  if (ctx.text.slice(prev!.offset + prev!.text.length, m.offset) !== ' ') return false;
  // A name is not preceded by another match ("Israel Jordan" lists two countries).
  return !ctx.matchedAt.has(prev!.offset);
}

/** "Chad Smith", "Jordan Peterson": the name followed by a capitalised surname. */
function beforeSurname(ctx: Context, m: Match): boolean {
  const next = ctx.tokens[m.stop];
  if (!capitalized(next)) return false;
  const between = ctx.text.slice(m.end, next!.offset);
  return /^ $/.test(between) && !TITLE_WORDS.has(next!.text);
}

function cueScore(ctx: Context, cues: Set<string>): number {
  let n = 0;
  for (const cue of cues) n += ctx.counts.get(cue) ?? 0;
  return n;
}

function pick(senses: Sense[], id: string): Sense | null {
  return senses.find((s) => s.entry.id === id) ?? null;
}

/** The sense a mention has in this story, or null when it is not an entity here at all. */
export function disambiguate(ctx: Context, m: Match): Sense | null {
  const senses = m.senses;
  const phrase = ctx.text.slice(m.offset, m.end);
  const ids = senses.map((s) => s.entry.id);

  if (phrase === 'Jordan' && (afterGivenName(ctx, m) || beforeSurname(ctx, m))) return null;
  if (phrase === 'Chad' && (beforeSurname(ctx, m) || afterGivenName(ctx, m))) return null;
  if (phrase === 'Washington' && afterGivenName(ctx, m)) return null;
  if (phrase === 'Turkey' && (FOOD_WORDS.has(ctx.tokens[m.stop]?.text ?? '') || (ctx.counts.get('Thanksgiving') ?? 0) > 0)) return null;
  if (phrase === 'Guinea' && /^(pig|pigs|fowl|worm)$/.test(ctx.tokens[m.stop]?.text ?? '')) return null;

  if (ids.includes('GE') && ids.includes('place:us-georgia')) {
    if (beforeSurname(ctx, m)) return null; // "Georgia Smith"
    const state = cueScore(ctx, GEORGIA_STATE_CUES) + (ctx.certain.get('US') ?? 0);
    const country = cueScore(ctx, GEORGIA_COUNTRY_CUES);
    return state > country ? pick(senses, 'place:us-georgia') : pick(senses, 'GE');
  }
  if (ids.includes('KR') && ids.includes('KP')) {
    const north = (ctx.certain.get('KP') ?? 0) * 2 + cueScore(ctx, KOREA_NORTH_CUES);
    const south = (ctx.certain.get('KR') ?? 0) * 2 + cueScore(ctx, KOREA_SOUTH_CUES);
    return north > south ? pick(senses, 'KP') : pick(senses, 'KR');
  }
  if (ids.includes('CD') && ids.includes('CG')) {
    const dr = (ctx.certain.get('CD') ?? 0) * 2 + cueScore(ctx, CONGO_DR_CUES);
    const rep = (ctx.certain.get('CG') ?? 0) * 2 + cueScore(ctx, CONGO_REP_CUES);
    return rep > dr ? pick(senses, 'CG') : pick(senses, 'CD');
  }
  return senses[0] ?? null;
}
