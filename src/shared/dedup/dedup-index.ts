// Who saw a URL or a body first. A claim is one atomic Redis command, so two workers handling
// copies at the same moment still agree on a single canonical.
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/** The index key of a (canonicalised) URL: a short digest, so keys stay small. */
export function urlClaimKey(url: string): string {
  return createHash('sha1').update(url).digest('hex');
}

export type ClaimKind = 'url' | 'body';

export interface DedupIndex {
  /**
   * Claim `key` for `owner`. Returns the owner already recorded (possibly `owner` itself, when a
   * retried job claims again), or `owner` when the claim is new.
   */
  claim(kind: ClaimKind, key: string, owner: string): Promise<string>;
  /** Point `key` at `owner`, replacing any earlier claim. */
  assign(kind: ClaimKind, key: string, owner: string): Promise<void>;
  /** Who claimed `key`, if anyone. */
  owner(kind: ClaimKind, key: string): Promise<string | null>;
}

export interface RedisDedupIndexOptions {
  /**
   * How long a claim is remembered.
   * @defaultValue 30 days
   */
  windowSeconds?: number;
}

export class RedisDedupIndex implements DedupIndex {
  private readonly windowSeconds: number;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    options: RedisDedupIndexOptions = {},
  ) {
    this.windowSeconds = options.windowSeconds ?? 30 * 86_400;
  }

  private key(kind: ClaimKind, key: string): string {
    return `${this.prefix}:dedup:${kind}:${key}`;
  }

  async claim(kind: ClaimKind, key: string, owner: string): Promise<string> {
    // SET … NX GET (Redis ≥ 7.0): sets when absent and returns the previous value in one step.
    const previous = (await this.redis.call(
      'SET', this.key(kind, key), owner, 'NX', 'GET', 'EX', String(this.windowSeconds),
    )) as string | null;
    return previous ?? owner;
  }

  async assign(kind: ClaimKind, key: string, owner: string): Promise<void> {
    await this.redis.set(this.key(kind, key), owner, 'EX', this.windowSeconds);
  }

  async owner(kind: ClaimKind, key: string): Promise<string | null> {
    return this.redis.get(this.key(kind, key));
  }
}

export class MemoryDedupIndex implements DedupIndex {
  readonly claims = new Map<string, string>();
  async claim(kind: ClaimKind, key: string, owner: string): Promise<string> {
    const k = `${kind}:${key}`;
    const existing = this.claims.get(k);
    if (existing !== undefined) return existing;
    this.claims.set(k, owner);
    return owner;
  }
  async assign(kind: ClaimKind, key: string, owner: string): Promise<void> {
    this.claims.set(`${kind}:${key}`, owner);
  }
  async owner(kind: ClaimKind, key: string): Promise<string | null> {
    return this.claims.get(`${kind}:${key}`) ?? null;
  }
}
