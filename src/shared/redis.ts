// Redis connections: created on demand (never at import), checked once, described in one line
// when Redis is not there.
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { ConfigError, UnavailableError, describeError } from './errors.js';
import type { Logger } from './log.js';
import { withTimeout } from './with-timeout.js';

/**
 * `worker` connections block and must never give up on a command (BullMQ requires
 * `maxRetriesPerRequest: null`); `producer` connections fail fast so a caller hears at once
 * that Redis is gone instead of queueing commands in memory.
 */
export type RedisRole = 'worker' | 'producer';

export function redisOptions(role: RedisRole): RedisOptions {
  return role === 'worker'
    ? { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: true, retryStrategy: reconnectDelay }
    : { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true, connectTimeout: 5_000, retryStrategy: reconnectDelay };
}

/** Reconnect attempts back off: 100 ms, 200 ms, 400 ms … up to 10 s, with jitter, for as long as it takes. */
export function reconnectDelay(attempt: number): number {
  const ceiling = Math.min(10_000, 100 * 2 ** Math.min(attempt - 1, 10));
  return Math.round(ceiling * (0.5 + Math.random() * 0.5));
}

/**
 * Log a lost connection once per reconnect attempt (the attempts back off), and its return, as
 * JSON lines: the one report of an outage, whatever else shares the connection's options.
 */
export function logReconnects(client: Redis, log: Logger): void {
  let attempts = 0;
  client.on('reconnecting', (delayMs: number) => {
    attempts++;
    log.warn({ attempt: attempts, retryInMs: delayMs }, 'Redis unreachable; reconnecting');
  });
  client.on('ready', () => {
    if (attempts > 0) log.info({ attempts }, 'Redis reachable again');
    attempts = 0;
  });
}

export function redisUnavailableMessage(url: string, cause: unknown): string {
  return (
    `cannot reach Redis at ${redactUrl(url)} (${describeError(cause) || 'no answer'}); ` +
    'start one with `redis-server` or `docker compose up -d redis`, or set REDIS_URL'
  );
}

/** Where Redis is: one server (`url`), or a Redis Cluster reached through seed nodes. */
export interface RedisTarget {
  url: string;
  /** host:port of cluster nodes; credentials and TLS come from `url`. */
  clusterNodes?: string[];
}

export function redisTarget(config: { REDIS_URL: string; REDIS_CLUSTER_NODES?: string[] | undefined }): RedisTarget {
  return { url: config.REDIS_URL, ...(config.REDIS_CLUSTER_NODES?.length ? { clusterNodes: config.REDIS_CLUSTER_NODES } : {}) };
}

/**
 * A client for the target. A cluster client is typed as `Redis`: it has the same command methods,
 * and newsline only sends multi-key commands and scripts whose keys share a hash tag.
 */
function createClient(target: RedisTarget, role: RedisRole): Redis {
  if (!target.clusterNodes) return new Redis(target.url, redisOptions(role));
  const u = new URL(target.url);
  const { lazyConnect: _lazy, ...perNode } = redisOptions(role);
  const cluster = new Cluster(
    target.clusterNodes.map((n) => {
      const [host, port] = n.split(':');
      return { host: host!, port: Number(port ?? 6379) };
    }),
    {
      lazyConnect: true,
      enableOfflineQueue: role === 'worker',
      redisOptions: {
        ...perNode,
        ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
        ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
        ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
      },
    },
  );
  return cluster as unknown as Redis;
}

export function isCluster(client: Redis): boolean {
  return (client as unknown as { isCluster?: boolean }).isCluster === true;
}

/** Open a connection and wait until it answers; throws `UnavailableError` with one clear line. */
export async function connectRedis(target: RedisTarget | string, role: RedisRole): Promise<Redis> {
  const t = typeof target === 'string' ? { url: target } : target;
  const url = t.clusterNodes ? `cluster ${t.clusterNodes.join(',')}` : t.url;
  const client = createClient(t, role);
  // Until the first successful connect, errors are reported by `connect()` below; afterwards
  // ioredis reconnects on its own and the 'error' events would only repeat that.
  client.on('error', () => {});
  try {
    await withTimeout(client.connect(), 6_000, 'connecting');
    await client.ping();
  } catch (err) {
    client.disconnect();
    throw new UnavailableError('redis_unavailable', redisUnavailableMessage(url, err), { cause: err });
  }
  // ioredis selects the URL's database on connect but goes on in database 0 when the server
  // has no such database: ask again, and refuse to run in the wrong one.
  const db = databaseOf(t.url);
  if (db > 0) {
    try {
      if (t.clusterNodes) throw new Error('a Redis Cluster has only database 0');
      await client.select(db);
    } catch (err) {
      client.disconnect();
      throw new ConfigError(`invalid configuration: REDIS_URL: database ${db} cannot be used (${describeError(err)})`);
    }
  }
  return client;
}

/** The database number a Redis URL names (0 when none). */
export function databaseOf(url: string): number {
  const path = new URL(url).pathname.replace(/^\//, '');
  return path === '' ? 0 : Number(path);
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

/** Delete every key matching `pattern` (SCAN, never KEYS; on a cluster, on every master). Used by cleanup paths and tests. */
export async function deleteKeys(client: Redis, pattern: string): Promise<number> {
  const nodes = isCluster(client) ? (client as unknown as Cluster).nodes('master') : [client];
  let deleted = 0;
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      cursor = next;
      // One key a call: keys of different slots may not share a command on a cluster.
      for (const key of keys) deleted += await node.unlink(key);
    } while (cursor !== '0');
  }
  return deleted;
}

/**
 * A Lua script as a command of `client`, by ioredis' `defineCommand`: it sends the script's text
 * once per connection and EVALSHA after that (again the text when the server lost it — a restart,
 * a failover), so a script run per article stays a short command.
 */
export function scriptCommand(
  client: Redis,
  name: string,
  lua: string,
): (keys: string[], args: Array<string | number | Buffer>) => Promise<unknown> {
  client.defineCommand(name, { lua });
  const command = (client as unknown as Record<string, (...args: Array<string | number | Buffer>) => Promise<unknown>>)[name]!;
  return (keys, args) => command.call(client, keys.length, ...keys, ...args);
}
