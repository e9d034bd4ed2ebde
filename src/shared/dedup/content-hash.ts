// Exact-duplicate fingerprint: the same words in the same order, whatever the markup,
// whitespace, case or punctuation around them.
import { createHash } from 'node:crypto';

export function normalizeBody(body: string): string {
  return (body.normalize('NFKC').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).join(' ');
}

export function contentHash(body: string): string {
  return createHash('sha256').update(normalizeBody(body)).digest('hex');
}
