// How a name changes with its grammar, per language, for matching: Russian and Ukrainian decline
// nouns and adjectives (России, Россией, российского; Україні, українських), German adds a
// genitive -s and builds compounds (Russlands, Ukrainekrieg), French and Spanish inflect
// adjectives (chinoise, rusos). A gazetteer word is stored under its stem, marked when an ending
// was taken off; a word in the text is looked up under itself and under each stem its endings
// allow. "Герман" (a first name) therefore never matches "Германия": the country's stem needs an
// ending after it.

export interface Morphology {
  /** The keys a gazetteer word is stored under. */
  storedKeys(word: string): string[];
  /** The keys a word of the text is looked up by, the word itself first. */
  lookupKeys(word: string): string[];
}

/** Marks a stem that had an ending taken off. */
const STEM = '\u0001';
/** Marks a stem that opens a compound (German). */
const COMPOUND = '\u0002';
/** Marks a whole name that may take a genitive ending (German Indiens, Irans). */
const GENITIVE = '\u0003';

interface Rules {
  /** Endings, longest first. */
  endings: string[];
  /** Shortest stem left after taking an ending off. */
  minStem: number;
  /** German compounds: a name at least this long may open a longer word. */
  compoundsFrom?: number;
  /** Endings a whole name takes in the genitive: German "Indien" → "Indiens", "Irak" → "Iraks". */
  genitive?: string[];
}

const sortLongestFirst = (list: string[]) => [...new Set(list)].sort((a, b) => b.length - a.length);

/**
 * Russian and Ukrainian: each gazetteer word is stored in every case form of its declension,
 * chosen by its ending (a noun in -а, -я, -ия, -й, -ь or a consonant; an adjective in -ий/-ый/-ой),
 * so the text is matched exactly: no stem ever meets an unrelated word ("Мали" is indeclinable,
 * so "Малый" is not Mali; "Самоа" is indeclinable, so "Самое" is not Samoa).
 */
const PARADIGMS: Record<string, Array<[string, string[]]>> = {
  ru: [
    ['ский', ['ский', 'ского', 'скому', 'ским', 'ском', 'ская', 'ской', 'скую', 'ское', 'ские', 'ских', 'скими']],
    ['цкий', ['цкий', 'цкого', 'цкому', 'цким', 'цком', 'цкая', 'цкой', 'цкую', 'цкое', 'цкие', 'цких', 'цкими']],
    ['кий', ['кий', 'кого', 'кому', 'ким', 'ком', 'кая', 'кой', 'кую', 'кое', 'кие', 'ких', 'кими']],
    ['ый', ['ый', 'ого', 'ому', 'ым', 'ом', 'ая', 'ой', 'ую', 'ое', 'ые', 'ых', 'ыми']],
    ['ий', ['ий', 'его', 'ему', 'им', 'ем', 'яя', 'ей', 'юю', 'ее', 'ие', 'их', 'ими']],
    ['ия', ['ия', 'ии', 'ию', 'ией']],
    ['ья', ['ья', 'ьи', 'ье', 'ью', 'ьей']],
    ['а', ['а', 'ы', 'и', 'е', 'у', 'ой', 'ою']],
    ['я', ['я', 'и', 'е', 'ю', 'ей', 'ею']],
    ['й', ['й', 'я', 'ю', 'е', 'ем']],
    ['ь', ['ь', 'и', 'ью', 'я', 'ю', 'ем', 'е']],
    ['ы', ['ы', 'ов', 'ам', 'ами', 'ах']],
  ],
  uk: [
    [
      'ський',
      ['ський', 'ського', 'ському', 'ським', 'ськім', 'ська', 'ської', 'ській', 'ську', 'ською', 'ське', 'ські', 'ських', 'ськими'],
    ],
    [
      'цький',
      ['цький', 'цького', 'цькому', 'цьким', 'цькім', 'цька', 'цької', 'цькій', 'цьку', 'цькою', 'цьке', 'цькі', 'цьких', 'цькими'],
    ],
    ['ий', ['ий', 'ого', 'ому', 'им', 'ім', 'а', 'ої', 'ій', 'у', 'ою', 'е', 'і', 'их', 'ими']],
    ['ія', ['ія', 'ії', 'ію', 'ією']],
    ['а', ['а', 'и', 'і', 'у', 'ою', 'о']],
    ['я', ['я', 'і', 'ю', 'ею', 'ї']],
    ['й', ['й', 'ю', 'я', 'ї', 'єм', 'ї']],
    ['ь', ['ь', 'і', 'ю', 'ем', 'я']],
    ['и', ['и', 'ів', 'ам', 'ами', 'ах']],
  ],
};
/** Vowels after which a name is taken as indeclinable (Мали, Того, Самоа, Перу). */
const INDECLINABLE = /[оиуеэюіє]$/;
/** A final consonant declines: Иран, Ирана, Ирану, Ираном, Иране. */
const CONSONANT_ENDINGS: Record<string, string[]> = { ru: ['', 'а', 'у', 'ом', 'е'], uk: ['', 'у', 'а', 'ом', 'і', 'ові'] };

/** Every case form of a Russian or Ukrainian gazetteer word. */
function caseForms(word: string, language: string): string[] {
  for (const [ending, endings] of PARADIGMS[language] ?? []) {
    if (word.endsWith(ending) && word.length > ending.length + 1) {
      const stem = word.slice(0, -ending.length);
      return endings.map((e) => stem + e);
    }
  }
  // Abbreviations (США, КНР) and indeclinable names stay as written.
  if (/^\p{Lu}+$/u.test(word) || INDECLINABLE.test(word) || word.length < 4) return [word];
  return (CONSONANT_ENDINGS[language] ?? ['']).map((e) => word + e);
}

const RULES: Record<string, Rules> = {
  de: { endings: sortLongestFirst(['s', 'es', 'e', 'en', 'er', 'em', 'n']), minStem: 4, compoundsFrom: 5, genitive: ['s', 'es'] },
  fr: { endings: sortLongestFirst(['e', 's', 'es', 'ne', 'nes', 'le', 'les']), minStem: 4 },
  es: { endings: sortLongestFirst(['o', 'a', 'os', 'as', 'es', 's']), minStem: 4 },
};

/** The stem a word is stored under: its longest ending taken off, where one is. */
function stem(word: string, rules: Rules): string | null {
  for (const ending of rules.endings) {
    if (word.length - ending.length >= rules.minStem && word.endsWith(ending)) return word.slice(0, -ending.length);
  }
  return null;
}

export function morphologyFor(language: string): Morphology | null {
  if (PARADIGMS[language]) {
    return { storedKeys: (word) => [...new Set(caseForms(word, language))], lookupKeys: (word) => [word] };
  }
  const rules = RULES[language];
  if (!rules) return null;
  return {
    storedKeys(word) {
      const s = stem(word, rules);
      // A word stored whole also matches with an ending after it (Иран → Ирана).
      const keys = s === null ? [word, `${word}${STEM}`] : [word, `${s}${STEM}`];
      if (rules.compoundsFrom !== undefined && word.length >= rules.compoundsFrom && /^\p{Lu}/u.test(word)) keys.push(`${word}${COMPOUND}`);
      if (rules.genitive && /^\p{Lu}/u.test(word)) keys.push(`${word}${GENITIVE}`);
      return keys;
    },
    lookupKeys(word) {
      const keys = [word];
      for (const ending of rules.genitive ?? []) {
        if (word.length - ending.length >= rules.minStem && word.endsWith(ending)) keys.push(`${word.slice(0, -ending.length)}${GENITIVE}`);
      }
      for (const ending of rules.endings) {
        if (word.length - ending.length >= rules.minStem && word.endsWith(ending)) keys.push(`${word.slice(0, -ending.length)}${STEM}`);
      }
      if (rules.compoundsFrom !== undefined && /^\p{Lu}/u.test(word)) {
        // Ukrainekrieg, Deutschlandreise, Russlandpolitik: a name, maybe a linking -s, then a lower-case word.
        for (let cut = rules.compoundsFrom; cut <= word.length - 3; cut++) {
          if (!/^\p{Ll}/u.test(word.slice(cut))) continue;
          keys.push(`${word.slice(0, cut)}${COMPOUND}`);
          if (word[cut - 1] === 's') keys.push(`${word.slice(0, cut - 1)}${COMPOUND}`);
        }
      }
      return keys;
    },
  };
}
