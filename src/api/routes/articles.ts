// GET /v1/articles (search text, entity, date range, pages) and GET /v1/articles/:id.
import type { FastifyInstance } from 'fastify';
import { SqlArticleStore, type ArticleRecord } from '../../shared/store/article-store.js';
import type { ApiDeps, Guards } from '../deps.js';
import { apiError } from '../errors.js';
import { responses } from '../responses.js';

interface ArticleQuery {
  q?: string;
  entity?: string;
  since?: string;
  until?: string;
  limit: number;
  offset: number;
}

const articleQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    q: { type: 'string', maxLength: 500, description: 'Words, "quoted phrases", -excluded words' },
    entity: { type: 'string', maxLength: 200, description: 'Entity id: RU, person:vladimir-putin, org:nato' },
    since: { type: 'string', format: 'date-or-time', description: 'Published on or after (ISO date or time)' },
    until: { type: 'string', format: 'date-or-time', description: 'Published before (ISO date or time)' },
    limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
    offset: { type: 'integer', minimum: 0, maximum: 10_000, default: 0 },
  },
} as const;

/** A list entry: the record without its body (fetch /v1/articles/:id for that). */
function summary(r: ArticleRecord & { rank?: number }) {
  const { body: _body, entities, ...rest } = r;
  return { ...rest, entities: entities.map((e) => ({ id: e.id, name: e.name, type: e.type, salience: e.salience })) };
}

export function articleRoutes(app: FastifyInstance, deps: ApiDeps, guards: Guards): void {
  const store = new SqlArticleStore(deps.db);

  app.get<{ Querystring: ArticleQuery }>(
    '/v1/articles',
    {
      onRequest: guards.read,
      schema: {
        tags: ['articles'],
        summary: 'Search stored articles, best matches (then newest) first',
        response: responses({ 200: '{"items": [articles without body], "nextOffset"}' }, [400, 503]),
        querystring: articleQuery,
      },
    },
    async (request) => {
      const { q, entity, since, until, limit, offset } = request.query;
      if (since && until && Date.parse(since) >= Date.parse(until))
        throw apiError(400, 'bad_request', 'querystring/since must be before until');
      const found = await store.search({ text: q, entity, since, until, limit, offset });
      return { items: found.map(summary), nextOffset: found.length === limit ? offset + limit : null };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/articles/:id',
    {
      onRequest: guards.read,
      schema: {
        tags: ['articles'],
        summary: 'One stored article with its body and entities',
        response: responses({ 200: 'the article with its body and entities' }, [400, 404, 503]),
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 200 } } },
      },
    },
    async (request) => {
      const record = await store.getById(request.params.id);
      if (!record) throw apiError(404, 'not_found', `no article ${request.params.id}`);
      return record;
    },
  );
}
