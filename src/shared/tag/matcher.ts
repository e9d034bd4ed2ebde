// Token-trie matching of gazetteer names: one pass over the text, longest match wins. A name
// shared by several entities keeps all its senses for the tagger to choose from.
import { LETTER, UPPER, classAt, scanWords, widthOf } from '../text/words.js';
import type { Gazetteer, GazetteerEntry } from './gazetteer.js';
import type { Morphology } from './languages/morphology.js';
import type { PartOfName, StandsAlone } from './languages/names.js';

export type Via = 'name' | 'demonym' | 'capital' | 'surname';

export interface Sense {
  entry: GazetteerEntry;
  via: Via;
}

export interface Match {
  senses: Sense[];
  /** Character offsets of the matched phrase. */
  offset: number;
  end: number;
  /** Index of the first and one past the last token. */
  start: number;
  stop: number;
}

interface TrieNode {
  next: Map<string, TrieNode>;
  senses?: Sense[];
  /** A compound naming several entities at once (中俄: China and Russia): every sense applies. */
  every?: boolean;
}

export interface EntityMatcherOptions {
  /** How words change with their grammar in the text's language (none: matched as written). */
  morphology?: Morphology | null;
  /** Tells a country's name inside an organisation's or team's name (none: every mention counts). */
  partOfName?: PartOfName | null;
  /**
   * Read runs of words in capitals inside running text regardless of case (a kicker such as
   * "ETIOPIA - ERITREA EL GRAN CONSEJO"). Off for English, whose capitals in a body are tables and
   * tickers; its headlines and datelines are read as their own segments.
   */
  capitalRuns?: boolean;
  /** In a script written without spaces, whether a candidate is made of whole words (none: always). */
  standsAlone?: StandsAlone | null;
}

export interface Token {
  text: string;
  offset: number;
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;

/**
 * Words, initialisms with dots ("U.S.", "U.K.") as one token; apostrophes end a word; every Chinese
 * and Japanese character a token of its own. The tokens of
 * `/\p{Lu}\.(?:\p{L}\.)+|[Han Kana]|(?:(?![Han Kana])[\p{L}\p{N}])+/gu`: an initialism is a
 * capital and a dot followed by one or more letters each with its dot.
 */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  // The initialism being read: where it starts, where its last dot ends, how many letters so far.
  let iniStart = -1;
  let iniEnd = -1;
  let iniLetters = 0;
  const flush = () => {
    // One letter and its dot is no initialism: the letter alone is a word.
    if (iniLetters > 0) out.push({ text: text.slice(iniStart, iniLetters >= 2 ? iniEnd : iniEnd - 1), offset: iniStart });
    iniLetters = 0;
  };
  scanWords(text, (start, end) => {
    const cls = classAt(text, start);
    // One letter (a single code point) with a dot after it.
    const oneLetter = (cls & LETTER) !== 0 && end - start === widthOf(cls) && text.charCodeAt(end) === 0x2e;
    if (iniLetters > 0 && oneLetter && start === iniEnd) {
      iniEnd = end + 1;
      iniLetters++;
      return;
    }
    flush();
    if (oneLetter && cls & UPPER) {
      iniStart = start;
      iniEnd = end + 1;
      iniLetters = 1;
    } else {
      // Chinese and Japanese are written without spaces: each of their characters is a token, so
      // names match within text ("1998年中国GDP增长" holds 中国); each run of other letters and
      // digits in the word is one token.
      const word = text.slice(start, end);
      if (!CJK.test(word)) {
        out.push({ text: word, offset: start });
        return;
      }
      let i = start;
      while (i < end) {
        const width = text.codePointAt(i)! > 0xffff ? 2 : 1;
        if (CJK.test(text.slice(i, i + width))) {
          out.push({ text: text.slice(i, i + width), offset: i });
          i += width;
          continue;
        }
        let j = i + width;
        while (j < end) {
          const w = text.codePointAt(j)! > 0xffff ? 2 : 1;
          if (CJK.test(text.slice(j, j + w))) break;
          j += w;
        }
        out.push({ text: text.slice(i, j), offset: i });
        i = j;
      }
    }
  });
  flush();
  return out;
}

export class EntityMatcher {
  private readonly root: TrieNode = { next: new Map() };
  /** The same names keyed in lower case, for text written in capitals (headlines, datelines). */
  private readonly folded: TrieNode = { next: new Map() };
  readonly byId = new Map<string, GazetteerEntry>();
  private readonly morphology: Morphology | null;
  readonly partOfName: PartOfName | null;
  readonly capitalRuns: boolean;
  private readonly standsAlone: StandsAlone | null;

  constructor(gazetteer: Gazetteer, options: EntityMatcherOptions = {}) {
    this.morphology = options.morphology ?? null;
    this.partOfName = options.partOfName ?? null;
    this.capitalRuns = options.capitalRuns ?? false;
    this.standsAlone = options.standsAlone ?? null;
    for (const entry of gazetteer.entries) {
      this.byId.set(entry.id, entry);
      for (const name of [entry.name, ...entry.aliases]) this.add(name, { entry, via: 'name' });
      for (const name of entry.demonyms ?? []) this.add(name, { entry, via: 'demonym' });
      for (const name of entry.capitals ?? []) this.add(name, { entry, via: 'capital' });
      for (const name of entry.surnames ?? []) this.add(name, { entry, via: 'surname' });
    }
    for (const a of gazetteer.ambiguous) {
      const senses = a.senses.map((id) => this.byId.get(id)).filter((e): e is GazetteerEntry => e !== undefined);
      this.set(
        a.phrase,
        senses.map((entry) => ({ entry, via: a.via })),
      );
    }
    for (const c of gazetteer.compounds ?? []) {
      const senses = c.ids.map((id) => this.byId.get(id)).filter((e): e is GazetteerEntry => e !== undefined);
      for (const node of this.nodes(c.phrase)) {
        node.senses = senses.map((entry) => ({ entry, via: 'name' as const }));
        node.every = true;
      }
    }
  }

  /** The keys a phrase's word is stored under: as written, and its stems in an inflecting language. */
  private storedKeys(word: string): string[] {
    return this.morphology ? this.morphology.storedKeys(word) : [word];
  }

  /** Every trie node a phrase ends at (one a combination of its words' stored keys), made as needed. */
  private nodes(phrase: string, root = this.root, fold = false): TrieNode[] {
    let frontier = [root];
    for (const token of tokenize(phrase)) {
      const keys = fold ? [token.text.toLowerCase()] : this.storedKeys(token.text);
      const nextFrontier: TrieNode[] = [];
      for (const node of frontier) {
        for (const key of keys) {
          let child = node.next.get(key);
          if (!child) {
            child = { next: new Map() };
            node.next.set(key, child);
          }
          nextFrontier.push(child);
        }
      }
      frontier = nextFrontier;
    }
    return frontier;
  }

  private add(phrase: string, sense: Sense): void {
    for (const node of [...this.nodes(phrase), ...this.nodes(phrase, this.folded, true)]) {
      const senses = (node.senses ??= []);
      // One sense per entity; a full name beats a surname for the same phrase.
      if (!senses.some((s) => s.entry.id === sense.entry.id)) senses.push(sense);
    }
  }

  private set(phrase: string, senses: Sense[]): void {
    for (const node of [...this.nodes(phrase), ...this.nodes(phrase, this.folded, true)]) node.senses = senses;
  }

  /**
   * Every non-overlapping mention, left to right, in `tokens[from, to)` (from `tokenize`).
   * Matching is case-sensitive — names are proper nouns, so "china" and "turkey" in lower case
   * are not countries — unless `foldCase` is set for text written in capitals. `text` (the text
   * the tokens come from) lets a matcher for a script without spaces keep to whole words.
   */
  match(tokens: Token[], options: { from?: number; to?: number; foldCase?: boolean; text?: string } = {}): Match[] {
    const matches: Match[] = [];
    const root = options.foldCase ? this.folded : this.root;
    const to = options.to ?? tokens.length;
    for (let i = options.from ?? 0; i < to; ) {
      const best = this.longest(root, tokens, i, to, options.foldCase ?? false);
      const last = best ? tokens[best.stop - 1]! : undefined;
      const end = last ? last.offset + last.text.length : 0;
      // A candidate that is not whole words (中国 in 其中国王) is no match: the next token may start one.
      const whole = !this.standsAlone || options.text === undefined || this.standsAlone(options.text, tokens[i]!.offset, end);
      if (best && whole) {
        const at = { offset: tokens[i]!.offset, end, start: i, stop: best.stop };
        if (best.node.every) for (const sense of best.node.senses!) matches.push({ senses: [sense], ...at });
        else matches.push({ senses: best.node.senses!, ...at });
        i = best.stop;
      } else {
        i++;
      }
    }
    return matches;
  }

  /** The longest phrase with senses starting at token `i`, trying each lookup key of each word. */
  private longest(node: TrieNode, tokens: Token[], i: number, to: number, fold: boolean): { stop: number; node: TrieNode } | null {
    if (i >= to) return null;
    const word = tokens[i]!.text;
    // Chinese and Japanese characters of one phrase stand side by side: "心中，加上" holds no "中加".
    const previous = node === this.root || node === this.folded ? undefined : tokens[i - 1];
    if (previous && CJK.test(word) && previous.offset + previous.text.length !== tokens[i]!.offset) return null;
    const keys = fold ? [word.toLowerCase()] : this.morphology ? this.morphology.lookupKeys(word) : [word];
    let best: { stop: number; node: TrieNode } | null = null;
    for (const key of keys) {
      const child = node.next.get(key);
      if (!child) continue;
      const further = this.longest(child, tokens, i + 1, to, fold);
      const here = child.senses && child.senses.length > 0 ? { stop: i + 1, node: child } : null;
      const candidate = further ?? here;
      if (candidate && (!best || candidate.stop > best.stop)) best = candidate;
    }
    return best;
  }
}
