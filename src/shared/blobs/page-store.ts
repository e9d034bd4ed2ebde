// Raw pages between fetch and extract, referenced by key from job data. A page is written to Redis
// (with a TTL) only when its hand-off goes through a queue; when this process runs extract itself
// (stages fused) the page never leaves memory.
import type { Redis } from 'ioredis';

export interface PageStore {
  /** Hold `body` for the next stage; returns the key to put in the next job. */
  put(requestId: string, body: Buffer): Promise<string>;
  /** Make a held page readable from any process (before its job is queued). */
  persist(key: string): Promise<void>;
  get(key: string): Promise<Buffer | null>;
  delete(key: string): Promise<void>;
}

export class RedisPageStore implements PageStore {
  /** Pages put and not yet persisted: read by a fused extract in this process, or written on hand-off. */
  private readonly held = new Map<string, Buffer>();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    /** @defaultValue 86400 — long enough to outlive extract retries and a stopped worker. */
    private readonly ttlSeconds = 86_400,
    /**
     * Held pages beyond this many are written out, oldest first (a bound on memory should a
     * hand-off never come).
     * @defaultValue 256
     */
    private readonly maxHeld = 256,
  ) {}

  async put(requestId: string, body: Buffer): Promise<string> {
    const key = `${this.prefix}:page:${requestId}`;
    this.held.set(key, body);
    if (this.held.size > this.maxHeld) await this.persist(this.held.keys().next().value!);
    return key;
  }

  async persist(key: string): Promise<void> {
    const body = this.held.get(key);
    if (!body) return;
    await this.redis.set(key, body, 'EX', this.ttlSeconds);
    this.held.delete(key);
  }

  async get(key: string): Promise<Buffer | null> {
    return this.held.get(key) ?? (await this.redis.getBuffer(key));
  }

  async delete(key: string): Promise<void> {
    if (this.held.delete(key)) return;
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
  async persist(): Promise<void> {}
  async get(key: string): Promise<Buffer | null> {
    return this.pages.get(key) ?? null;
  }
  async delete(key: string): Promise<void> {
    this.pages.delete(key);
  }
}
