// GET /healthz (the process answers), /readyz (Redis and the database answer) and /metrics
// (Prometheus: the workers' shared counters, queue depths and BullMQ's job metrics).
import type { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { AggregatorRegistry, Counter, Gauge, Registry, collectDefaultMetrics, type RegistryContentType } from 'prom-client';
import { readSnapshots } from '../../shared/metrics/metrics-publisher.js';
import { withTimeout } from '../../shared/with-timeout.js';
import type { ApiDeps, Guards } from '../deps.js';
import { responses } from '../responses.js';

const label = (q: Queue) => q.name.replace(/[{}]/g, '');

/** Metrics this process computes when scraped: queue state from Redis, its own HTTP traffic. */
function apiRegistry(queues: Queue[]): { registry: Registry; requests: Counter<'method' | 'route' | 'status'>; newScrape(): void } {
  const registry = new Registry();
  // Both queue gauges read the same job counts: fetched once per scrape.
  let counts: Promise<Array<Record<string, number>>> | null = null;
  const jobCounts = () => (counts ??= Promise.all(queues.map((q) => q.getJobCounts())));
  collectDefaultMetrics({ register: registry, prefix: 'newsline_api_' });
  new Gauge({
    name: 'newsline_queue_depth',
    help: 'Jobs waiting to start (waiting, prioritized and delayed), by queue',
    labelNames: ['queue'] as const,
    registers: [registry],
    async collect() {
      for (const [k, c] of (await jobCounts()).entries())
        this.set({ queue: label(queues[k]!) }, (c['waiting'] ?? 0) + (c['prioritized'] ?? 0) + (c['delayed'] ?? 0));
    },
  });
  new Gauge({
    name: 'bullmq_job_count',
    help: 'Number of jobs in the queue by state',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      (await jobCounts()).forEach((c, k) => {
        for (const [state, n] of Object.entries(c)) this.set({ queue: label(queues[k]!), state }, n);
      });
    },
  });
  for (const kind of ['completed', 'failed'] as const) {
    new Counter({
      name: `bullmq_job_${kind}_total`,
      help: `Jobs ${kind} since the queue was created (BullMQ metrics)`,
      labelNames: ['queue'] as const,
      registers: [registry],
      async collect() {
        this.reset();
        for (const q of queues) this.inc({ queue: label(q) }, (await q.getMetrics(kind, 0, 0)).meta.count);
      },
    });
  }
  const requests = new Counter({
    name: 'newsline_api_requests_total',
    help: 'API requests answered, by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  return {
    registry,
    requests,
    newScrape: () => {
      counts = null;
    },
  };
}

export function opsRoutes(app: FastifyInstance, deps: ApiDeps, guards: Guards): void {
  const { registry, requests, newScrape } = apiRegistry(deps.allQueues);
  app.addHook('onResponse', async (request, reply) => {
    requests.inc({ method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) });
  });

  app.get(
    '/healthz',
    { schema: { tags: ['operations'], summary: 'The process is up', response: responses({ 200: '{"status":"ok"}' }, []) } },
    async () => ({ status: 'ok' }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        tags: ['operations'],
        summary: 'Redis and the database answer',
        response: responses({ 200: 'ready, with each check', 503: 'not ready: which check failed (Retry-After)' }, []),
      },
    },
    async (_request, reply) => {
      const check = async (what: string, probe: () => Promise<unknown>) => {
        try {
          await withTimeout(probe(), 2_000, what);
          return 'ok';
        } catch (err) {
          return err instanceof Error ? err.message : String(err);
        }
      };
      const [redis, database] = await Promise.all([
        check('redis', () => deps.redis.ping()),
        check('database', () => deps.db.query('SELECT 1')),
      ]);
      const ready = redis === 'ok' && database === 'ok';
      if (!ready) reply.header('retry-after', '5');
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks: { redis, database } });
    },
  );

  app.get(
    '/metrics',
    {
      onRequest: guards.read,
      schema: {
        tags: ['operations'],
        summary: 'Prometheus metrics for the whole pipeline',
        response: responses({ 200: { description: 'Prometheus text format', body: 'text' } }, [401, 403, 503]),
      },
    },
    async (_request, reply) => {
      newScrape();
      const snapshots = await readSnapshots(deps.redis, deps.config.NEWSLINE_PREFIX);
      const merged = AggregatorRegistry.aggregate<RegistryContentType>([...snapshots, await registry.getMetricsAsJSON()]);
      return reply.type(merged.contentType).send(await merged.metrics());
    },
  );
}
