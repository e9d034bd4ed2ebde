// The word scanner must cut text exactly where the Unicode regular expressions it replaces do:
// fingerprints and content hashes computed by earlier releases stay comparable.
import { describe, expect, it } from 'vitest';
import { contentHash } from '../../src/shared/dedup/content-hash.js';
import { fingerprint } from '../../src/shared/dedup/fingerprint.js';
import { tokenize } from '../../src/shared/tag/matcher.js';
import { countWords } from '../../src/shared/extract/body.js';
import { NUMBER, scanWords, words } from '../../src/shared/text/words.js';
import { createHash } from 'node:crypto';

const TRICKY = [
  'Plain words, and 42 numbers.',
  'İstanbul ẞtraße Ǆungla ǅ',
  'U.S. and U.K. talks; U.S.A. vs U. S. and a.b. and x.Y.Z.',
  '東京都で会議 กรุงเทพ 𠀀𠀁 mixed東京words',
  '𝐀𝐁𝐂 bold maths, lone \ud800 high and \udc00 low surrogates',
  'snake_case under_score __init__',
  'Ⅻ ½ ٣٤ e\u0301te cafe\u0301',
  '',
  '...',
];

function seeded(n: number): string[] {
  const pool = [
    'a',
    'Z',
    'İ',
    'ß',
    '9',
    '٣',
    '_',
    '.',
    ' ',
    '\u0301',
    '東',
    'カ',
    'ก',
    '𝐀',
    '𠀀',
    '\ud800',
    '\udc00',
    'Ⅻ',
    'U',
    'S',
    '-',
    'é',
    '\u00a0',
  ];
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  return Array.from({ length: n }, () =>
    Array.from({ length: 1 + Math.floor(rnd() * 30) }, () => pool[Math.floor(rnd() * pool.length)]).join(''),
  );
}
const SAMPLES = [...TRICKY, ...seeded(3_000)];

describe('word scanner', () => {
  it('finds the words /[\\p{L}\\p{N}]+/gu finds', () => {
    for (const text of SAMPLES) expect(words(text), JSON.stringify(text)).toEqual(text.match(/[\p{L}\p{N}]+/gu) ?? []);
  });

  it('reports a digit anywhere in a word', () => {
    const flagged: string[] = [];
    scanWords('abc a1b ٣ x', (s, e, classes) => classes & NUMBER && flagged.push('abc a1b ٣ x'.slice(s, e)));
    expect(flagged).toEqual(['a1b', '٣']);
  });

  it('tokenizes as /\\p{Lu}\\.(?:\\p{L}\\.)+|[Han Kana]|(?:(?![Han Kana])[\\p{L}\\p{N}])+/gu does: initialisms whole, Chinese and Japanese by character', () => {
    const cjk = '\\p{sc=Han}\\p{sc=Hiragana}\\p{sc=Katakana}';
    const pattern = new RegExp(`\\p{Lu}\\.(?:\\p{L}\\.)+|[${cjk}]|(?:(?![${cjk}])[\\p{L}\\p{N}])+`, 'gu');
    const reference = (t: string) =>
      [...t.matchAll(pattern)].map((m) => ({
        text: m[0],
        offset: m.index,
      }));
    for (const text of SAMPLES) expect(tokenize(text), JSON.stringify(text)).toEqual(reference(text));
    expect(tokenize('the U.S. and U.K.').map((t) => t.text)).toEqual(['the', 'U.S.', 'and', 'U.K.']);
    expect(tokenize('1998年中国GDP增长美国').map((t) => t.text)).toEqual(['1998', '年', '中', '国', 'GDP', '增', '长', '美', '国']);
  });

  it('counts a run of unspaced script as a word per two characters', () => {
    const reference = (t: string) =>
      (t.match(/[\p{L}\p{N}_]+/gu) ?? []).reduce(
        (n, w) =>
          n +
          (/[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Thai}\p{sc=Lao}\p{sc=Khmer}\p{sc=Myanmar}]/u.test(w)
            ? Math.ceil(w.length / 2)
            : 1),
        0,
      );
    for (const text of SAMPLES) expect(countWords(text), JSON.stringify(text)).toBe(reference(text));
    expect(countWords('東京都で会議 in Tokyo')).toBe(5);
  });

  it('keeps the content hash of earlier releases', () => {
    const text = 'İstanbul: The U.S. Senate met 3 times — ＦＵＬＬ width, cafe\u0301.';
    const expected = createHash('sha256')
      .update(
        (
          text
            .normalize('NFKC')
            .toLowerCase()
            .match(/[\p{L}\p{N}]+/gu) ?? []
        ).join(' '),
      )
      .digest('hex');
    expect(contentHash(text)).toBe(expected);
  });
});

describe('near-duplicate fingerprints', () => {
  it('are those of earlier releases (the index in Redis outlives a deploy)', () => {
    // Values computed by the release that built shingles as joined strings.
    const text =
      'Xi met Russian Foreign Minister Lavrov on Tuesday, 3 days after the talks in Moscow ended, and said the two countries would ' +
      'keep working on the 2025 trade deal, officials told reporters in Beijing.';
    const fp = fingerprint(text)!;
    expect([...fp.skeleton.slice(0, 6)]).toEqual([221885344, 199840496, 89363168, 339304720, 2756521, 137706815]);
    expect([...fp.anchors!.slice(0, 6)]).toEqual([62326543, 207120661, 88945580, 899319319, 670344403, 220623252]);
  });
});
