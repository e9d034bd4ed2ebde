// GET /v1/events: the event stream as server-sent events. Each event's SSE id is its stream id,
// so a client that reconnects with Last-Event-ID (or ?after=) resumes without a gap; ?after=0
// replays what the stream still holds. Each open stream holds one Redis connection.
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { describeError } from '../../shared/errors.js';
import { eventsStreamKey, readEvents } from '../../shared/events/event-sink.js';
import type { ApiDeps, Guards } from '../deps.js';
import { apiError } from '../errors.js';

const STREAM_ID = '^(\\$|0|\\d+-\\d+)$';
const STREAM_ID_RE = new RegExp(STREAM_ID);
const KEEPALIVE_MS = 15_000;

interface EventsQuery {
  after?: string;
  type?: string;
}

export interface EventStreams {
  /** End every open stream (server shutdown). */
  closeAll(): void;
}

export function eventRoutes(app: FastifyInstance, deps: ApiDeps, guards: Guards): EventStreams {
  const key = eventsStreamKey(deps.config.NEWSLINE_PREFIX);
  const open = new Set<{ conn: Redis; end: () => void }>();

  app.get<{ Querystring: EventsQuery }>(
    '/v1/events',
    {
      onRequest: guards.read,
      schema: {
        tags: ['events'],
        summary: 'CloudEvents as server-sent events (resume with Last-Event-ID)',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            after: {
              type: 'string',
              pattern: STREAM_ID,
              description: 'Stream id to start after: 0 = all retained, $ = new only (default)',
            },
            type: { type: 'string', maxLength: 500, description: 'Comma-separated event type prefixes, e.g. news.article.stored' },
          },
        },
      },
    },
    async (request, reply) => {
      const lastEventId = request.headers['last-event-id'];
      const resume = typeof lastEventId === 'string' && STREAM_ID_RE.test(lastEventId) ? lastEventId : undefined;
      let after = resume ?? request.query.after ?? '$';
      const types = (request.query.type ?? '')
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean);
      if (open.size >= deps.config.NEWSLINE_API_MAX_STREAMS) {
        throw apiError(503, 'too_many_streams', `${open.size} event streams are open (NEWSLINE_API_MAX_STREAMS)`);
      }
      const conn = deps.redis.duplicate();
      conn.on('error', () => {}); // a lost connection ends the read loop below; the client resumes with Last-Event-ID
      try {
        await conn.connect();
      } catch (err) {
        conn.disconnect();
        throw apiError(503, 'unavailable', `cannot open an event stream: ${describeError(err)}`);
      }
      let closed = false;
      const end = () => {
        if (closed) return;
        closed = true;
        conn.disconnect();
        reply.raw.end();
      };
      const stream = { conn, end };
      open.add(stream);
      request.raw.on('close', end);
      reply.hijack();
      reply.raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      reply.raw.write(': newsline events\n\n');
      try {
        while (!closed) {
          const batch = await readEvents(conn, key, { after, count: 100, blockMs: KEEPALIVE_MS });
          if (batch.length === 0) reply.raw.write(': keep-alive\n\n');
          for (const { streamId, event } of batch) {
            after = streamId;
            if (types.length > 0 && !types.some((t) => event.type.startsWith(t))) continue;
            reply.raw.write(`id: ${streamId}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
          }
        }
      } catch (err) {
        if (!closed) request.log.warn({ err: String(err) }, 'event stream ended');
      } finally {
        open.delete(stream);
        end();
      }
    },
  );

  return {
    closeAll() {
      for (const s of open) s.end();
    },
  };
}
