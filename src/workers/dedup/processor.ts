// Dedup stage: a submission whose canonical URL or body was already claimed is a duplicate of
// the claimant; otherwise it claims both and goes on to tagging.
import { createHash } from 'node:crypto';
import type { DedupPayload } from '../../queues/payloads.js';
import { recordUrl } from '../../shared/dedup/canonicalize-url.js';
import { contentHash } from '../../shared/dedup/content-hash.js';
import type { DedupIndex } from '../../shared/dedup/dedup-index.js';
import type { StageOutput } from '../stage.js';

export interface DedupDeps {
  index: DedupIndex;
}

const urlKey = (url: string) => createHash('sha1').update(url).digest('hex');

export async function processDedup(input: DedupPayload, deps: DedupDeps): Promise<StageOutput<'tag' | 'store'>> {
  const canonicalUrl = recordUrl(input.finalUrl, input.article.canonicalUrl);
  const hash = contentHash(input.article.body);
  const base = { ...input, canonicalUrl, contentHash: hash };

  const urlOwner = await deps.index.claim('url', urlKey(canonicalUrl), input.requestId);
  if (urlOwner !== input.requestId) {
    return {
      kind: 'next',
      stage: 'store',
      payload: { ...base, entities: [], duplicate: { of: urlOwner, method: 'url', similarity: 1 } },
    };
  }
  const bodyOwner = await deps.index.claim('body', hash, input.requestId);
  if (bodyOwner !== input.requestId) {
    // This URL now leads to the copy's canonical, so a resubmission is recognised by URL alone.
    await deps.index.assign('url', urlKey(canonicalUrl), bodyOwner);
    return {
      kind: 'next',
      stage: 'store',
      payload: { ...base, entities: [], duplicate: { of: bodyOwner, method: 'exact', similarity: 1 } },
    };
  }
  return { kind: 'next', stage: 'tag', payload: base };
}
