// A country's name inside an organisation's or a team's name is the organisation's, not a
// mention of the country: "中国足协", "德国队" (a national side), «Нафтогаз України», "МВС України",
// "Генеральна прокуратура України", "die Deutsche Bank". How such names are built differs by
// language, so each language says how to recognise them; English and the languages without a rule
// keep every mention (an English name with "Chinese" in it is read by the base gazetteer's
// organisations instead).
import type { Match, Token, Via } from '../matcher.js';

/** True when the country mention `m` is part of a longer proper name. */
export type PartOfName = (text: string, tokens: Token[], m: Match, via: Via) => boolean;

/** True when the phrase at [offset, end) of `text` is made of whole words (a candidate match). */
export type StandsAlone = (text: string, offset: number, end: number) => boolean;

/**
 * Chinese names a team by the country and 队 ("中国队", "中国女队", "巴西足球队") and an
 * institution by the country, a few characters, and its head noun ("中国足协", "中国青年志愿者协会",
 * "中国电影出版社", "美国休斯公司"). Heads that also end ordinary phrases are left out (政府: "中国政府"
 * is the country acting; 银行) or held to short names (公司: "两国有关公司" is any company).
 */
const ZH_TEAM = /^(?:[男女]子?)?(?:国家|足球|篮球|排球|乒乓球|羽毛球|网球|冰球|手球|水球|青年|少年|奥运)?(?:[男女]子?)?队/u;
const ZH_SIDE = /^[男女][篮排足乒羽]/u;
const ZH_INSTITUTION = /^\p{Script=Han}{0,6}?(?:足协|篮协|协会|出版社|科学院|学院|美术馆|博物馆|基金会|海军|空军)/u;
const ZH_BODY = /^(?:(?![的和与及两双各有关等])\p{Script=Han}){0,4}?(?:公司|委员会|法院|国务院|总局)/u;

/** 日 after a number is a day ("28日中午"), not Japan opening a compound such as 日中. */
const ZH_DAY = /[0-9０-９〇一二三四五六七八九十]$/u;

const zh: PartOfName = (text, _tokens, m) => {
  if (text[m.offset] === '日' && ZH_DAY.test(text.slice(Math.max(0, m.offset - 1), m.offset))) return true;
  const after = text.slice(m.end, m.end + 12);
  return ZH_TEAM.test(after) || ZH_SIDE.test(after) || ZH_INSTITUTION.test(after) || ZH_BODY.test(after);
};

/**
 * Russian and Ukrainian name a body with the country in the genitive after it: an initialism
 * ("МВС України", "ФСБ России"), or a phrase whose first word is capitalised and holds an
 * institution's noun ("Генеральна прокуратура України", "Податкового кодексу України",
 * "Министерство обороны России"); and companies, parties and papers are quoted in «»
 * («Нафтогаз України», «Единая Россия»).
 */
const INSTITUTIONS: Record<string, RegExp> = {
  uk: /^(?:міністерств|служб|прокуратур|кодекс|закон|комітет|агентств|суд|рад[аиі]|парті|банк|фонд|інститут|академі|університет|спілк|асоціаці|федераці|інспекці|управлінн|департамент|центр|палат|кабінет|збройн|сил|націонал|державн|генеральн|верховн|вищ|конституці|указ)/iu,
  ru: /^(?:министерств|служб|прокуратур|кодекс|закон|комитет|агентств|суд|совет|дум|парти|банк|фонд|институт|академи|университет|союз|ассоциаци|федераци|инспекци|управлени|департамент|центр|палат|вооруж|сил|национальн|государствен|генеральн|верховн|высш|конституци|указ)/iu,
};
const CYRILLIC_INITIALISM = /^[А-ЯЇІЄҐЁ]{2,}$/u;
const CAPITALISED = /^\p{Lu}\p{Ll}/u;

/** How far a name in «» reaches either side of the country in it. */
const NAME_REACH = 120;

function insideGuillemets(text: string, m: Match): boolean {
  const before = text.slice(Math.max(0, m.offset - NAME_REACH), m.offset);
  const opens = before.lastIndexOf('«');
  if (opens < 0 || before.lastIndexOf('»') > opens) return false;
  const open = m.offset - before.length + opens;
  const closes = text.slice(m.end, m.end + NAME_REACH).indexOf('»');
  if (closes < 0) return false;
  const close = m.end + closes;
  const inner = text.slice(open + 1, close).trim();
  // A name, not a quotation: a few words, no clause punctuation, more than the country alone.
  const words = inner.split(/[\s-]+/u).filter(Boolean);
  return words.length >= 2 && words.length <= 6 && !/[,.!?:;]/u.test(inner);
}

function slavic(language: 'ru' | 'uk'): PartOfName {
  const institution = INSTITUTIONS[language]!;
  return (text, tokens, m, via) => {
    if (via !== 'name') return false;
    if (insideGuillemets(text, m)) return true;
    const previous = tokens[m.start - 1];
    if (!previous) return false;
    if (CYRILLIC_INITIALISM.test(previous.text) && /^\s+$/u.test(text.slice(previous.offset + previous.text.length, m.offset))) return true;
    // Up to four words back, with nothing but spaces between them, one an institution's noun and
    // the first of them capitalised.
    let sawInstitution = false;
    let next: { offset: number } = { offset: m.offset };
    for (let i = m.start - 1; i >= 0 && i >= m.start - 4; i--) {
      const t = tokens[i]!;
      if (!/^\s+$/u.test(text.slice(t.offset + t.text.length, next.offset))) break;
      if (institution.test(t.text)) sawInstitution = true;
      if (sawInstitution && CAPITALISED.test(t.text)) return true;
      next = t;
    }
    return false;
  };
}

/**
 * German capitalises an adjective inside a name — "die Deutsche Bank", "beim Deutschen
 * Fußball-Bund" — and a noun made from it ("der Deutsche"): a capitalised demonym in mid-sentence
 * followed by a capitalised word opens a name. At a sentence's start capitals tell nothing, and the
 * mention counts.
 */
const de: PartOfName = (text, tokens, m, via) => {
  if (via !== 'demonym' || !CAPITALISED.test(text.slice(m.offset, m.end))) return false;
  const before = text.slice(Math.max(0, m.offset - 3), m.offset);
  if (m.start === 0 || /(?:^|[.!?:"„“«»]\s*|\n\s*)$/u.test(before)) return false;
  const next = tokens[m.stop];
  return next !== undefined && /^\s+$/u.test(text.slice(m.end, next.offset)) && /^\p{Lu}/u.test(next.text);
};

/**
 * Where the words of a Chinese text begin and end, by ICU's dictionary segmenter (Intl.Segmenter,
 * built into Node): a name whose first or last character sits inside a word is a coincidence of
 * characters — 中国 in 其中国王, 海地 in 沿海地区, 德国 in 法赫德国王, 在华 in 在华盛顿. Kept for
 * the text last asked about: the matcher asks about every candidate of one text in turn.
 */
const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });
let wordsOf: { text: string; starts: number[] } | null = null;

/** Where each word of `text` starts, ascending (the text's length closes the last one). */
function wordStarts(text: string): number[] {
  if (wordsOf?.text !== text) {
    const starts = [...segmenter.segment(text)].map((s) => s.index);
    starts.push(text.length);
    wordsOf = { text, starts };
  }
  return wordsOf.starts;
}

/** The start of the word holding the character at `offset`. */
function wordStartAt(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return starts[lo]!;
}

/**
 * A phrase at [offset, end) stands as words of its own: it starts a word, and its last character
 * ends a word or belongs to a word the phrase opens (中国人, 中美关系 hold 中国 and 中美).
 */
export const chineseWords: StandsAlone = (text, offset, end) => {
  const starts = wordStarts(text);
  if (wordStartAt(starts, offset) !== offset) return false;
  const last = wordStartAt(starts, end - 1);
  return last === offset || wordStartAt(starts, end) === end;
};

const RULES: Record<string, PartOfName> = { zh, ru: slavic('ru'), uk: slavic('uk'), de };

export function partOfNameFor(language: string): PartOfName | null {
  return RULES[language] ?? null;
}

/** How to tell whole words in a script written without spaces (null: tokens are words already). */
export function wordsFor(language: string): StandsAlone | null {
  return language === 'zh' ? chineseWords : null;
}
