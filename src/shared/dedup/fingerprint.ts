// Near-duplicate fingerprints: MinHash signatures over "skeleton" shingles.
//
// A skeleton keeps the words that copy editors and article spinners leave alone — function words
// and numbers — and folds every run of other words into one placeholder:
//   "Xi met Russian Foreign Minister Lavrov on Tuesday, 3 days after"
//   → "_ on _ 3 _ after"
// Swapping "met" for "held talks with" or "leader" for "pioneer" leaves it unchanged, while two
// different stories almost never share long skeleton runs, because numbers and the rhythm of
// function words differ. Measured on Reuters-21578 (docs with ≥ 80 words; WordNet synonyms for
// content words; see docs/benchmarks.md): 7-token skeleton shingles keep Jaccard ≥ 0.77 for 9 in
// 10 copies with 30 % of content words replaced (word 3-shingles: 0.55), while unrelated pairs
// sit at 0.007 (p99) and 0.013 (p99.9).

import { NUMBER, UPPER, classAt, scanWords } from '../text/words.js';

export const SHINGLE_SIZE = 7;
export const PERMUTATIONS = 63;
/**
 * 21 bands of 3 rows: a pair at Jaccard 0.35 becomes a candidate with p = 1-(1-0.35³)²¹ ≈ 0.60,
 * at 0.5 with p ≈ 0.94, at 0.7 with p ≈ 0.9999, at 0.013 with p ≈ 5·10⁻⁵.
 */
export const BANDS = 21;
export const ROWS = PERMUTATIONS / BANDS;
/** Skeletons shorter than this carry too little to compare safely. */
export const MIN_SKELETON_TOKENS = 12;
/**
 * A second, small MinHash over the story's anchors — capitalised words and numbers. Templated
 * stories ("The American Stock Exchange said it has listed the common stock of X") share a
 * skeleton but not their names; copies and spun copies keep most of theirs.
 */
export const ANCHOR_PERMUTATIONS = 21;
/** Anchor similarity is only judged when both sides have at least this many distinct anchors. */
export const MIN_ANCHORS = 3;

const FUNCTION_WORDS = new Set(
  (
    'a an the of to in on at for from by with and or but nor not no is are was were be been being am has have had do does ' +
    'did will would shall should can could may might must it its this that these those he she they we you i his her ' +
    'their our your them him us me my as if than then so such into onto over under about after before up down out off ' +
    'also said says say which who whom whose what when where while there here all any each other some more most very ' +
    'just only both either neither between through during against without within among per via since until upon ' +
    'told according because however although though yet still already again'
  ).split(' '),
);

const mix = (h: number) => {
  // murmur3 32-bit finaliser: spreads every input bit over the output.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
};

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Fixed seeds: signatures must compare across processes and releases. */
const SEEDS = Array.from({ length: PERMUTATIONS }, (_, i) => mix(0x9e3779b9 ^ Math.imul(i + 1, 0x27d4eb2d)));
const ANCHOR_SEEDS = Array.from({ length: ANCHOR_PERMUTATIONS }, (_, i) => mix(0x7f4a7c15 ^ Math.imul(i + 1, 0x165667b1)));

export interface Fingerprint {
  /** MinHash of the skeleton shingles: finds candidates (LSH) and measures similarity. */
  skeleton: Uint32Array;
  /** MinHash of the anchor set, or null when the text has fewer than MIN_ANCHORS anchors. */
  anchors: Uint32Array | null;
}

/** Longer words are never function words: no need to cut them out of the text to look. */
const LONGEST_FUNCTION_WORD = Math.max(...[...FUNCTION_WORDS].map((w) => w.length));

export function skeleton(text: string): string[] {
  const lower = text.toLowerCase();
  const out: string[] = [];
  scanWords(lower, (start, end, classes) => {
    const word = classes & NUMBER || end - start <= LONGEST_FUNCTION_WORD ? lower.slice(start, end) : '';
    const token = classes & NUMBER || FUNCTION_WORDS.has(word) ? word : '_';
    if (token === '_' && out[out.length - 1] === '_') return;
    out.push(token);
  });
  return out;
}

/** MinHash of values given by their 32-bit hashes. */
function minhash(hashes: ArrayLike<number>, seeds: number[]): Uint32Array {
  const signature = new Uint32Array(seeds.length).fill(0xffffffff);
  for (let v = 0; v < hashes.length; v++) {
    const base = hashes[v]!;
    for (let p = 0; p < seeds.length; p++) {
      const h = mix(base ^ seeds[p]!);
      if (h < signature[p]!) signature[p] = h;
    }
  }
  return signature;
}

/**
 * FNV-1a of every run of SHINGLE_SIZE tokens joined by single spaces — the hash of
 * `tokens.slice(i, i + SHINGLE_SIZE).join(' ')`, without building the strings.
 */
function shingleHashes(tokens: string[]): Uint32Array {
  const count = Math.max(0, tokens.length - SHINGLE_SIZE + 1);
  const out = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    let h = 0x811c9dc5;
    for (let k = 0; k < SHINGLE_SIZE; k++) {
      if (k > 0) h = Math.imul(h ^ 0x20, 0x01000193);
      const token = tokens[i + k]!;
      for (let c = 0; c < token.length; c++) h = Math.imul(h ^ token.charCodeAt(c), 0x01000193);
    }
    out[i] = h >>> 0;
  }
  return out;
}

/** Capitalised words (not function words) and numbers, lower-cased. */
export function anchors(text: string): Set<string> {
  const out = new Set<string>();
  scanWords(text, (start, end, classes) => {
    if (!(classes & NUMBER) && !(classAt(text, start) & UPPER)) return;
    const lower = text.slice(start, end).toLowerCase();
    if (classes & NUMBER || !FUNCTION_WORDS.has(lower)) out.add(lower);
  });
  return out;
}

/** The fingerprint of a text, or null when it is too short to judge. */
export function fingerprint(text: string): Fingerprint | null {
  const tokens = skeleton(text);
  if (tokens.length < MIN_SKELETON_TOKENS) return null;
  const names = anchors(text);
  return {
    skeleton: minhash(shingleHashes(tokens), SEEDS),
    anchors: names.size >= MIN_ANCHORS ? minhash(Array.from(names, fnv1a), ANCHOR_SEEDS) : null,
  };
}

/** Estimated Jaccard similarity: the share of positions where two signatures agree. */
export function estimateSimilarity(a: Uint32Array, b: Uint32Array): number {
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same / a.length;
}

/** One bucket id per band: a hash of the band's rows. Equal buckets make two documents candidates. */
export function bandBuckets(signature: Uint32Array): number[] {
  const buckets: number[] = [];
  for (let b = 0; b < BANDS; b++) {
    let h = 0x811c9dc5 ^ b;
    for (let r = 0; r < ROWS; r++) h = mix(h ^ signature[b * ROWS + r]!);
    buckets.push(h);
  }
  return buckets;
}
