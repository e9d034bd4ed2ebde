// The URL and body claims on real Redis: first claimant wins, a reassignment wins over it, claims
// last the window (and are gone after one and a half), stay compact, agree under concurrency, and
// the claims of the earlier key layout are read and then moved, once, when a worker starts.
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisDedupIndex } from '../../src/shared/dedup/dedup-index.js';
import { cleanupPrefix, keysOf, redisUrl, testPrefix } from '../helpers/redis.js';

const hex = (s: string) => createHash('sha1').update(s).digest('hex');
const DAY = 86_400;

describe('dedup claims in Redis', () => {
  let redis: Redis;
  let other: Redis;
  const prefixes: string[] = [];
  const prefix = () => {
    const p = testPrefix();
    prefixes.push(p);
    return p;
  };
  beforeAll(async () => {
    redis = new Redis(await redisUrl());
    other = new Redis(await redisUrl());
  });
  afterAll(async () => {
    for (const p of prefixes) await cleanupPrefix(p);
    redis?.disconnect();
    other?.disconnect();
  });

  it('keeps the first claim, lets a reassignment replace it, and forgets it between one and one and a half windows later', async () => {
    let now = Date.UTC(2026, 0, 1);
    const index = new RedisDedupIndex(redis, prefix(), { windowSeconds: 30 * DAY, now: () => now });
    const key = hex('https://example.com/news/one');
    expect(await index.owner('url', key)).toBeNull();
    expect(await index.claim('url', key, 'first')).toBe('first');
    expect(await index.claim('url', key, 'second')).toBe('first');
    expect(await index.owner('body', key)).toBeNull(); // kinds are separate
    await index.assign('url', key, 'canonical');
    expect(await index.claim('url', key, 'third')).toBe('canonical');

    now += 30 * DAY * 1000; // a window later, two generations on: still remembered
    expect(await index.owner('url', key)).toBe('canonical');
    await index.assign('url', key, 'moved'); // written to the newest generation, read first
    expect(await index.owner('url', key)).toBe('moved');

    now += 46 * DAY * 1000; // more than one and a half windows after the last write
    expect(await index.owner('url', key)).toBeNull();
    expect(await index.claim('url', key, 'fresh')).toBe('fresh');
  });

  it('drops a generation an hour after lookups stop reading it, however late in it a claim was written', async () => {
    const p = prefix();
    const generation = 15 * DAY; // half the window
    const start = Math.ceil(Date.UTC(2026, 0, 1) / 1000 / generation) * generation;
    let now = (start + 5 * DAY) * 1000; // five days into a generation
    const index = new RedisDedupIndex(redis, p, { windowSeconds: 30 * DAY, shardBits: 4, now: () => now });
    const claimAll = (from: number) =>
      Promise.all(Array.from({ length: 100 }, (_, i) => index.claim('url', hex(`https://example.com/${from + i}`), `o${from + i}`)));
    await claimAll(0);
    const hashes = await keysOf(redis, `${p}:dedup:url:*`);
    expect(hashes).toHaveLength(16); // every shard's hash, created now
    // Read while it is one of the last three generations: until three generations after its start.
    const expected = start + 3 * generation + 3_600 - now / 1000;
    const ttls = async () => Promise.all(hashes.map((k) => redis.ttl(k)));
    for (const ttl of await ttls()) expect(Math.abs(ttl - expected)).toBeLessThanOrEqual(2);
    now += 6 * DAY * 1000; // later in the same generation: more claims, and a reassignment
    await claimAll(100);
    await index.assign('url', hex('https://example.com/0'), 'moved');
    expect((await keysOf(redis, `${p}:dedup:url:*`)).sort()).toEqual([...hashes].sort());
    for (const ttl of await ttls()) expect(Math.abs(ttl - expected)).toBeLessThanOrEqual(2);
  });

  it('agrees on one owner when many claim the same key at once', async () => {
    const p = prefix();
    const a = new RedisDedupIndex(redis, p);
    const b = new RedisDedupIndex(other, p);
    const key = hex('same body');
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).claim('body', key, `owner-${i}`)));
    expect(new Set(results).size).toBe(1);
    expect(await a.owner('body', key)).toBe(results[0]);
  });

  it('stores claims in compact hashes, in under half the memory of a key per claim', async () => {
    const p = prefix();
    const index = new RedisDedupIndex(redis, p, { shardBits: 5 });
    const n = 2_000;
    for (let i = 0; i < n; i += 100) {
      await Promise.all(
        Array.from({ length: 100 }, (_, k) => index.claim('url', hex(`https://example.com/${i + k}`), crypto.randomUUID())),
      );
    }
    const hashes = await keysOf(redis, `${p}:dedup:url:*`);
    expect(hashes.length).toBeLessThanOrEqual(32);
    let bytes = 0;
    for (const key of hashes) {
      expect(await redis.object('ENCODING', key)).toBe('listpack');
      bytes += (await redis.memory('USAGE', key)) ?? 0;
    }
    // For comparison, the plain layout: a string key with an expiry per claim.
    const old = prefix();
    let oldBytes = 0;
    for (let i = 0; i < 200; i++) {
      const key = `${old}:dedup:url:${hex(`https://example.com/${i}`)}`;
      await redis.set(key, crypto.randomUUID(), 'EX', 30 * DAY);
      oldBytes += (await redis.memory('USAGE', key)) ?? 0;
    }
    const perClaim = bytes / n;
    expect(perClaim).toBeLessThan(70);
    expect(perClaim).toBeLessThan(oldBytes / 200 / 2);
  });
});
