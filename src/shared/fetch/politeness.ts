// Per-host politeness shared by every worker in every process: a minimum interval between
// requests to one host and a cap on requests in flight, decided atomically in Redis. A request
// that may not go yet gets a reserved slot and is told how long to wait, so waiting jobs do not
// stampede when the host frees up.
import type { Redis } from 'ioredis';
import { scriptCommand } from '../redis.js';
import { settingDefault } from '../settings.js';

export interface Politeness {
  /**
   * Ask to send `requestId` to `host` now. Returns 0 when it may go (a lease is held until
   * `release`), or the milliseconds to wait before asking again.
   */
  acquire(host: string, requestId: string, intervalMs: number): Promise<number>;
  release(host: string, requestId: string): Promise<void>;
}

export interface RedisPolitenessOptions {
  /**
   * Requests to one host in flight at once.
   * @defaultValue FETCH_HOST_CONCURRENCY
   */
  maxConcurrent?: number;
  /**
   * How long a lease lives if its holder dies without releasing it.
   * @defaultValue 60000
   */
  leaseMs?: number;
}

// KEYS: next free slot, active leases (zset, score = lease expiry), this request's reserved slot,
// time of the last grant. ARGV: request id, interval ms, max concurrent, lease ms.
// Time comes from Redis: one clock for every process. A request first reserves a slot (so a
// queue of waiters is spread out instead of stampeding); when its slot comes it is granted only
// if the last grant is at least an interval ago and a lease is free.
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
local reserved = tonumber(redis.call('GET', KEYS[3]) or '-1')
if reserved < 0 then
  local nextAt = tonumber(redis.call('GET', KEYS[1]) or '0')
  reserved = math.max(now, nextAt)
  redis.call('SET', KEYS[1], reserved + interval, 'PX', reserved + interval - now + 60000)
  if reserved > now then
    redis.call('SET', KEYS[3], reserved, 'PX', reserved - now + 600000)
    return reserved - now
  end
elseif reserved > now then
  return reserved - now
end
local last = tonumber(redis.call('GET', KEYS[4]) or '-1')
local wait = 0
if last >= 0 and now - last < interval then
  wait = interval - (now - last)
elseif redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[3]) then
  local first = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
  wait = math.max(50, math.min(tonumber(first[2]) - now, math.max(interval, 50)))
end
if wait > 0 then
  redis.call('SET', KEYS[3], now, 'PX', 600000)
  return wait
end
redis.call('DEL', KEYS[3])
redis.call('SET', KEYS[4], now, 'PX', interval + 60000)
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[4]), ARGV[1])
redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[4]) + 60000)
return 0
`;

export class RedisPoliteness implements Politeness {
  private readonly maxConcurrent: number;
  private readonly leaseMs: number;
  private readonly acquireScript: ReturnType<typeof scriptCommand>;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    options: RedisPolitenessOptions = {},
  ) {
    this.maxConcurrent = options.maxConcurrent ?? settingDefault('FETCH_HOST_CONCURRENCY');
    this.leaseMs = options.leaseMs ?? 60_000;
    this.acquireScript = scriptCommand(redis, 'newslineHostAcquire', ACQUIRE);
  }

  /** One hash tag per host: the host's keys share a Redis Cluster slot, so the script may touch them all. */
  private keys(host: string, requestId: string): string[] {
    const base = `${this.prefix}:host:{${host}}`;
    return [`${base}:next`, `${base}:active`, `${base}:slot:${requestId}`, `${base}:last`];
  }

  async acquire(host: string, requestId: string, intervalMs: number): Promise<number> {
    const wait = await this.acquireScript(this.keys(host, requestId), [requestId, Math.ceil(intervalMs), this.maxConcurrent, this.leaseMs]);
    return Number(wait);
  }

  async release(host: string, requestId: string): Promise<void> {
    await this.redis.zrem(this.keys(host, requestId)[1]!, requestId);
  }
}
