// GET|POST /v1/sources, DELETE /v1/sources/:id: feeds, sitemaps and pages crawled on a schedule.
import type { FastifyInstance } from 'fastify';
import { registerSource, unregisterSource } from '../../queues/discover.js';
import { parseSubmittedUrl } from '../../queues/producer.js';
import { parseDuration } from '../../shared/duration.js';
import { describeError } from '../../shared/errors.js';
import { MAX_URL_LENGTH } from '../../shared/fetch/url-limits.js';
import { detectSource } from '../../shared/sources/detect-source.js';
import { SourceExistsError, SourceStore } from '../../shared/sources/source-store.js';
import type { ApiDeps, Guards } from '../deps.js';
import { apiError } from '../errors.js';
import { responses } from '../responses.js';

interface SourceBody {
  url: string;
  name?: string;
  every?: string;
  cron?: string;
  tz?: string;
  discover?: boolean;
}

const sourceBody = {
  type: 'object',
  additionalProperties: false,
  required: ['url'],
  properties: {
    url: { type: 'string', minLength: 1, maxLength: MAX_URL_LENGTH, description: 'A feed, sitemap or section page; its type is detected' },
    name: { type: 'string', minLength: 1, maxLength: 200 },
    every: { type: 'string', pattern: '^\\d+(ms|s|m|h|d)$', description: 'Crawl interval, e.g. "10m" (default)' },
    cron: { type: 'string', minLength: 1, maxLength: 100, description: 'Crawl on a cron pattern instead of every' },
    tz: { type: 'string', minLength: 1, maxLength: 64, description: 'Time zone of cron (default UTC)' },
    discover: { type: 'boolean', description: 'Replace a page by the feed it announces (default true)' },
  },
  not: { required: ['every', 'cron'] },
} as const;

const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 100 } } } as const;

export function sourceRoutes(app: FastifyInstance, deps: ApiDeps, guards: Guards): void {
  const store = new SourceStore(deps.db);

  app.get(
    '/v1/sources',
    {
      onRequest: guards.read,
      schema: {
        tags: ['sources'],
        summary: 'Sources with their crawl statistics',
        response: responses({ 200: '{"items": [sources]}' }, [503]),
      },
    },
    async () => ({
      items: await store.list(),
    }),
  );

  app.post<{ Body: SourceBody }>(
    '/v1/sources',
    {
      onRequest: guards.write,
      schema: {
        tags: ['sources'],
        summary: 'Register a source (type detected)',
        response: responses({ 201: 'the registered source' }, [400, 401, 403, 409, 422, 503]),
        body: sourceBody,
        security: [{ bearer: [] }],
      },
    },
    async (request, reply) => {
      const body = request.body;
      const url = parseSubmittedUrl(body.url).toString();
      const found = await detectSource(deps.fetchSource, url, { discover: body.discover ?? true }).catch((err: unknown) => {
        throw apiError(422, 'source_unreadable', describeError(err));
      });
      const source = await registerSource(store, deps.discoverQueue, found, {
        name: body.name,
        everyMs: body.every ? parseDuration(body.every) : undefined,
        cron: body.cron,
        tz: body.tz,
      }).catch((err: unknown) => {
        throw err instanceof SourceExistsError ? apiError(409, 'source_exists', err.message) : err;
      });
      return reply.code(201).send(source);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/sources/:id',
    {
      onRequest: guards.read,
      schema: { tags: ['sources'], summary: 'One source', response: responses({ 200: 'the source' }, [400, 404, 503]), params: idParams },
    },
    async (request) => {
      const source = await store.get(request.params.id);
      if (!source) throw apiError(404, 'not_found', `no source ${request.params.id}`);
      return source;
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/v1/sources/:id',
    {
      onRequest: guards.write,
      schema: {
        tags: ['sources'],
        summary: 'Stop crawling a source',
        response: responses({ 204: { description: 'removed', body: 'none' } }, [400, 401, 403, 404, 503]),
        params: idParams,
        security: [{ bearer: [] }],
      },
    },
    async (request, reply) => {
      if (!(await unregisterSource(store, deps.discoverQueue, request.params.id)))
        throw apiError(404, 'not_found', `no source ${request.params.id}`);
      return reply.code(204).send();
    },
  );
}
