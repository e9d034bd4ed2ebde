// GET /v1/events: the event stream as server-sent events. Each event's SSE id is its stream id,
// so a client that reconnects with Last-Event-ID (or ?after=) resumes without a gap; ?after=0
// replays what the stream still holds. Every client reads through the API's one EventHub; a
// client is written to only while its socket drains, and dropped when it stops reading.
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { eventsStreamKey } from '../../shared/events/event-sink.js';
import type { ApiDeps, Guards } from '../deps.js';
import { apiError } from '../errors.js';
import { EventHub, parseStreamId, type StreamId } from '../event-hub.js';
import { responses } from '../responses.js';

const AFTER_PATTERN = '^(\\$|0|\\d{1,20}-\\d{1,20})$';

export interface EventStreamOptions {
  /**
   * A client whose socket takes nothing for this long is dropped (it reconnects with Last-Event-ID).
   * @defaultValue 30000
   */
  stallMs?: number;
}

interface EventsQuery {
  after?: string;
  type?: string;
}

export interface EventStreams {
  /** Clients being served now. */
  readonly open: number;
  /** End every open stream and stop the reader (server shutdown). */
  closeAll(): void;
}

/** Write `chunk`; when the socket is full, wait until it drains, for at most `stallMs`. */
async function writeWithBackpressure(raw: ServerResponse, chunk: string, stallMs: number, signal: AbortSignal): Promise<boolean> {
  if (raw.write(chunk)) return true;
  const stalled = AbortSignal.timeout(stallMs);
  try {
    await once(raw, 'drain', { signal: AbortSignal.any([signal, stalled]) });
    return true;
  } catch {
    return false;
  }
}

export function eventRoutes(app: FastifyInstance, deps: ApiDeps, guards: Guards, options: EventStreamOptions = {}): EventStreams {
  const stallMs = options.stallMs ?? 30_000;
  const hub = new EventHub(deps.redis, eventsStreamKey(deps.config.NEWSLINE_PREFIX), deps.log);
  const open = new Set<AbortController>();

  /** Where a client starts: after this id. Refuses an id the stream could not have issued. */
  const startingPoint = async (lastEventId: string | undefined, after: string | undefined): Promise<StreamId> => {
    const given = lastEventId ?? after ?? '$';
    await hub.start();
    if (given === '$') return hub.latest();
    if (given === '0') return [0, 0];
    const id = parseStreamId(given);
    const head = await hub.latest();
    const field = lastEventId !== undefined ? 'Last-Event-ID' : 'querystring/after';
    if (!id) throw apiError(400, 'bad_request', `${field} must be a stream id such as 1718870400000-0, 0 or $`);
    if (id[0] > head[0] || (id[0] === head[0] && id[1] > head[1])) {
      throw apiError(400, 'bad_request', `${field} ${given} is after the newest event on the stream`);
    }
    return id;
  };

  app.get<{ Querystring: EventsQuery }>(
    '/v1/events',
    {
      onRequest: guards.read,
      schema: {
        tags: ['events'],
        summary: 'CloudEvents as server-sent events (resume with Last-Event-ID)',
        response: responses({ 200: { description: 'text/event-stream: one SSE event a CloudEvent', body: 'text' } }, [400, 401, 403, 503]),
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            after: {
              type: 'string',
              pattern: AFTER_PATTERN,
              description: 'Stream id to start after: 0 = all retained, $ = new only (default)',
            },
            type: { type: 'string', maxLength: 500, description: 'Comma-separated event type prefixes, e.g. news.article.stored' },
          },
        },
      },
    },
    async (request, reply) => {
      // The slot is taken before anything is awaited, so concurrent opens cannot overrun the limit.
      if (open.size >= deps.config.NEWSLINE_API_MAX_STREAMS) {
        throw apiError(503, 'too_many_streams', `${open.size} event streams are open (NEWSLINE_API_MAX_STREAMS)`);
      }
      const stop = new AbortController();
      open.add(stop);
      try {
        const header = request.headers['last-event-id'];
        const lastEventId = typeof header === 'string' && header.trim() !== '' ? header.trim() : undefined;
        let cursor = await startingPoint(lastEventId, request.query.after);
        const types = (request.query.type ?? '')
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean);
        const raw = reply.raw;
        raw.on('close', () => stop.abort());
        reply.hijack();
        raw.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
        });
        const write = (chunk: string) => writeWithBackpressure(raw, chunk, stallMs, stop.signal);
        let ok = await write(': newsline events\n\n');
        while (ok && !stop.signal.aborted && !hub.isStopped) {
          const page = await hub.after(cursor);
          if (page.length === 0) {
            await hub.waitForMore(stop.signal);
            // Nothing new within the reader's block: a comment keeps proxies from closing the stream.
            if (!stop.signal.aborted && (await hub.after(cursor)).length === 0) ok = await write(': keep-alive\n\n');
            continue;
          }
          // A page goes out as one write: its frames, then wait for the socket to take it.
          let frames = '';
          for (const { streamId, type, json } of page) {
            if (types.length > 0 && !types.some((t) => type.startsWith(t))) continue;
            frames += `id: ${streamId}\nevent: ${type}\ndata: ${json}\n\n`;
          }
          cursor = page.at(-1)!.id;
          if (frames) ok = await write(frames);
        }
        if (ok) raw.end();
        else {
          if (!stop.signal.aborted) request.log.info('event stream client stopped reading; dropped');
          raw.destroy();
        }
      } finally {
        open.delete(stop);
        stop.abort();
      }
    },
  );

  return {
    get open() {
      return open.size;
    },
    closeAll() {
      for (const s of open) s.abort();
      hub.stop();
    },
  };
}
