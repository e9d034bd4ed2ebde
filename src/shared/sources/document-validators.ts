// ETag and Last-Modified of the child sitemaps a crawl read, so the next crawl asks for them
// conditionally (a source's own validators live on its row).
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Validators } from '../fetch/fetch-page.js';

export class RedisDocumentValidators {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    /** How long a document's validators are kept after its last read. */
    private readonly ttlSeconds: number,
  ) {}

  private key(url: string): string {
    return `${this.prefix}:source-doc:${createHash('sha1').update(url).digest('base64url')}`;
  }

  async get(url: string): Promise<Validators | null> {
    const raw = await this.redis.get(this.key(url));
    return raw ? (JSON.parse(raw) as Validators) : null;
  }

  async set(url: string, validators: Validators): Promise<void> {
    await this.redis.set(
      this.key(url),
      JSON.stringify({ etag: validators.etag, lastModified: validators.lastModified }),
      'EX',
      this.ttlSeconds,
    );
  }
}
