// Errors that say what a worker should do with them. Control flow reads `retry` and `code`,
// never the message. Codes come from the registry in outcomes/reasons.ts.
import type { ReasonCode } from './outcomes/reasons.js';

/** How the job runner treats a failure. */
export type RetryPolicy = 'permanent' | 'retry' | 'rate-limited';

export class NewslineError extends Error {
  readonly code: ReasonCode;
  readonly retry: RetryPolicy;
  /** For `rate-limited`: when to try again (epoch ms). */
  readonly retryAt: number | undefined;

  constructor(code: ReasonCode, message: string, retry: RetryPolicy, options: { cause?: unknown; retryAt?: number | undefined } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retry = retry;
    this.retryAt = options.retryAt;
  }
}

/** Will never succeed: a bad payload, a 404, a forbidden address. */
export class PermanentError extends NewslineError {
  constructor(code: ReasonCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, 'permanent', options);
  }
}

/**
 * May succeed later: a timeout, a 5xx, a database that is restarting. Uses one of the job's
 * attempts; `retryAt` (a server's Retry-After) replaces the exponential backoff for this retry.
 */
export class RetryableError extends NewslineError {
  constructor(code: ReasonCode, message: string, options: { cause?: unknown; retryAt?: number | undefined } = {}) {
    super(code, message, 'retry', { cause: options.cause, retryAt: options.retryAt });
  }
}

/**
 * Not yet: our own politeness says wait until `retryAt`. The job is put back as delayed without
 * using an attempt.
 */
export class RateLimitedError extends NewslineError {
  constructor(code: ReasonCode, message: string, retryAt: number, options: { cause?: unknown } = {}) {
    super(code, message, 'rate-limited', { ...options, retryAt });
  }
}

/** Bad settings; the process cannot start. */
export class ConfigError extends NewslineError {
  constructor(message: string) {
    super('config', message, 'permanent');
  }
}

/** A backing service (Redis, PostgreSQL) cannot be reached. */
export class UnavailableError extends NewslineError {
  constructor(code: ReasonCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, 'retry', options);
  }
}

export function isNewslineError(err: unknown): err is NewslineError {
  return err instanceof NewslineError;
}

/** A short, single-line description of any thrown value. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message.split('\n')[0] ?? err.name;
  return String(err);
}
