// Word scanning for the per-article hot paths (extraction, fingerprints, tagging). Unicode
// property regular expressions are slow when run over every word of every article; here each
// character's class is worked out once, by the same properties, and cached, and a word is a run
// of letters and numbers exactly as `/[\p{L}\p{N}]+/gu` finds it.

/** \p{L} */
export const LETTER = 1;
/** \p{N} */
export const NUMBER = 2;
/** \p{Lu} */
export const UPPER = 4;
/** Scripts written without spaces between words (Han, kana, Thai, Lao, Khmer, Myanmar). */
export const UNSPACED = 8;
/** The code point is a surrogate pair: two UTF-16 units wide. */
const WIDE = 16;
const CLASSIFIED = 128;

const UNSPACED_RE = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Thai}\p{sc=Lao}\p{sc=Khmer}\p{sc=Myanmar}]/u;

function classify(cp: number): number {
  const ch = String.fromCodePoint(cp);
  return (
    (/\p{L}/u.test(ch) ? LETTER : 0) |
    (/\p{N}/u.test(ch) ? NUMBER : 0) |
    (/\p{Lu}/u.test(ch) ? UPPER : 0) |
    (UNSPACED_RE.test(ch) ? UNSPACED : 0)
  );
}

const bmp = new Uint8Array(0x10000);
const astral = new Map<number, number>();

/** The classes of the code point at `i` (a lone surrogate has none), with WIDE for a surrogate pair. */
export function classAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c < 0xd800 || c > 0xdfff) {
    const known = bmp[c]!;
    if (known) return known & ~CLASSIFIED;
    const cls = classify(c);
    bmp[c] = cls | CLASSIFIED;
    return cls;
  }
  const low = text.charCodeAt(i + 1);
  if (c > 0xdbff || !(low >= 0xdc00 && low <= 0xdfff)) return 0;
  const cp = ((c - 0xd800) << 10) + (low - 0xdc00) + 0x10000;
  let cls = astral.get(cp);
  if (cls === undefined) astral.set(cp, (cls = classify(cp)));
  return cls | WIDE;
}

export const widthOf = (cls: number): number => (cls & WIDE ? 2 : 1);

export interface ScanOptions {
  /** Count `_` as part of a word (as `\w`-style tokens do). */
  underscore?: boolean;
}

/**
 * Calls `onWord(start, end, classes)` for every run of letters and numbers, `classes` being the
 * run's classes ORed together (so `classes & NUMBER` says it holds a digit).
 */
export function scanWords(text: string, onWord: (start: number, end: number, classes: number) => void, options: ScanOptions = {}): void {
  const underscore = options.underscore === true;
  const n = text.length;
  let start = -1;
  let classes = 0;
  for (let i = 0; i < n; ) {
    const c = text.charCodeAt(i);
    let cls: number;
    if (c < 128) {
      // ASCII without a table lookup: the bulk of most pages.
      cls =
        c >= 97 && c <= 122
          ? LETTER
          : c >= 65 && c <= 90
            ? LETTER | UPPER
            : c >= 48 && c <= 57
              ? NUMBER
              : underscore && c === 95
                ? LETTER
                : 0;
    } else {
      cls = classAt(text, i);
    }
    if (cls & (LETTER | NUMBER)) {
      if (start < 0) {
        start = i;
        classes = 0;
      }
      classes |= cls;
    } else if (start >= 0) {
      onWord(start, i, classes & ~WIDE);
      start = -1;
    }
    i += cls & WIDE ? 2 : 1;
  }
  if (start >= 0) onWord(start, n, classes & ~WIDE);
}

/** The words of `text`: what `text.match(/[\p{L}\p{N}]+/gu)` returns, without the regular expression. */
export function words(text: string): string[] {
  const out: string[] = [];
  scanWords(text, (start, end) => out.push(text.slice(start, end)));
  return out;
}
