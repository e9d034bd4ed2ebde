// Exact-duplicate fingerprint: the same words in the same order, whatever the markup,
// whitespace, case or punctuation around them.
import { createHash } from 'node:crypto';
import { words } from '../text/words.js';

export function normalizeBody(body: string): string {
  return words(body.normalize('NFKC').toLowerCase()).join(' ');
}

export function contentHash(body: string): string {
  return createHash('sha256').update(normalizeBody(body)).digest('hex');
}
