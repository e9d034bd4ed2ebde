// What the HTTP API works with, built by `startApi` from config (or handed in by tests).
// Route schemas carry OpenAPI fields (tags, summary, security): @fastify/swagger's typings add them.
import type {} from '@fastify/swagger';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { DiscoverPayload } from '../queues/discover.js';
import type { StageQueues } from '../queues/queues.js';
import type { Config } from '../shared/config.js';
import type { FetchOutcome, FetchPageOptions } from '../shared/fetch/fetch-page.js';
import type { Logger } from '../shared/log.js';
import type { Database } from '../shared/store/database.js';

export interface ApiDeps {
  config: Config;
  log: Logger;
  /** For commands; blocking stream reads get a `duplicate()` each. */
  redis: Redis;
  db: Database;
  queues: StageQueues;
  discoverQueue: Queue<DiscoverPayload>;
  /** Every queue, for the dashboard and /metrics. */
  allQueues: Queue[];
  /** Reads a source URL when one is registered (the SSRF-guarded client). */
  fetchSource(url: string, options: FetchPageOptions): Promise<FetchOutcome>;
}

/** Route-level guards, from the token settings. */
export interface Guards {
  /** For writes: always needs the token (when one is configured). */
  write: import('fastify').onRequestHookHandler;
  /** For reads: needs the token only with NEWSLINE_API_PROTECT_READS. */
  read: import('fastify').onRequestHookHandler;
}
