// Redis connections: created on demand (never at import), checked once, described in one line
// when Redis is not there.
import { Redis, type RedisOptions } from 'ioredis';
import { UnavailableError, describeError } from './errors.js';

/**
 * `worker` connections block and must never give up on a command (BullMQ requires
 * `maxRetriesPerRequest: null`); `producer` connections fail fast so a caller hears at once
 * that Redis is gone instead of queueing commands in memory.
 */
export type RedisRole = 'worker' | 'producer';

export function redisOptions(role: RedisRole): RedisOptions {
  return role === 'worker'
    ? { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: true }
    : { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true, connectTimeout: 5_000 };
}

export function redisUnavailableMessage(url: string, cause: unknown): string {
  return (
    `cannot reach Redis at ${redactUrl(url)} (${describeError(cause) || 'no answer'}); ` +
    'start one with `redis-server` or `docker compose up -d redis`, or set REDIS_URL'
  );
}

/** Open a connection and wait until it answers; throws `UnavailableError` with one clear line. */
export async function connectRedis(url: string, role: RedisRole): Promise<Redis> {
  const client = new Redis(url, redisOptions(role));
  // Until the first successful connect, errors are reported by `connect()` below; afterwards
  // ioredis reconnects on its own and the 'error' events would only repeat that.
  client.on('error', () => {});
  try {
    await withTimeout(client.connect(), 6_000);
    await client.ping();
    return client;
  } catch (err) {
    client.disconnect();
    throw new UnavailableError('redis_unavailable', redisUnavailableMessage(url, err), { cause: err });
  }
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Delete every key matching `pattern` (SCAN, never KEYS). Used by cleanup paths and tests. */
export async function deleteKeys(client: Redis, pattern: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) deleted += await client.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}
