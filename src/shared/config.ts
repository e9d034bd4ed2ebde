// The one place that reads the environment: parsed and validated once, at start.
import { z } from 'zod';
import { ConfigError } from './errors.js';

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const positiveInt = z.coerce.number().int().positive();

/** Every setting newsline understands, with its default. */
export const configDefaults = {
  REDIS_URL: 'redis://127.0.0.1:6379',
  NEWSLINE_DATA_DIR: './data',
  NEWSLINE_PREFIX: 'newsline',
  NEWSLINE_EVENT_SOURCE: 'urn:newsline',
  NEWSLINE_SCHEMA_BASE: 'urn:newsline:schema:',
  NEWSLINE_OUTBOX_RELAY: true,
  NEWSLINE_EVENTS_MAXLEN: 100_000,
  NEWSLINE_USER_AGENT: 'newsline/0.1 (+https://github.com/newsline/newsline)',
  LOG_LEVEL: 'info',
  FETCH_ALLOW_PRIVATE: false,
  FETCH_TIMEOUT_MS: 15_000,
  FETCH_MAX_BYTES: 5 * 1024 * 1024,
  FETCH_MAX_REDIRECTS: 5,
  NEWSLINE_SHUTDOWN_TIMEOUT_MS: 10_000,
  NEWSLINE_JOB_ATTEMPTS: 5,
  NEWSLINE_BACKOFF_MS: 1_000,
  NEWSLINE_DEDUP_WINDOW_DAYS: 30,
  NEWSLINE_NEAR_THRESHOLD: 0.35,
  NEWSLINE_NEAR_ANCHOR_THRESHOLD: 0.5,
  NEWSLINE_NEAR_SHARD_BITS: 10,
  NEWSLINE_DEDUP_SHARD_BITS: 10,
  FETCH_HOST_INTERVAL_MS: 1_000,
  FETCH_HOST_CONCURRENCY: 2,
  FETCH_CRAWL_DELAY_CAP_MS: 30_000,
  FETCH_ROBOTS_TTL_S: 86_400,
  FETCH_ROBOTS_RETRY_MS: 60_000,
  NEWSLINE_METRICS_PUSH_MS: 5_000,
  NEWSLINE_LOCK_MS: 30_000,
  NEWSLINE_FUSE_STAGES: true,
  NEWSLINE_STORE_BATCH: 16,
  NEWSLINE_STORE_LINGER_MS: 10,
  NEWSLINE_MAX_STALLED: 2,
  NEWSLINE_WATCHDOG_MS: 60_000,
  NEWSLINE_API_HOST: '127.0.0.1',
  NEWSLINE_API_PORT: 8080,
  NEWSLINE_API_MAX_STREAMS: 64,
} as const;

const schema = z.strictObject({
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
    .default(configDefaults.REDIS_URL),
  /** Redis Cluster seed nodes (host:port, comma-separated); REDIS_URL then only gives credentials and TLS. */
  REDIS_CLUSTER_NODES: z
    .string()
    .transform((v) => v.split(',').map((h) => h.trim()).filter(Boolean))
    .refine((nodes) => nodes.every((n) => /^[^\s:]+:\d+$/.test(n)), 'must be host:port,host:port')
    .optional(),
  /** Newsletter topics, YAML or JSON (see README "Newsletters"). */
  NEWSLINE_TOPICS_FILE: z.string().min(1).optional(),
  /** An operator's gazetteer file merged into the built-in one (see README "Entity tagging"). */
  NEWSLINE_GAZETTEER_EXTRA: z.string().min(1).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  NEWSLINE_DATA_DIR: z.string().min(1).default(configDefaults.NEWSLINE_DATA_DIR),
  NEWSLINE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, "_", "." and "-" only')
    .default(configDefaults.NEWSLINE_PREFIX),
  NEWSLINE_EVENT_SOURCE: z.string().min(1).default(configDefaults.NEWSLINE_EVENT_SOURCE),
  /** Prefix of the CloudEvents `dataschema` URIs; point it at where you serve schemas/. */
  NEWSLINE_SCHEMA_BASE: z.string().min(1).default(configDefaults.NEWSLINE_SCHEMA_BASE),
  /** Run the outbox relay in processes that run the store stage. */
  NEWSLINE_OUTBOX_RELAY: booleanFlag.default(configDefaults.NEWSLINE_OUTBOX_RELAY),
  NEWSLINE_EVENTS_MAXLEN: positiveInt.default(configDefaults.NEWSLINE_EVENTS_MAXLEN),
  NEWSLINE_USER_AGENT: z.string().min(1).default(configDefaults.NEWSLINE_USER_AGENT),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default(configDefaults.LOG_LEVEL),
  FETCH_ALLOW_PRIVATE: booleanFlag.default(configDefaults.FETCH_ALLOW_PRIVATE),
  /** Comma-separated host names or addresses that may be fetched even when they are not public. */
  FETCH_ALLOW_HOSTS: z
    .string()
    .transform((v) => v.split(',').map((h) => h.trim()).filter(Boolean))
    .default([]),
  FETCH_TIMEOUT_MS: positiveInt.default(configDefaults.FETCH_TIMEOUT_MS),
  FETCH_MAX_BYTES: positiveInt.default(configDefaults.FETCH_MAX_BYTES),
  FETCH_MAX_REDIRECTS: z.coerce.number().int().min(0).max(20).default(configDefaults.FETCH_MAX_REDIRECTS),
  NEWSLINE_SHUTDOWN_TIMEOUT_MS: positiveInt.default(configDefaults.NEWSLINE_SHUTDOWN_TIMEOUT_MS),
  NEWSLINE_JOB_ATTEMPTS: positiveInt.max(100).default(configDefaults.NEWSLINE_JOB_ATTEMPTS),
  NEWSLINE_BACKOFF_MS: positiveInt.default(configDefaults.NEWSLINE_BACKOFF_MS),
  NEWSLINE_DEDUP_WINDOW_DAYS: positiveInt.default(configDefaults.NEWSLINE_DEDUP_WINDOW_DAYS),
  NEWSLINE_NEAR_THRESHOLD: z.coerce.number().gt(0).max(1).default(configDefaults.NEWSLINE_NEAR_THRESHOLD),
  NEWSLINE_NEAR_ANCHOR_THRESHOLD: z.coerce.number().min(0).max(1).default(configDefaults.NEWSLINE_NEAR_ANCHOR_THRESHOLD),
  /** log2 of the near-duplicate index's hashes per band; +1 per doubling beyond ~130k articles per half window. */
  NEWSLINE_NEAR_SHARD_BITS: z.coerce.number().int().min(4).max(20).default(configDefaults.NEWSLINE_NEAR_SHARD_BITS),
  /** log2 of the URL and body claims' hashes per kind; +1 per doubling beyond ~130k claims per half window. */
  NEWSLINE_DEDUP_SHARD_BITS: z.coerce.number().int().min(4).max(20).default(configDefaults.NEWSLINE_DEDUP_SHARD_BITS),
  FETCH_HOST_INTERVAL_MS: z.coerce.number().int().min(0).default(configDefaults.FETCH_HOST_INTERVAL_MS),
  FETCH_HOST_CONCURRENCY: positiveInt.default(configDefaults.FETCH_HOST_CONCURRENCY),
  FETCH_CRAWL_DELAY_CAP_MS: z.coerce.number().int().min(0).default(configDefaults.FETCH_CRAWL_DELAY_CAP_MS),
  FETCH_ROBOTS_TTL_S: positiveInt.default(configDefaults.FETCH_ROBOTS_TTL_S),
  FETCH_ROBOTS_RETRY_MS: positiveInt.default(configDefaults.FETCH_ROBOTS_RETRY_MS),
  /** How often each worker process shares its metrics with the API's /metrics (through Redis). */
  NEWSLINE_METRICS_PUSH_MS: positiveInt.default(configDefaults.NEWSLINE_METRICS_PUSH_MS),
  /** A process running consecutive stages runs them in one go for each article (no Redis hand-off between them). */
  NEWSLINE_FUSE_STAGES: booleanFlag.default(configDefaults.NEWSLINE_FUSE_STAGES),
  /** Article writes of one process gathered into one PostgreSQL statement at most (1: each alone). */
  NEWSLINE_STORE_BATCH: positiveInt.max(256).default(configDefaults.NEWSLINE_STORE_BATCH),
  /** How long an article write waits for others to share its statement (ms). */
  NEWSLINE_STORE_LINGER_MS: z.coerce.number().int().min(0).max(1_000).default(configDefaults.NEWSLINE_STORE_LINGER_MS),
  /** Job lock lifetime; a dead worker's jobs are taken back within about twice this. */
  NEWSLINE_LOCK_MS: z.coerce.number().int().min(1_000).default(configDefaults.NEWSLINE_LOCK_MS),
  /** Times a job may lose its worker before it fails (reason `stalled`). */
  NEWSLINE_MAX_STALLED: z.coerce.number().int().min(0).max(100).default(configDefaults.NEWSLINE_MAX_STALLED),
  /** Replace a stage worker that started nothing for this long while jobs waited (0: no watchdog). */
  NEWSLINE_WATCHDOG_MS: z.coerce.number().int().min(0).default(configDefaults.NEWSLINE_WATCHDOG_MS),
  /** Address `newsline serve` listens on; anything but loopback needs NEWSLINE_API_TOKEN. */
  NEWSLINE_API_HOST: z.string().min(1).default(configDefaults.NEWSLINE_API_HOST),
  NEWSLINE_API_PORT: z.coerce.number().int().min(0).max(65_535).default(configDefaults.NEWSLINE_API_PORT),
  /** Bearer token for writes and the dashboard (at least 16 characters). */
  NEWSLINE_API_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Require the token for reads too (articles, sources, events, metrics); health checks stay open. */
  NEWSLINE_API_PROTECT_READS: booleanFlag.default(false),
  /** Concurrent /v1/events streams (each holds one Redis connection). */
  NEWSLINE_API_MAX_STREAMS: positiveInt.default(configDefaults.NEWSLINE_API_MAX_STREAMS),
});

export type Config = z.output<typeof schema>;

/** Keys read from the environment; other variables are ignored unless they look like ours. */
const knownKeys = new Set(Object.keys(schema.shape));
const ourNamespace = /^(NEWSLINE_|FETCH_)/;

/**
 * Parse settings from an environment-like object. Unknown `NEWSLINE_*`/`FETCH_*` keys are
 * rejected so that a typo fails loudly instead of silently running with a default.
 */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  /** Defaults a command prefers over the global ones (the demo logs less); the environment still wins. */
  commandDefaults: Record<string, string> = {},
): Config {
  const picked: Record<string, string> = { ...commandDefaults };
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined || value === '') continue;
    if (knownKeys.has(key) || ourNamespace.test(key)) picked[key] = value;
  }
  const result = schema.safeParse(picked);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const key = issue.path.join('.') || (issue as { keys?: string[] }).keys?.join(', ') || '?';
    const message =
      issue.code === 'unrecognized_keys'
        ? `unknown setting ${(issue as { keys: string[] }).keys.join(', ')} (see README "Configuration")`
        : `${key}: ${issue.message}`;
    throw new ConfigError(`invalid configuration: ${message}`);
  }
  return result.data;
}
