// Raw pages between fetch and extract: kept in Redis with a TTL, referenced by key from job data.
import type { Redis } from 'ioredis';

export interface PageStore {
  /** Keep `body` for `ttlSeconds`; returns the key to put in the next job. */
  put(requestId: string, body: Buffer): Promise<string>;
  get(key: string): Promise<Buffer | null>;
  delete(key: string): Promise<void>;
}

export class RedisPageStore implements PageStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    /** @defaultValue 86400 — long enough to outlive extract retries and a stopped worker. */
    private readonly ttlSeconds = 86_400,
  ) {}

  async put(requestId: string, body: Buffer): Promise<string> {
    const key = `${this.prefix}:page:${requestId}`;
    await this.redis.set(key, body, 'EX', this.ttlSeconds);
    return key;
  }

  async get(key: string): Promise<Buffer | null> {
    return this.redis.getBuffer(key);
  }

  async delete(key: string): Promise<void> {
    await this.redis.unlink(key);
  }
}

export class MemoryPageStore implements PageStore {
  readonly pages = new Map<string, Buffer>();
  async put(requestId: string, body: Buffer): Promise<string> {
    const key = `page:${requestId}`;
    this.pages.set(key, body);
    return key;
  }
  async get(key: string): Promise<Buffer | null> {
    return this.pages.get(key) ?? null;
  }
  async delete(key: string): Promise<void> {
    this.pages.delete(key);
  }
}
