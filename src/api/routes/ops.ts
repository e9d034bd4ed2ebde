// GET /healthz (the process answers), /readyz (Redis and the database answer) and /metrics
// (Prometheus: the workers' shared counters, queue depths and BullMQ's job metrics).
import type { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { AggregatorRegistry, Counter, Gauge, Registry, collectDefaultMetrics, type RegistryContentType } from 'prom-client';
import { readSnapshots } from '../../shared/metrics/metrics-publisher.js';
import type { ApiDeps, Guards } from '../deps.js';

const label = (q: Queue) => q.name.replace(/[{}]/g, '');

function within<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms).unref())]);
}

/** Metrics this process computes when scraped: queue state from Redis, its own HTTP traffic. */
function apiRegistry(queues: Queue[]): { registry: Registry; requests: Counter<'method' | 'route' | 'status'> } {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'newsline_api_' });
  new Gauge({
    name: 'newsline_queue_depth',
    help: 'Jobs waiting to start (waiting, prioritized and delayed), by queue',
    labelNames: ['queue'] as const,
    registers: [registry],
    async collect() {
      for (const q of queues) {
        const c = await q.getJobCounts('waiting', 'prioritized', 'delayed');
        this.set({ queue: label(q) }, (c['waiting'] ?? 0) + (c['prioritized'] ?? 0) + (c['delayed'] ?? 0));
      }
    },
  });
  new Gauge({
    name: 'bullmq_job_count',
    help: 'Number of jobs in the queue by state',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      for (const q of queues) {
        for (const [state, n] of Object.entries(await q.getJobCounts())) this.set({ queue: label(q), state }, n);
      }
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
  return { registry, requests };
}

export function opsRoutes(app: FastifyInstance, deps: ApiDeps, guards: Guards): void {
  const { registry, requests } = apiRegistry(deps.allQueues);
  app.addHook('onResponse', async (request, reply) => {
    requests.inc({ method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) });
  });

  app.get('/healthz', { schema: { tags: ['operations'], summary: 'The process is up' } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { schema: { tags: ['operations'], summary: 'Redis and the database answer' } }, async (_request, reply) => {
    const check = async (what: string, probe: () => Promise<unknown>) => {
      try {
        await within(2_000, what, probe());
        return 'ok';
      } catch (err) {
        return err instanceof Error ? err.message : String(err);
      }
    };
    const [redis, database] = await Promise.all([check('redis', () => deps.redis.ping()), check('database', () => deps.db.query('SELECT 1'))]);
    const ready = redis === 'ok' && database === 'ok';
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks: { redis, database } });
  });

  app.get('/metrics', { onRequest: guards.read, schema: { tags: ['operations'], summary: 'Prometheus metrics for the whole pipeline' } }, async (_request, reply) => {
    const snapshots = await readSnapshots(deps.redis, deps.config.NEWSLINE_PREFIX);
    const merged = AggregatorRegistry.aggregate<RegistryContentType>([...snapshots, await registry.getMetricsAsJSON()]);
    return reply.type(merged.contentType).send(await merged.metrics());
  });
}
