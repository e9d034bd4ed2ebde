// `newsline serve`: the HTTP API (Fastify) over the queues, the store and the event stream,
// with the dashboard, health checks, Prometheus metrics and its own OpenAPI document.
import http from 'node:http';
import swagger from '@fastify/swagger';
import type { Queue } from 'bullmq';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type onRequestHookHandler } from 'fastify';
import type { Redis } from 'ioredis';
import { createDigestQueue } from '../queues/digests.js';
import { createDiscoverQueue } from '../queues/discover.js';
import { closeQueues, createQueues } from '../queues/queues.js';
import { createWebhookQueue } from '../queues/webhooks.js';
import type { Config } from '../shared/config.js';
import { ConfigError } from '../shared/errors.js';
import { HttpClient } from '../shared/fetch/fetch-page.js';
import { httpOptions } from '../shared/fetch/from-config.js';
import type { Logger } from '../shared/log.js';
import { connectRedis, logReconnects, redisTarget } from '../shared/redis.js';
import { openDatabase, type Database } from '../shared/store/database.js';
import { migrate } from '../shared/store/migrate.js';
import { isLoopbackHost, requireToken } from './auth.js';
import { registerDashboard } from './dashboard.js';
import type { ApiDeps, Guards } from './deps.js';
import { apiError, installErrorHandlers } from './errors.js';
import { fieldWithControlCharacter, isDateOrTime } from './input-checks.js';
import { articleRoutes } from './routes/articles.js';
import { eventRoutes } from './routes/events.js';
import { opsRoutes } from './routes/ops.js';
import { schemaRoutes } from './routes/schemas.js';
import { sourceRoutes } from './routes/sources.js';
import { urlRoutes } from './routes/urls.js';

const VERSION = '0.1.0';

function guards(config: Config): Guards {
  const guard = requireToken(config.NEWSLINE_API_TOKEN, {
    challenge: 'Bearer realm="newsline"',
    hint: 'send Authorization: Bearer <NEWSLINE_API_TOKEN>',
  });
  const open: onRequestHookHandler = async () => {};
  return { write: guard, read: config.NEWSLINE_API_PROTECT_READS ? guard : open };
}

/**
 * The HTTP server under Fastify, with the limits an open port needs: a client that trickles its
 * request in or holds a connection idle does not keep it, and connections beyond the cap are
 * refused. Request deadlines are checked every second (Node's default is every 30 s).
 */
function createHttpServer(config: Config, handler: http.RequestListener): http.Server {
  const requestMs = config.NEWSLINE_API_REQUEST_TIMEOUT_MS;
  const server = http.createServer(
    { requestTimeout: requestMs, headersTimeout: requestMs, connectionsCheckingInterval: 1_000, keepAliveTimeout: 5_000 },
    handler,
  );
  server.setTimeout(config.NEWSLINE_API_IDLE_TIMEOUT_MS);
  server.maxConnections = config.NEWSLINE_API_MAX_CONNECTIONS;
  return server;
}

/** The Fastify app with every route; not listening yet. */
export async function buildApi(deps: ApiDeps): Promise<FastifyInstance> {
  const app = Fastify({
    // Per-request lines only at debug/trace; errors always.
    loggerInstance: deps.log.child(
      { component: 'api' },
      { level: ['debug', 'trace'].includes(deps.config.LOG_LEVEL) ? deps.config.LOG_LEVEL : 'warn' },
    ) as FastifyBaseLogger,
    bodyLimit: 4 * 1024 * 1024,
    serverFactory: (handler) => createHttpServer(deps.config, handler),
    ajv: {
      customOptions: {
        removeAdditional: false,
        coerceTypes: 'array',
        // An ISO date or date-time (since/until filters) that PostgreSQL reads the same way.
        formats: { 'date-or-time': isDateOrTime },
      },
    },
  });
  installErrorHandlers(app, { unavailable: () => (deps.redis.status === 'ready' ? null : 'Redis') });
  // No route takes control characters in what it is sent; refused here, with the field named.
  app.addHook('preValidation', async (request) => {
    const field =
      fieldWithControlCharacter(request.params, 'params') ??
      fieldWithControlCharacter(request.query, 'querystring') ??
      fieldWithControlCharacter(request.body, 'body');
    if (field) throw apiError(400, 'bad_request', `${field} must not contain control characters`);
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'newsline',
        version: VERSION,
        description: 'News ingestion pipeline: submit URLs, manage sources, read articles and events.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    hideUntagged: true,
  });
  const g = guards(deps.config);
  urlRoutes(app, deps, g);
  sourceRoutes(app, deps, g);
  articleRoutes(app, deps, g);
  const streams = eventRoutes(app, deps, g);
  opsRoutes(app, deps, g);
  schemaRoutes(app, deps, g);
  app.get('/openapi.json', { onRequest: g.read }, async () => app.swagger());
  await registerDashboard(app, deps.allQueues, { token: deps.config.NEWSLINE_API_TOKEN, fuseStages: deps.config.NEWSLINE_FUSE_STAGES });
  app.addHook('preClose', async () => streams.closeAll());
  return app;
}

export interface RunningApi {
  /** e.g. http://127.0.0.1:8080 */
  readonly url: string;
  readonly app: FastifyInstance;
  close(): Promise<void>;
}

export interface StartApiOptions {
  /** An already-open database (when the workers run in the same process); otherwise opened from config. */
  database?: Database;
}

/** Open what the API needs, listen on NEWSLINE_API_HOST:NEWSLINE_API_PORT, and return a handle to close it all. */
export async function startApi(config: Config, log: Logger, options: StartApiOptions = {}): Promise<RunningApi> {
  if (!config.NEWSLINE_API_TOKEN && !isLoopbackHost(config.NEWSLINE_API_HOST)) {
    throw new ConfigError(
      `refusing to listen on ${config.NEWSLINE_API_HOST} without NEWSLINE_API_TOKEN (only loopback addresses may run without one)`,
    );
  }
  const redis: Redis = await connectRedis(redisTarget(config), 'producer');
  logReconnects(redis, log);
  const client = new HttpClient(httpOptions(config));
  const ownsDatabase = options.database === undefined;
  let db: Database | null = options.database ?? null;
  const prefix = config.NEWSLINE_PREFIX;
  const queues = createQueues(redis, { prefix, attempts: config.NEWSLINE_JOB_ATTEMPTS });
  const discoverQueue = createDiscoverQueue(redis, prefix);
  const others: Queue[] = [
    discoverQueue,
    createWebhookQueue(redis, { prefix, attempts: config.NEWSLINE_JOB_ATTEMPTS }),
    createDigestQueue(redis, prefix),
  ];
  const release = async () => {
    await Promise.all(others.map((q) => q.close().catch(() => {})));
    await closeQueues(queues).catch(() => {});
    await client.close().catch(() => {});
    if (ownsDatabase) await db?.close().catch(() => {});
    await redis.quit().catch(() => redis.disconnect());
  };
  try {
    db ??= await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.NEWSLINE_DATA_DIR });
    await migrate(db);
    const app = await buildApi({
      config,
      log,
      redis,
      db,
      queues,
      discoverQueue,
      allQueues: [...Object.values(queues), ...others] as Queue[],
      fetchSource: (url, opts) => client.fetchPage(url, opts),
    });
    await app.listen({ host: config.NEWSLINE_API_HOST, port: config.NEWSLINE_API_PORT });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.NEWSLINE_API_PORT;
    const host = config.NEWSLINE_API_HOST.includes(':') ? `[${config.NEWSLINE_API_HOST}]` : config.NEWSLINE_API_HOST;
    const url = `http://${host}:${port}`;
    log.info({ url, auth: config.NEWSLINE_API_TOKEN ? 'token' : 'none (loopback only)' }, 'api listening');
    let closing: Promise<void> | null = null;
    return {
      url,
      app,
      close: () => (closing ??= app.close().then(release)),
    };
  } catch (err) {
    await release();
    throw err;
  }
}
