// POST /v1/urls: submit one URL or many; GET /v1/urls/:requestId: how that submission ended.
import type { FastifyInstance } from 'fastify';
import { enqueueUrls, parseSubmittedUrl } from '../../queues/producer.js';
import { describeError } from '../../shared/errors.js';
import { MAX_URL_LENGTH } from '../../shared/fetch/url-limits.js';
import { RedisOutcomeStore } from '../../shared/outcomes/outcome.js';
import type { ApiDeps, Guards } from '../deps.js';
import { apiError } from '../errors.js';
import { responses } from '../responses.js';

const MAX_BATCH = 1_000;
const urlString = { type: 'string', minLength: 1, maxLength: MAX_URL_LENGTH } as const;

const submitBody = {
  type: 'object',
  additionalProperties: false,
  description: 'One URL (`url`) or a batch (`urls`); a batch with any invalid URL is refused whole.',
  properties: {
    url: urlString,
    urls: { type: 'array', minItems: 1, maxItems: MAX_BATCH, items: urlString },
  },
} as const;

const accepted = {
  type: 'object',
  properties: {
    accepted: {
      type: 'array',
      items: { type: 'object', properties: { url: { type: 'string' }, requestId: { type: 'string' } } },
    },
  },
} as const;

export function urlRoutes(app: FastifyInstance, deps: ApiDeps, guards: Guards): void {
  const outcomes = new RedisOutcomeStore(deps.redis, deps.config.NEWSLINE_PREFIX);

  app.post<{ Body: { url?: string; urls?: string[] } }>(
    '/v1/urls',
    {
      onRequest: guards.write,
      schema: {
        tags: ['urls'],
        summary: 'Submit URLs to the pipeline',
        response: { 202: accepted, ...responses({}, [400, 401, 403, 503]) },
        body: submitBody,
        security: [{ bearer: [] }],
      },
    },
    async (request, reply) => {
      if ((request.body.url === undefined) === (request.body.urls === undefined)) {
        throw apiError(400, 'bad_request', 'body must have either url or urls');
      }
      const urls = request.body.urls ?? [request.body.url!];
      const invalid = urls.flatMap((u, index) => {
        try {
          parseSubmittedUrl(u);
          return [];
        } catch (err) {
          return [{ index, url: u, message: describeError(err) }];
        }
      });
      if (invalid.length > 0) {
        const first = invalid[0]!;
        throw apiError(
          400,
          'invalid_url',
          `${request.body.urls ? `urls[${first.index}]: ` : ''}${first.message}${invalid.length > 1 ? ` (and ${invalid.length - 1} more)` : ''}`,
          { invalid },
        );
      }
      const enqueued = await enqueueUrls(deps.queues.fetch, urls);
      return reply.code(202).send({ accepted: enqueued });
    },
  );

  app.get<{ Params: { requestId: string } }>(
    '/v1/urls/:requestId',
    {
      onRequest: guards.read,
      schema: {
        tags: ['urls'],
        summary: 'The outcome of a submission (kept for a day), or pending',
        response: responses({ 200: 'the outcome, or {"outcome":"pending"}' }, [400, 404, 503]),
        params: { type: 'object', properties: { requestId: { type: 'string', maxLength: 200 } }, required: ['requestId'] },
      },
    },
    async (request) => {
      const { requestId } = request.params;
      const outcome = await outcomes.get(requestId);
      if (outcome) return outcome;
      const job = await deps.queues.fetch.getJob(requestId);
      if (!job) throw apiError(404, 'not_found', `no submission ${requestId} (outcomes are kept for a day)`);
      return { requestId, url: job.data.url, outcome: 'pending' };
    },
  );
}
