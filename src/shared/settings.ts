// Every setting newsline reads from the environment, written once: its schema, its default and
// what it means. Config parsing, class defaults and docs/configuration.md all come from this table.
import { z } from 'zod';

const booleanFlag = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');
const positiveInt = z.coerce.number().int().positive();
const hostList = z.string().transform((v) =>
  v
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean),
);

/** A setting with a default. */
interface DefaultedRow<S extends z.ZodType> {
  schema: S;
  default: z.output<S>;
  description: string;
}
/** A setting that is unset unless given. */
interface OptionalRow<S extends z.ZodType> {
  schema: S;
  optional: true;
  description: string;
}
type SettingRow = DefaultedRow<z.ZodType> | OptionalRow<z.ZodType>;

const row = <S extends z.ZodType>(schema: S, fallback: z.output<S>, description: string): DefaultedRow<S> => ({
  schema,
  default: fallback,
  description,
});
const unset = <S extends z.ZodType>(schema: S, description: string): OptionalRow<S> => ({ schema, optional: true, description });

export const settings = {
  REDIS_URL: row(
    z
      .string()
      .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
      .refine(
        (u) => URL.canParse(u) && /^\/?(\d{1,5})?$/.test(new URL(u).pathname),
        'the path must be a database number (redis://host:6379/2)',
      ),
    'redis://127.0.0.1:6379',
    'Redis for queues, pages in flight, dedup index, outcomes and the event stream',
  ),
  REDIS_CLUSTER_NODES: unset(
    hostList.refine((nodes) => nodes.every((n) => /^[^\s:]+:\d+$/.test(n)), 'must be host:port,host:port'),
    '`host:port,host:port`: use a Redis Cluster through these seed nodes (credentials and TLS from `REDIS_URL`); see docs/scaling.md',
  ),
  DATABASE_URL: unset(
    z.string().regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://'),
    '`postgres://…`: store records in PostgreSQL. Unset: embedded PGlite in `NEWSLINE_DATA_DIR`',
  ),
  NEWSLINE_DATA_DIR: row(z.string().min(1), './data', 'PGlite data directory'),
  NEWSLINE_PREFIX: row(
    z.string().regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, "_", "." and "-" only'),
    'newsline',
    'prefix of every Redis key; queue keys are `<prefix>:{<stage>}:…` (hash-tagged per queue for Redis Cluster)',
  ),
  NEWSLINE_EVENT_SOURCE: row(z.string().min(1), 'urn:newsline', 'CloudEvents `source` attribute'),
  NEWSLINE_SCHEMA_BASE: row(
    z.string().min(1),
    'urn:newsline:schema:',
    'prefix of the CloudEvents `dataschema` URIs; point it at where you serve `schemas/`',
  ),
  NEWSLINE_OUTBOX_RELAY: row(booleanFlag, true, 'run the outbox relay in processes that run the store stage'),
  NEWSLINE_EVENTS_MAXLEN: row(positiveInt, 100_000, "approximate cap on the event stream's length"),
  NEWSLINE_USER_AGENT: row(z.string().min(1), 'newsline/0.1 (+https://github.com/newsline/newsline)', 'sent with every request'),
  NEWSLINE_SHUTDOWN_TIMEOUT_MS: row(positiveInt, 10_000, 'how long `start` waits for running jobs on SIGINT/SIGTERM'),
  NEWSLINE_DEBUG: row(booleanFlag, false, 'print the stack trace of an unexpected error after its one-line message'),
  LOG_LEVEL: row(
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    'info',
    'pino level for the JSON logs on stderr (`silent` to mute)',
  ),
  FETCH_ALLOW_PRIVATE: row(booleanFlag, false, 'allow fetching loopback, private, link-local and other non-public addresses'),
  FETCH_ALLOW_HOSTS: row(hostList, [], 'comma-separated hosts or addresses allowed even when non-public'),
  FETCH_TIMEOUT_MS: row(positiveInt, 15_000, 'deadline for a whole fetch, redirects and body included'),
  FETCH_MAX_BYTES: row(positiveInt, 5 * 1024 * 1024, 'largest body accepted, before and after decompression'),
  FETCH_MAX_REDIRECTS: row(z.coerce.number().int().min(0).max(20), 5, 'redirect hops followed'),
  FETCH_HOST_INTERVAL_MS: row(z.coerce.number().int().min(0), 1_000, 'minimum gap between requests to one host, across all workers'),
  FETCH_HOST_CONCURRENCY: row(positiveInt, 2, 'requests to one host in flight at once'),
  FETCH_CRAWL_DELAY_CAP_MS: row(z.coerce.number().int().min(0), 30_000, 'largest robots.txt `Crawl-delay` honoured'),
  FETCH_ROBOTS_TTL_S: row(positiveInt, 86_400, 'how long a robots.txt is cached'),
  FETCH_ROBOTS_RETRY_MS: row(positiveInt, 60_000, 'after a robots.txt 5xx or no answer, how long the site counts as disallowed'),
  NEWSLINE_JOB_ATTEMPTS: row(positiveInt.max(100), 5, 'attempts per stage job before it fails'),
  NEWSLINE_BACKOFF_MS: row(positiveInt, 1_000, 'base of the exponential retry delay'),
  NEWSLINE_DEDUP_WINDOW_DAYS: row(positiveInt, 30, 'how long seen URLs, bodies, fingerprints and validators are remembered'),
  NEWSLINE_NEAR_THRESHOLD: row(z.coerce.number().gt(0).max(1), 0.35, 'estimated skeleton Jaccard at which two articles are one story'),
  NEWSLINE_NEAR_ANCHOR_THRESHOLD: row(
    z.coerce.number().min(0).max(1),
    0.5,
    'estimated anchor (names, numbers) Jaccard a near match also needs',
  ),
  NEWSLINE_NEAR_SHARD_BITS: row(
    z.coerce.number().int().min(4).max(20),
    10,
    'near-duplicate index sharding: compact up to ~128 × 2^bits articles per half window; add one per doubling',
  ),
  NEWSLINE_DEDUP_SHARD_BITS: row(
    z.coerce.number().int().min(4).max(20),
    10,
    'URL and body claim sharding: compact up to ~128 × 2^bits claims of each kind per half window; add one per doubling. Both shard settings are chosen before the first run (entries made under another value are not found)',
  ),
  NEWSLINE_SOURCE_MAX_URLS: row(
    positiveInt,
    10_000,
    'article URLs one crawl of a source takes at most (a larger listing is cut, and the run says `partial`)',
  ),
  NEWSLINE_PUBLICATION_NAME: row(z.string().min(1).max(100), 'newsline', 'the publication name at the top of every newsletter digest'),
  NEWSLINE_GAZETTEER_EXTRA: unset(z.string().min(1), 'a JSON file of extra entities and names for the tagger (docs/tagging.md)'),
  NEWSLINE_TOPICS_FILE: unset(z.string().min(1), 'newsletter topics, YAML or JSON (docs/newsletters.md)'),
  NEWSLINE_API_HOST: row(
    z.string().min(1),
    '127.0.0.1',
    'address `serve` / `start --api` listen on; a non-loopback one needs `NEWSLINE_API_TOKEN`',
  ),
  NEWSLINE_API_PORT: row(z.coerce.number().int().min(0).max(65_535), 8080, 'their port (`0`: any free port, printed at start)'),
  NEWSLINE_API_TOKEN: unset(
    z
      .string()
      .regex(/^[\x21-\x7E]{16,1024}$/, 'must be 16 to 1,024 printable ASCII characters without spaces (e.g. `openssl rand -hex 24`)')
      .refine((t) => new Set(t).size >= 10, 'is too weak: use at least 10 different characters (e.g. `openssl rand -hex 24`)'),
    'Bearer token for writes and the dashboard: 16+ printable characters, no spaces, 10+ different ones; unset: no auth, loopback only',
  ),
  NEWSLINE_API_PROTECT_READS: row(
    booleanFlag,
    false,
    'require the token for reads too (articles, sources, events, metrics, OpenAPI); `/healthz` and `/readyz` stay open',
  ),
  NEWSLINE_API_MAX_STREAMS: row(
    positiveInt,
    64,
    'concurrent `/v1/events` streams; more get 503. All streams of one API process share one Redis connection',
  ),
  NEWSLINE_API_MAX_CONNECTIONS: row(positiveInt, 1_024, 'open connections the API accepts at once; more are refused by the server'),
  NEWSLINE_API_REQUEST_TIMEOUT_MS: row(
    positiveInt.min(1_000),
    10_000,
    'how long a client may take to send a request (headers and body); a slower one gets 408 and is disconnected',
  ),
  NEWSLINE_API_IDLE_TIMEOUT_MS: row(
    positiveInt.min(1_000),
    60_000,
    'a connection on which nothing is sent or received for this long is closed (event streams send a keep-alive every 15 s)',
  ),
  NEWSLINE_FUSE_STAGES: row(
    booleanFlag,
    true,
    'a process that runs consecutive stages runs them in one go for each article instead of handing it through Redis; when a fused stage fails, the article is queued at that stage and retried there',
  ),
  NEWSLINE_STORE_BATCH: row(
    positiveInt.max(256),
    16,
    "article writes of one process that share one PostgreSQL statement at most (group commit; capped at the worker's concurrency); `1` writes each alone",
  ),
  NEWSLINE_STORE_LINGER_MS: row(
    z.coerce.number().int().min(0).max(1_000),
    10,
    'how long an article write waits for others to join its statement; a full batch goes at once, and a batch the database refuses is written again one article at a time',
  ),
  NEWSLINE_LOCK_MS: row(
    z.coerce.number().int().min(1_000),
    30_000,
    'job lock lifetime: a worker that dies holding a job loses it within about twice this, and another worker takes it',
  ),
  NEWSLINE_MAX_STALLED: row(
    z.coerce.number().int().min(0).max(100),
    2,
    'times a job may lose its worker before it fails (outcome `failed`, reason `stalled`)',
  ),
  NEWSLINE_WATCHDOG_MS: row(
    z.coerce.number().int().min(0),
    60_000,
    'replace a worker that has started no job for this long while its queue has waiting jobs (`0`: off)',
  ),
  NEWSLINE_METRICS_PUSH_MS: row(positiveInt, 5_000, 'how often each worker process shares its counters with `/metrics` (through Redis)'),
} as const;

export type SettingName = keyof typeof settings;
type Row<K extends SettingName> = (typeof settings)[K];
type DefaultedName = { [K in SettingName]: Row<K> extends { optional: true } ? never : K }[SettingName];

/** The parsed settings: every defaulted one present, the others possibly undefined. */
export type Settings = {
  [K in SettingName]: Row<K> extends { optional: true } ? z.output<Row<K>['schema']> | undefined : z.output<Row<K>['schema']>;
};

/** The default of a setting (classes use it when no option is given). */
export function settingDefault<K extends DefaultedName>(name: K): Settings[K] {
  return (settings[name] as DefaultedRow<z.ZodType>).default as Settings[K];
}

/** The environment's schema: unknown keys refused, defaults filled in. */
export function settingsSchema(): z.ZodType<Settings, Record<string, string>> {
  const shape = Object.fromEntries(
    (Object.entries(settings) as Array<[string, SettingRow]>).map(([name, s]) => [
      name,
      'optional' in s ? s.schema.optional() : s.schema.default(s.default),
    ]),
  );
  return z.strictObject(shape) as unknown as z.ZodType<Settings, Record<string, string>>;
}

/** How a default reads in the docs. */
function shownDefault(value: unknown): string {
  if (value === undefined) return '(unset)';
  if (Array.isArray(value)) return value.length === 0 ? '(empty)' : `\`${value.join(',')}\``;
  return `\`${String(value)}\``;
}

/** The table in docs/configuration.md, one row a setting. */
export function settingsTable(): string {
  const lines = ['| variable | default | meaning |', '|---|---|---|'];
  for (const [name, s] of Object.entries(settings) as Array<[string, SettingRow]>) {
    lines.push(`| \`${name}\` | ${shownDefault('optional' in s ? undefined : s.default)} | ${s.description} |`);
  }
  return `${lines.join('\n')}\n`;
}
