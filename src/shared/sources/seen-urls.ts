// Which discovered URLs are new: not ingested already (the dedup URL index) and not discovered
// before within the window (a marker per URL, set atomically).
import type { Redis } from 'ioredis';
import { urlClaimKey, type DedupIndex } from '../dedup/dedup-index.js';

export class SeenUrls {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ingested: Pick<DedupIndex, 'owner'>,
    private readonly windowSeconds: number,
  ) {}

  /** True when `canonicalUrl` was ingested or discovered before; marks it discovered either way. */
  async seenBefore(canonicalUrl: string): Promise<boolean> {
    const key = urlClaimKey(canonicalUrl);
    if ((await this.ingested.owner('url', key)) !== null) return true;
    const fresh = await this.redis.set(`${this.prefix}:discovered:${key}`, '1', 'EX', this.windowSeconds, 'NX');
    return fresh === null;
  }
}
