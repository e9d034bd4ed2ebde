// Upgrading the dedup index from newsline 0.1.0, which kept each URL and body claim in a string key
// of its own: one process per prefix moves those claims into the hashes of RedisDedupIndex, and
// until that is done every index also reads the old keys, so an upgrade forgets nothing it had seen.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Cluster, Redis } from 'ioredis';
import type { Logger } from '../log.js';
import { isCluster } from '../redis.js';
import type { ClaimKind, RedisDedupIndex } from './dedup-index.js';

export interface LegacyClaimsOptions {
  /**
   * How often a process that is not moving the claims looks whether another has finished.
   * @defaultValue 5000
   */
  pollMs?: number;
  /**
   * How long the mover's lock lasts without renewal (renewed after every batch).
   * @defaultValue 60000
   */
  lockMs?: number;
  signal?: AbortSignal;
}

/** Set once the claims of a prefix are in the current layout. */
export const dedupLayoutKey = (prefix: string) => `${prefix}:dedup:layout`;
const LAYOUT = '2';

/**
 * Bring `index` to the current layout: returns at once (with `index.legacy` off) when that is done
 * for this prefix; otherwise turns `index.legacy` on, moves the old claims or waits for the process
 * that does, and turns it off again. Returns how many claims this process moved.
 */
export async function adoptLegacyClaims(redis: Redis, prefix: string, index: RedisDedupIndex, log: Logger, options: LegacyClaimsOptions = {}): Promise<number> {
  const lockKey = `${prefix}:dedup:upgrading`;
  const lockMs = options.lockMs ?? 60_000;
  const token = randomUUID();
  for (;;) {
    if ((await redis.get(dedupLayoutKey(prefix))) === LAYOUT) {
      index.legacy = false;
      return 0;
    }
    index.legacy = true;
    if (await redis.set(lockKey, token, 'PX', lockMs, 'NX')) {
      try {
        const moved = await moveLegacyClaims(redis, prefix, index, () => redis.pexpire(lockKey, lockMs), options.signal);
        if (options.signal?.aborted) return moved; // stopped part-way: the next start goes on
        await redis.set(dedupLayoutKey(prefix), LAYOUT);
        index.legacy = false;
        if (moved > 0) log.info({ moved }, 'dedup: claims of the earlier key layout moved into the current one');
        return moved;
      } finally {
        if ((await redis.get(lockKey)) === token) await redis.del(lockKey);
      }
    }
    try {
      await sleep(options.pollMs ?? 5_000, undefined, options.signal ? { signal: options.signal } : {});
    } catch {
      return 0; // stopped: the index keeps reading the old keys
    }
  }
}

async function moveLegacyClaims(
  redis: Redis,
  prefix: string,
  index: RedisDedupIndex,
  renewLock: () => Promise<unknown>,
  signal: AbortSignal | undefined,
): Promise<number> {
  // Old keys are <prefix>:dedup:<kind>:<hex digest>; the current hashes have a {tag} in their names.
  const oldKey = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:dedup:(url|body):([0-9a-f]+)$`);
  const nodes = isCluster(redis) ? (redis as unknown as Cluster).nodes('master') : [redis];
  let moved = 0;
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', `${prefix}:dedup:*`, 'COUNT', 1000);
      cursor = next;
      for (const key of keys) {
        const m = oldKey.exec(key);
        if (!m) continue;
        const kind = m[1] as ClaimKind;
        const owner = await redis.get(key);
        // A claim made since the upgrade in the new layout stands; the old one only fills a gap.
        if (owner !== null) await index.claim(kind, m[2]!, owner);
        await redis.unlink(key);
        moved++;
      }
      if (signal?.aborted) return moved;
      await renewLock();
    } while (cursor !== '0');
  }
  return moved;
}
