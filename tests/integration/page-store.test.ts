// Raw pages between fetch and extract: held in memory while this process runs extract itself,
// written to Redis only when the hand-off goes through a queue.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisPageStore } from '../../src/shared/blobs/page-store.js';
import { redisUrl } from '../helpers/redis.js';

describe('RedisPageStore', () => {
  let redis: Redis;
  const prefix = `test-pages-${randomUUID()}`;
  const page = (n: number) => Buffer.from(`<html><body><p>page ${n}</p></body></html>`);

  beforeAll(async () => {
    redis = new Redis(await redisUrl());
  });

  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('holds a page in memory until it is persisted for a queued hand-off', async () => {
    const store = new RedisPageStore(redis, prefix);
    const key = await store.put('req-1', page(1));
    expect(await redis.exists(key)).toBe(0);
    expect((await store.get(key))?.toString()).toContain('page 1');

    await store.persist(key);
    expect(await redis.ttl(key)).toBeGreaterThan(86_000);
    // Another process (another store) reads it from Redis.
    expect((await new RedisPageStore(redis, prefix).get(key))?.toString()).toContain('page 1');
    await store.delete(key);
    expect(await redis.exists(key)).toBe(0);
  });

  it('drops a page extract used in this process without touching Redis', async () => {
    const store = new RedisPageStore(redis, prefix);
    const key = await store.put('req-2', page(2));
    await store.delete(key);
    expect(await store.get(key)).toBeNull();
    expect(await redis.exists(key)).toBe(0);
  });

  it('writes the oldest held pages out beyond its bound', async () => {
    const store = new RedisPageStore(redis, prefix, 60, 2);
    const keys = [];
    for (let n = 10; n < 13; n++) keys.push(await store.put(`req-${n}`, page(n)));
    expect(await redis.exists(keys[0]!)).toBe(1);
    expect(await redis.exists(keys[1]!, keys[2]!)).toBe(0);
    for (const [i, key] of keys.entries()) expect((await store.get(key))?.toString()).toContain(`page ${10 + i}`);
  });
});
