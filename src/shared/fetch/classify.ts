// What a failed request means for the job: retry, retry at a time the server gave, or give up.
import { PermanentError, RetryableError } from '../errors.js';
import { httpReason } from '../outcomes/reasons.js';
import { FORBIDDEN_ADDRESS } from './address-guard.js';

/** Longest Retry-After we honour; beyond it we come back after this long. */
const MAX_RETRY_AFTER_MS = 6 * 3_600_000;

/** Retry-After as an epoch-ms time: delta-seconds or an HTTP-date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  let at: number;
  if (/^\d+$/.test(trimmed)) at = now + Number(trimmed) * 1000;
  else {
    const date = Date.parse(trimmed);
    if (Number.isNaN(date)) return null;
    at = Math.max(date, now);
  }
  return Math.min(at, now + MAX_RETRY_AFTER_MS);
}

export function classifyStatus(status: number, retryAfter: string | undefined, url: URL): Error {
  const code = httpReason(status);
  const message = `${url.href} answered ${status}`;
  if (status === 429 || status === 503) {
    const at = parseRetryAfter(retryAfter);
    return new RetryableError(code, at === null ? message : `${message}; retry after ${new Date(at).toISOString()}`, {
      retryAt: at ?? undefined,
    });
  }
  if (status === 408 || status >= 500) return new RetryableError(code, message);
  return new PermanentError(code, message);
}

function causeChain(err: unknown): Array<{ code?: string; name?: string; message?: string }> {
  const chain = [];
  let current: unknown = err;
  for (let i = 0; current && i < 6; i++) {
    chain.push(current as { code?: string; name?: string; message?: string });
    current = (current as { cause?: unknown }).cause;
  }
  return chain;
}

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'TimeoutError', 'ETIMEDOUT']);

export function classifyNetworkError(err: unknown, url: URL): Error {
  if (err instanceof PermanentError || err instanceof RetryableError) return err;
  const chain = causeChain(err);
  const forbidden = chain.find((e) => e.code === FORBIDDEN_ADDRESS);
  if (forbidden) return new PermanentError('forbidden_address', forbidden.message ?? 'forbidden address', { cause: err });
  // undici sets string codes; a DOMException (the abort signal's TimeoutError) has a numeric one.
  const codes = chain.flatMap((e) => [e.code, e.name]).filter((c): c is string => typeof c === 'string');
  if (codes.some((c) => TIMEOUT_CODES.has(c))) {
    return new RetryableError('timeout', `timed out fetching ${url.href}`, { cause: err });
  }
  if (codes.includes('ENOTFOUND')) return new RetryableError('dns', `cannot resolve ${url.hostname}`, { cause: err });
  if (codes.some((c) => c.startsWith('Z_') || c.startsWith('ERR_BROTLI') || c === 'ERR__ERROR_FORMAT_PADDING_1')) {
    return new PermanentError('bad_encoding', `corrupt compressed body from ${url.href}`, { cause: err });
  }
  const first = chain[0];
  return new RetryableError('connection', `${first?.code ?? 'network error'} fetching ${url.href}`, { cause: err });
}
