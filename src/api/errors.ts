// How the API reports errors: a status, a stable `error` code and one line of `message`.
import type { FastifyError, FastifyInstance } from 'fastify';
import { describeError, isNewslineError } from '../shared/errors.js';

export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export function apiError(statusCode: number, code: string, message: string, extra: Record<string, unknown> = {}): ApiError {
  return new ApiError(statusCode, code, message, extra);
}

export interface ErrorHandlerOptions {
  /** The backing service that is down now (e.g. "Redis"), or null: an unexpected error then answers 503, not 500. */
  unavailable?: () => string | null;
}

/** Seconds a client is asked to wait while a backing service is down. */
const RETRY_AFTER_S = 5;

export function installErrorHandlers(app: FastifyInstance, options: ErrorHandlerOptions = {}): void {
  app.setErrorHandler((err: FastifyError | ApiError | Error, request, reply) => {
    if (err instanceof ApiError) return reply.code(err.statusCode).send({ error: err.code, message: err.message, ...err.extra });
    if ('validation' in err && err.validation) return reply.code(400).send({ error: 'bad_request', message: err.message });
    // Errors the domain calls permanent are the caller's to fix (a bad URL, an unknown time zone).
    if (isNewslineError(err) && err.retry === 'permanent') return reply.code(422).send({ error: err.code, message: err.message });
    const status = 'statusCode' in err && typeof err.statusCode === 'number' ? err.statusCode : 500;
    if (status < 500) return reply.code(status).send({ error: 'bad_request', message: err.message });
    const down = options.unavailable?.();
    if (down) {
      return reply
        .code(503)
        .header('retry-after', String(RETRY_AFTER_S))
        .send({ error: 'unavailable', message: `${down} is unavailable; retry in a few seconds` });
    }
    request.log.error({ err: describeError(err) }, 'request failed');
    const unavailable = isNewslineError(err) && err.retry !== 'permanent';
    return reply.code(unavailable ? 503 : 500).send({ error: unavailable ? 'unavailable' : 'internal', message: describeError(err) });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ error: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` }),
  );
}
