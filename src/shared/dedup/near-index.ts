// The near-duplicate index: LSH buckets of canonical articles' signatures, in Redis. Lookup and
// insert are one Lua script, so two copies arriving at the same moment agree on one canonical.
//
// Layout (all keys share the hash tag {<prefix>:near}, one Redis Cluster slot, as a script needs):
//   seq                         counter for compact numeric ids
//   sig:<gen>                   hash: numeric id → "<articleId>|<16-bit MinHash values>"
//   band:<gen>:<band>:<shard>   hash: bucket → numeric id (small hashes, stored compactly)
// Entries live in generations of half the window; a lookup reads the last three, so an entry is
// found for at least the window and dropped (with its keys) within 1.5 windows.
import type { Redis } from 'ioredis';
import { BANDS, PERMUTATIONS, bandBuckets, estimateSimilarity, type Fingerprint } from './fingerprint.js';
import { scriptCommand } from '../redis.js';
import { GENERATIONS, generationAt, generationSeconds } from './generations.js';
import { settingDefault } from '../settings.js';

export type NearClaim = { kind: 'new' } | { kind: 'duplicate'; of: string; similarity: number };

export interface NearDuplicateIndex {
  /**
   * Find a canonical whose skeleton is at least `threshold` similar (and whose anchors, when both
   * have them, at least `anchorThreshold`), or index this one as canonical.
   */
  claim(articleId: string, fingerprint: Fingerprint): Promise<NearClaim>;
}

export interface NearIndexOptions {
  /**
   * Estimated Jaccard (skeleton shingles) at which two articles are the same story.
   * @defaultValue NEWSLINE_NEAR_THRESHOLD
   */
  threshold?: number;
  /**
   * Estimated Jaccard of the anchors (names, numbers) below which a skeleton match is a
   * different story written to the same template.
   * @defaultValue NEWSLINE_NEAR_ANCHOR_THRESHOLD
   */
  anchorThreshold?: number;
  /**
   * How long an article can be matched, in seconds.
   * @defaultValue NEWSLINE_DEDUP_WINDOW_DAYS
   */
  windowSeconds?: number;
  /**
   * log2 of the hashes per band and generation. Each hash stays small enough for Redis' compact
   * encoding up to 128 × 2^bits articles per generation (half the window): 10 covers 130,000.
   * Raise it by one per doubling beyond that.
   * @defaultValue NEWSLINE_NEAR_SHARD_BITS
   */
  shardBits?: number;
  now?: () => number;
}

/** Low 16 bits of each MinHash value (enough to estimate similarity, half the memory): skeleton, then anchors. */
function packSignature(fp: Fingerprint): Buffer {
  const values = fp.anchors ? [...fp.skeleton, ...fp.anchors] : [...fp.skeleton];
  const buf = Buffer.alloc(values.length * 2);
  values.forEach((v, i) => {
    buf.writeUInt16BE(v & 0xffff, i * 2);
  });
  return buf;
}

// ARGV: 1 article id, 2 packed signature, 3 threshold, 4 generations, 5 bands, 6 seconds until
// the current generation's keys are no longer read (their expiry), 7 anchor threshold,
// 8 skeleton positions, 9… band buckets.
const CLAIM = `
local nG = tonumber(ARGV[4])
local nB = tonumber(ARGV[5])
local ttl = tonumber(ARGV[6])
local threshold = tonumber(ARGV[3])
local anchorThreshold = tonumber(ARGV[7])
local nS = tonumber(ARGV[8])
local sig = ARGV[2]
local byte = string.byte
local mine = nil
-- Share of 16-bit values equal at positions from … from + count - 1 of this signature and of
-- entry (whose values start after byte sep), or -1 as soon as that share cannot reach floor
-- (nor exceed above, when given): most candidates are unrelated and are dropped two thirds of
-- the way through instead of at the end.
local function agree(entry, sep, from, count, floor, above)
  mine = mine or { byte(sig, 1, #sig) }
  local other = { byte(entry, sep + 1 + from * 2, sep + (from + count) * 2) }
  local same, missed = 0, 0
  local j = from * 2
  for i = 1, count * 2, 2 do
    if mine[j + i] == other[i] and mine[j + i + 1] == other[i + 1] then
      same = same + 1
    else
      missed = missed + 1
      local best = (count - missed) / count
      if best < floor or (above and best <= above) then return -1 end
    end
  end
  return same / count
end
local nA = (#sig / 2) - nS
local best, bestSim = nil, -1
for g = 1, nG do
  local seen = {}
  local sigKey = KEYS[1 + g]
  for b = 1, nB do
    local id = redis.call('HGET', KEYS[1 + nG + (g - 1) * nB + b], ARGV[8 + b])
    if id and not seen[id] then
      seen[id] = true
      local entry = redis.call('HGET', sigKey, id)
      if entry then
        local sep = string.find(entry, '|', 1, true)
        local owner = string.sub(entry, 1, sep - 1)
        if owner == ARGV[1] then return {'new', owner, '1'} end
        local sim = agree(entry, sep, 0, nS, threshold, bestSim)
        if sim >= 0 then
          local otherA = ((#entry - sep) / 2) - nS
          local names = 1
          if nA > 0 and otherA > 0 then names = agree(entry, sep, nS, nA, anchorThreshold, nil) end
          if names >= anchorThreshold then
            bestSim = sim
            best = owner
          end
        end
      end
    end
  end
end
if best then return {'dup', best, tostring(bestSim)} end
-- A generation's keys expire once no lookup reads them: set when a key is created, not on every write.
local id = redis.call('INCR', KEYS[1])
local sigKey = KEYS[1 + nG]
redis.call('HSET', sigKey, id, ARGV[1] .. '|' .. sig)
if redis.call('HLEN', sigKey) == 1 then redis.call('EXPIRE', sigKey, ttl) end
for b = 1, nB do
  local k = KEYS[1 + nG + (nG - 1) * nB + b]
  if redis.call('HSETNX', k, ARGV[8 + b], id) == 1 and redis.call('HLEN', k) == 1 then redis.call('EXPIRE', k, ttl) end
end
return {'new', ARGV[1], '0'}
`;

export class RedisNearDuplicateIndex implements NearDuplicateIndex {
  private readonly threshold: number;
  private readonly anchorThreshold: number;
  private readonly generationSeconds: number;
  private readonly shardShift: number;
  private readonly now: () => number;
  private readonly tag: string;
  private readonly claimScript: ReturnType<typeof scriptCommand>;

  constructor(redis: Redis, prefix: string, options: NearIndexOptions = {}) {
    this.threshold = options.threshold ?? settingDefault('NEWSLINE_NEAR_THRESHOLD');
    this.anchorThreshold = options.anchorThreshold ?? settingDefault('NEWSLINE_NEAR_ANCHOR_THRESHOLD');
    this.generationSeconds = generationSeconds(options.windowSeconds ?? settingDefault('NEWSLINE_DEDUP_WINDOW_DAYS') * 86_400);
    this.shardShift = 32 - (options.shardBits ?? settingDefault('NEWSLINE_NEAR_SHARD_BITS'));
    this.now = options.now ?? Date.now;
    this.tag = `${prefix}:{${prefix}:near}`;
    this.claimScript = scriptCommand(redis, 'newslineNearClaim', CLAIM);
  }

  async claim(articleId: string, fp: Fingerprint): Promise<NearClaim> {
    const { current, expirySeconds } = generationAt(this.now(), this.generationSeconds);
    const gens = Array.from({ length: GENERATIONS }, (_, i) => current - (GENERATIONS - 1) + i);
    const buckets = bandBuckets(fp.skeleton);
    const keys = [`${this.tag}:seq`, ...gens.map((g) => `${this.tag}:sig:${g}`)];
    for (const g of gens) {
      buckets.forEach((bucket, band) => {
        keys.push(`${this.tag}:band:${g}:${band}:${bucket >>> this.shardShift}`);
      });
    }
    const [kind, of, similarity] = (await this.claimScript(keys, [
      articleId,
      packSignature(fp),
      this.threshold,
      GENERATIONS,
      BANDS,
      expirySeconds,
      this.anchorThreshold,
      PERMUTATIONS,
      ...buckets.map(String),
    ])) as [string, string, string];
    return kind === 'dup' ? { kind: 'duplicate', of, similarity: Number(similarity) } : { kind: 'new' };
  }
}

/** In-process index with the same decisions, for unit tests of the dedup processor. */
export class MemoryNearDuplicateIndex implements NearDuplicateIndex {
  private readonly entries: Array<{ articleId: string; fp: Fingerprint }> = [];
  constructor(
    private readonly threshold = 0.35,
    private readonly anchorThreshold = 0.5,
  ) {}

  async claim(articleId: string, fp: Fingerprint): Promise<NearClaim> {
    let best: { articleId: string; similarity: number } | null = null;
    for (const e of this.entries) {
      if (e.articleId === articleId) return { kind: 'new' };
      const similarity = estimateSimilarity(fp.skeleton, e.fp.skeleton);
      const names = fp.anchors && e.fp.anchors ? estimateSimilarity(fp.anchors, e.fp.anchors) : 1;
      if (similarity >= this.threshold && names >= this.anchorThreshold && (!best || similarity > best.similarity)) {
        best = { articleId: e.articleId, similarity };
      }
    }
    if (best) return { kind: 'duplicate', of: best.articleId, similarity: best.similarity };
    this.entries.push({ articleId, fp });
    return { kind: 'new' };
  }
}
