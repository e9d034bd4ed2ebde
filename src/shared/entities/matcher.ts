// Token-trie matching of gazetteer names: one pass over the text, longest match wins.
import type { Gazetteer, GazetteerEntry } from './gazetteer.js';

export interface Match {
  entry: GazetteerEntry;
  offset: number;
  /** Which kind of name matched. */
  via: 'name' | 'demonym' | 'capital';
}

interface TrieNode {
  next: Map<string, TrieNode>;
  hit?: { entry: GazetteerEntry; via: Match['via'] };
}

/** Words, initialisms with dots ("U.S.", "U.K.") as one token; apostrophes end a word. */
const TOKEN = /\p{Lu}\.(?:\p{L}\.)+|[\p{L}\p{N}]+/gu;

interface Token {
  text: string;
  offset: number;
}

function tokenize(text: string): Token[] {
  return [...text.matchAll(TOKEN)].map((m) => ({ text: m[0], offset: m.index }));
}

export class EntityMatcher {
  private readonly root: TrieNode = { next: new Map() };

  constructor(gazetteer: Gazetteer) {
    for (const entry of gazetteer.entries) {
      for (const name of [entry.name, ...entry.aliases]) this.add(name, entry, 'name');
      for (const name of entry.demonyms) this.add(name, entry, 'demonym');
      for (const name of entry.capitals) this.add(name, entry, 'capital');
    }
  }

  private add(phrase: string, entry: GazetteerEntry, via: Match['via']): void {
    let node = this.root;
    for (const token of tokenize(phrase)) {
      let child = node.next.get(token.text);
      if (!child) {
        child = { next: new Map() };
        node.next.set(token.text, child);
      }
      node = child;
    }
    node.hit ??= { entry, via };
  }

  /**
   * Every non-overlapping mention, left to right. Matching is case-sensitive: names are proper
   * nouns, so "china" (porcelain) and "turkey" (the bird) in lower case are not countries.
   */
  match(text: string): Match[] {
    const tokens = tokenize(text);
    const matches: Match[] = [];
    for (let i = 0; i < tokens.length; ) {
      let node: TrieNode | undefined = this.root;
      let best: { end: number; hit: NonNullable<TrieNode['hit']> } | null = null;
      for (let j = i; j < tokens.length; j++) {
        node = node.next.get(tokens[j]!.text);
        if (!node) break;
        if (node.hit) best = { end: j + 1, hit: node.hit };
      }
      if (best) {
        matches.push({ entry: best.hit.entry, via: best.hit.via, offset: tokens[i]!.offset });
        i = best.end;
      } else {
        i++;
      }
    }
    return matches;
  }
}
