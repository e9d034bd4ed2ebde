// Dedup stage: a submission is a copy when its URL, its exact body or (by MinHash over skeleton
// shingles) most of its text was already claimed by an earlier article; otherwise it claims all
// three and goes on to tagging. Every claim is atomic in Redis, so concurrent copies agree.
import type { DedupPayload, DuplicateInfo } from '../../queues/payloads.js';
import { canonicalizeUrl, recordUrl } from '../../shared/dedup/canonicalize-url.js';
import { contentHash } from '../../shared/dedup/content-hash.js';
import { urlClaimKey as urlKey, type DedupIndex } from '../../shared/dedup/dedup-index.js';
import { fingerprint } from '../../shared/dedup/fingerprint.js';
import type { NearDuplicateIndex } from '../../shared/dedup/near-index.js';
import type { StageOutput } from '../stage.js';

export interface DedupDeps {
  index: DedupIndex;
  near: NearDuplicateIndex;
}

/** The URL forms one submission is known by: the record URL, the submitted one, the final one. */
function urlForms(input: DedupPayload, recordKeyUrl: string): string[] {
  const forms = new Set([recordKeyUrl]);
  for (const raw of [input.url, input.finalUrl]) {
    try {
      forms.add(canonicalizeUrl(raw));
    } catch {
      // an unparsable form is simply not indexed
    }
  }
  return [...forms];
}

export async function processDedup(input: DedupPayload, deps: DedupDeps): Promise<StageOutput<'tag' | 'store'>> {
  const { url: canonicalUrl, refusedCanonical } = recordUrl(input.finalUrl, input.article.canonicalUrl);
  const hash = contentHash(input.article.body);
  const base = { ...input, canonicalUrl, contentHash: hash, ...(refusedCanonical ? { refusedCanonical } : {}) };
  const forms = urlForms(input, canonicalUrl);
  const me = input.requestId;

  /** Every key this submission claimed now leads to the canonical, so later copies find it directly. */
  const pointAt = async (owner: string) => {
    await Promise.all([...forms.map((u) => deps.index.assign('url', urlKey(u), owner)), deps.index.assign('body', hash, owner)]);
  };
  const duplicate = async (info: DuplicateInfo): Promise<StageOutput<'store'>> => {
    await pointAt(info.of);
    return { kind: 'next', stage: 'store', payload: { ...base, entities: [], countries: [], focus: [], duplicate: info } };
  };

  const recordOwner = await deps.index.claim('url', urlKey(canonicalUrl), me);
  if (recordOwner !== me) {
    // The same page again. With text no article has, it is a new version of that article.
    if ((await deps.index.owner('body', hash)) === null) {
      await deps.index.claim('body', hash, recordOwner);
      return { kind: 'next', stage: 'tag', payload: { ...base, updateOf: recordOwner } };
    }
    return duplicate({ of: recordOwner, method: 'url', similarity: 1 });
  }
  for (const url of forms.slice(1)) {
    const owner = await deps.index.claim('url', urlKey(url), me);
    if (owner !== me) return duplicate({ of: owner, method: 'url', similarity: 1 });
  }
  const bodyOwner = await deps.index.claim('body', hash, me);
  if (bodyOwner !== me) return duplicate({ of: bodyOwner, method: 'exact', similarity: 1 });

  const fp = fingerprint(input.article.body);
  if (fp) {
    const near = await deps.near.claim(me, fp);
    if (near.kind === 'duplicate') return duplicate({ of: near.of, method: 'near', similarity: near.similarity });
  }
  return { kind: 'next', stage: 'tag', payload: base };
}
