// The JSON Schemas of the events' data, served where the events' `dataschema` points: under the
// path of NEWSLINE_SCHEMA_BASE when it is an http(s) URL (point it at this API), else /schemas/.
import type { FastifyInstance } from 'fastify';
import { eventJsonSchema, eventTypes, type EventType } from '../../shared/events/event-data.js';
import type { ApiDeps, Guards } from '../deps.js';
import { apiError } from '../errors.js';
import { responses } from '../responses.js';

export function schemaRoutes(app: FastifyInstance, deps: ApiDeps, guards: Guards): void {
  const base = deps.config.NEWSLINE_SCHEMA_BASE;
  const prefix = /^https?:\/\//.test(base) ? new URL(base).pathname.replace(/\/?$/, '/') : '/schemas/';
  app.get<{ Params: { file: string } }>(
    `${prefix}:file`,
    {
      onRequest: guards.read,
      schema: {
        tags: ['events'],
        summary: 'The JSON Schema of an event type’s data (the events’ dataschema)',
        response: responses({ 200: 'a JSON Schema (draft-07)' }, [404]),
      },
    },
    async (request, reply) => {
      const type = request.params.file.replace(/\.json$/, '');
      if (!(eventTypes as string[]).includes(type)) throw apiError(404, 'not_found', `no schema ${request.params.file}`);
      return reply.type('application/schema+json').send(eventJsonSchema(type as EventType, base));
    },
  );
}
