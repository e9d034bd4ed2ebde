// ETag / Last-Modified of pages already stored, keyed by canonical URL, so a refetch can be
// conditional and a 304 ends as `unchanged`.
import { createHash } from 'node:crypto';
import { settingDefault } from '../settings.js';
import type { Redis } from 'ioredis';
import type { Validators } from './fetch-page.js';

export interface KnownPage extends Validators {
  /** The article this URL produced. */
  articleId: string;
}

export interface ValidatorStore {
  get(canonicalUrl: string): Promise<KnownPage | null>;
  set(canonicalUrl: string, page: KnownPage): Promise<void>;
}

export class RedisValidatorStore implements ValidatorStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    /** @defaultValue 30 days */
    private readonly ttlSeconds = settingDefault('NEWSLINE_DEDUP_WINDOW_DAYS') * 86_400,
  ) {}

  private key(url: string): string {
    return `${this.prefix}:validators:${createHash('sha1').update(url).digest('hex')}`;
  }

  async get(canonicalUrl: string): Promise<KnownPage | null> {
    const raw = await this.redis.get(this.key(canonicalUrl));
    return raw === null ? null : (JSON.parse(raw) as KnownPage);
  }

  async set(canonicalUrl: string, page: KnownPage): Promise<void> {
    if (!page.etag && !page.lastModified) return;
    await this.redis.set(this.key(canonicalUrl), JSON.stringify(page), 'EX', this.ttlSeconds);
  }
}

export class MemoryValidatorStore implements ValidatorStore {
  readonly pages = new Map<string, KnownPage>();
  async get(url: string): Promise<KnownPage | null> {
    return this.pages.get(url) ?? null;
  }
  async set(url: string, page: KnownPage): Promise<void> {
    if (page.etag || page.lastModified) this.pages.set(url, page);
  }
}
