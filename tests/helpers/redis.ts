// Redis for tests: REDIS_URL, else a local server on 127.0.0.1:6379, else a testcontainer, else
// a clear failure. Each test gets its own key prefix and removes its keys afterwards.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { deleteKeys } from '../../src/shared/redis.js';

let resolved: Promise<string> | null = null;

async function answers(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1_000, retryStrategy: () => null });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

async function resolveRedisUrl(): Promise<string> {
  if (process.env['REDIS_URL']) return process.env['REDIS_URL'];
  const local = 'redis://127.0.0.1:6379';
  if (await answers(local)) return local;
  try {
    const { RedisContainer } = await import('@testcontainers/redis');
    const container = await new RedisContainer('redis:7-alpine').start();
    return container.getConnectionUrl();
  } catch (err) {
    throw new Error(
      `no Redis for the tests: set REDIS_URL, run redis-server on 127.0.0.1:6379, or provide Docker for testcontainers (${(err as Error).message})`,
    );
  }
}

export function redisUrl(): Promise<string> {
  return (resolved ??= resolveRedisUrl());
}

export function testPrefix(): string {
  return `nltest-${randomBytes(5).toString('hex')}`;
}

export async function cleanupPrefix(prefix: string): Promise<void> {
  const client = new Redis(await redisUrl());
  try {
    await deleteKeys(client, `${prefix}:*`);
  } finally {
    client.disconnect();
  }
}

/** Every key matching `pattern` (SCAN, so the server is not blocked). */
export async function keysOf(redis: Redis, pattern: string): Promise<string[]> {
  const out: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    out.push(...keys);
  } while (cursor !== '0');
  return out;
}
