// Who saw a URL or a body first. A claim is one atomic Redis script, so two workers handling
// copies at the same moment still agree on a single canonical.
//
// Layout: claims are fields of small hashes, `<prefix>:dedup:<kind>:{<prefix>:dedup:<shard>}:<gen>`,
// field a 96-bit digest of the key, value the owner. A hash of up to 128 short fields is stored as
// one compact listpack (Redis' default hash-max-listpack-entries), so a claim costs ≈ 50 bytes
// instead of the ≈ 150–190 of a key of its own with its own expiry. Claims live in generations of
// half the window, and a lookup reads the last three, newest first: a claim is remembered for at
// least the window and dropped (with its hash) within 1.5 windows. The generations of one shard
// share a hash tag: one Redis Cluster slot, as a script needs, while the shards spread the slots.
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { scriptCommand } from '../redis.js';
import { GENERATIONS, generationAt, generationSeconds } from './generations.js';
import { settingDefault } from '../settings.js';

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
   * How long a claim is remembered (at least; at most half as long again).
   * @defaultValue NEWSLINE_DEDUP_WINDOW_DAYS
   */
  windowSeconds?: number;
  /**
   * log2 of the hashes per kind and generation. Each stays compact up to 128 × 2^bits claims per
   * generation (half the window): 10 covers 130,000. Raise it by one per doubling beyond that, before
   * the first run (claims made under another value are not found).
   * @defaultValue NEWSLINE_DEDUP_SHARD_BITS
   */
  shardBits?: number;
  now?: () => number;
}

// KEYS: the generations' hashes, newest first. ARGV: 1 field, 2 mode (claim | assign | owner),
// 3 owner, 4 the newest generation's expiry in seconds (set when its hash is created).
const CLAIM = `
local mode = ARGV[2]
if mode ~= 'assign' then
  for i = 1, #KEYS do
    local owner = redis.call('HGET', KEYS[i], ARGV[1])
    if owner then return owner end
  end
  if mode == 'owner' then return false end
end
if redis.call('HSET', KEYS[1], ARGV[1], ARGV[3]) == 1 and redis.call('HLEN', KEYS[1]) == 1 then
  redis.call('EXPIRE', KEYS[1], ARGV[4])
end
return ARGV[3]
`;

export class RedisDedupIndex implements DedupIndex {
  private readonly generationSeconds: number;
  private readonly shardShift: number;
  private readonly now: () => number;
  private readonly script: ReturnType<typeof scriptCommand>;

  constructor(
    readonly redis: Redis,
    private readonly prefix: string,
    options: RedisDedupIndexOptions = {},
  ) {
    this.generationSeconds = generationSeconds(options.windowSeconds ?? settingDefault('NEWSLINE_DEDUP_WINDOW_DAYS') * 86_400);
    this.shardShift = 32 - (options.shardBits ?? settingDefault('NEWSLINE_DEDUP_SHARD_BITS'));
    this.now = options.now ?? Date.now;
    this.script = scriptCommand(redis, 'newslineDedupClaim', CLAIM);
  }

  private async run(mode: 'claim' | 'assign' | 'owner', kind: ClaimKind, key: string, owner: string): Promise<string | null> {
    const digest = createHash('sha1').update(key).digest();
    const shard = digest.readUInt32BE(0) >>> this.shardShift;
    const { current, expirySeconds } = generationAt(this.now(), this.generationSeconds);
    const base = `${this.prefix}:dedup:${kind}:{${this.prefix}:dedup:${shard}}:`;
    const keys = Array.from({ length: GENERATIONS }, (_, i) => `${base}${current - i}`);
    return (await this.script(keys, [digest.toString('base64url', 4, 16), mode, owner, expirySeconds])) as string | null;
  }

  async claim(kind: ClaimKind, key: string, owner: string): Promise<string> {
    return (await this.run('claim', kind, key, owner))!;
  }

  async assign(kind: ClaimKind, key: string, owner: string): Promise<void> {
    await this.run('assign', kind, key, owner);
  }

  async owner(kind: ClaimKind, key: string): Promise<string | null> {
    return this.run('owner', kind, key, '');
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
