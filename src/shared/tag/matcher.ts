// Token-trie matching of gazetteer names: one pass over the text, longest match wins. A name
// shared by several entities keeps all its senses for the tagger to choose from.
import { LETTER, UPPER, classAt, scanWords, widthOf } from '../text/words.js';
import type { Gazetteer, GazetteerEntry } from './gazetteer.js';

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
}

export interface Token {
  text: string;
  offset: number;
}

/**
 * Words, initialisms with dots ("U.S.", "U.K.") as one token; apostrophes end a word. The tokens
 * of `/\p{Lu}\.(?:\p{L}\.)+|[\p{L}\p{N}]+/gu`: an initialism is a capital and a dot followed by
 * one or more letters each with its dot.
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
    } else out.push({ text: text.slice(start, end), offset: start });
  });
  flush();
  return out;
}

export class EntityMatcher {
  private readonly root: TrieNode = { next: new Map() };
  /** The same names keyed in lower case, for text written in capitals (headlines, datelines). */
  private readonly folded: TrieNode = { next: new Map() };
  readonly byId = new Map<string, GazetteerEntry>();

  constructor(gazetteer: Gazetteer) {
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
  }

  private node(phrase: string, root = this.root, fold = false): TrieNode {
    let node = root;
    for (const token of tokenize(phrase)) {
      const key = fold ? token.text.toLowerCase() : token.text;
      let child = node.next.get(key);
      if (!child) {
        child = { next: new Map() };
        node.next.set(key, child);
      }
      node = child;
    }
    return node;
  }

  private add(phrase: string, sense: Sense): void {
    for (const node of [this.node(phrase), this.node(phrase, this.folded, true)]) {
      const senses = (node.senses ??= []);
      // One sense per entity; a full name beats a surname for the same phrase.
      if (!senses.some((s) => s.entry.id === sense.entry.id)) senses.push(sense);
    }
  }

  private set(phrase: string, senses: Sense[]): void {
    this.node(phrase).senses = senses;
    this.node(phrase, this.folded, true).senses = senses;
  }

  /**
   * Every non-overlapping mention, left to right, in `tokens[from, to)` (from `tokenize`).
   * Matching is case-sensitive — names are proper nouns, so "china" and "turkey" in lower case
   * are not countries — unless `foldCase` is set for text written in capitals.
   */
  match(tokens: Token[], options: { from?: number; to?: number; foldCase?: boolean } = {}): Match[] {
    const matches: Match[] = [];
    const root = options.foldCase ? this.folded : this.root;
    const to = options.to ?? tokens.length;
    for (let i = options.from ?? 0; i < to; ) {
      let node: TrieNode | undefined = root;
      let best: { stop: number; senses: Sense[] } | null = null;
      for (let j = i; j < to; j++) {
        node = node.next.get(options.foldCase ? tokens[j]!.text.toLowerCase() : tokens[j]!.text);
        if (!node) break;
        if (node.senses && node.senses.length > 0) best = { stop: j + 1, senses: node.senses };
      }
      if (best) {
        const last = tokens[best.stop - 1]!;
        matches.push({ senses: best.senses, offset: tokens[i]!.offset, end: last.offset + last.text.length, start: i, stop: best.stop });
        i = best.stop;
      } else {
        i++;
      }
    }
    return matches;
  }
}
