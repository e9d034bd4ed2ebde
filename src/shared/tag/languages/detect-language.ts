// The language of a document, from its text (tinyld), when the page does not say or says
// something its text contradicts. Detection is restricted to the languages news in this pipeline
// comes in: on a short text an unrestricted detector takes French for Finnish.
import { detect } from 'tinyld';

/** Languages the detector may answer (ISO 639-1). */
export const DETECTABLE = [
  'en',
  'ru',
  'uk',
  'zh',
  'de',
  'fr',
  'es',
  'it',
  'pt',
  'nl',
  'pl',
  'ja',
  'ko',
  'ar',
  'tr',
  'be',
  'bg',
  'cs',
] as const;

/** Letters of text below which the detector is not asked (a headline alone is too little). */
const MIN_LETTERS = 20;
/** Characters the detector reads: enough for a verdict (a headline and a sentence or two); its time grows with the text. */
const SAMPLE = 400;
/** Latin-script text: the detector reads this much of it (its time grows with the text). */
const LATIN_SAMPLE = 250;

/** The primary subtag of a BCP 47 tag, lower-cased: `en-GB` → `en`, `zh_Hans` → `zh`. */
export function primaryLanguage(tag: string | null | undefined): string | null {
  const primary = tag?.trim().toLowerCase().split(/[-_]/)[0];
  return primary && /^[a-z]{2,3}$/.test(primary) ? primary : null;
}

const LATIN = DETECTABLE.filter((l) => !['ru', 'uk', 'be', 'bg', 'zh', 'ja', 'ko', 'ar'].includes(l));
const CYRILLIC = ['ru', 'uk', 'be', 'bg'];

/**
 * What the text says its language is, or null when it is too short to tell. The script decides
 * first where it alone can (Han without kana is Chinese; letters only Ukrainian or only Russian
 * has tell the two apart): the statistical detector costs most of a millisecond a document, and
 * is asked only to choose among the languages of the text's script.
 */
export function detectLanguage(text: string): string | null {
  const sample = text.slice(0, SAMPLE);
  const letters = sample.match(/\p{L}/gu)?.length ?? 0;
  if (letters < MIN_LETTERS) return null;
  const han = sample.match(/\p{Script=Han}/gu)?.length ?? 0;
  if (han > letters / 2) return /[\p{Script=Hiragana}\p{Script=Katakana}]/u.test(sample) ? 'ja' : 'zh';
  if (/\p{Script=Hangul}/u.test(sample)) return 'ko';
  const cyrillic = sample.match(/\p{Script=Cyrillic}/gu)?.length ?? 0;
  if (cyrillic > letters / 2) {
    const ukrainian = sample.match(/[іїєґІЇЄҐ]/gu)?.length ?? 0;
    const russian = sample.match(/[ыэъёЫЭЪЁ]/gu)?.length ?? 0;
    if (ukrainian > 0 && russian === 0) return 'uk';
    if (russian > 0 && ukrainian === 0) return 'ru';
    return detect(sample, { only: CYRILLIC }) || null;
  }
  if (/\p{Script=Arabic}/u.test(sample) && (sample.match(/\p{Script=Arabic}/gu)?.length ?? 0) > letters / 2) return 'ar';
  return detect(sample.slice(0, LATIN_SAMPLE), { only: LATIN }) || null;
}

/** The script a language is written in, for the ones this pipeline reads. */
const SCRIPT_OF: Record<string, RegExp> = {
  ru: /\p{Script=Cyrillic}/u,
  uk: /\p{Script=Cyrillic}/u,
  be: /\p{Script=Cyrillic}/u,
  bg: /\p{Script=Cyrillic}/u,
  zh: /\p{Script=Han}/u,
  ja: /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u,
  ko: /\p{Script=Hangul}/u,
  ar: /\p{Script=Arabic}/u,
};

/** Whether `text` is mostly in the script `language` is written in (Latin for the others). */
function inScriptOf(language: string, text: string): boolean {
  const sample = text.slice(0, SAMPLE);
  const letters = sample.match(/\p{L}/gu) ?? [];
  if (letters.length < MIN_LETTERS) return true;
  const script = SCRIPT_OF[language] ?? /\p{Script=Latin}/u;
  return letters.filter((c) => script.test(c)).length > letters.length / 2;
}

/**
 * A document's language: the page's own declaration when its text is written in that language's
 * script (a Russian tag on Cyrillic text is believed without asking the detector); otherwise —
 * nothing declared, or a declaration the text contradicts (an `en` tag on Chinese text) — what
 * the text says, and the declaration when the text is too short to tell.
 */
export function resolveLanguage(declared: string | null | undefined, text: string): string | null {
  const page = primaryLanguage(declared);
  if (page && inScriptOf(page, text)) {
    // Cyrillic tags are cheap to check further: Ukrainian and Russian text tell themselves apart.
    if (page === 'ru' || page === 'uk') return detectLanguage(text) ?? page;
    return page;
  }
  return detectLanguage(text) ?? page;
}
