// Fetch one page: redirects followed by hand (each hop re-checked), bodies capped while
// streaming and again after decompression, failures classified for the job runner.
import { Agent, type Dispatcher } from 'undici';
import zlib from 'node:zlib';
import { pipeline, type Readable } from 'node:stream';
import { PermanentError, RateLimitedError, RetryableError } from '../errors.js';
import { AddressPolicy, FORBIDDEN_ADDRESS, type AddressPolicyOptions } from './address-guard.js';

export interface HttpClientOptions extends AddressPolicyOptions {
  /** Sent on every request. */
  userAgent: string;
  /**
   * Deadline for the whole fetch, redirects and body included (a trickling server is cut off).
   * @defaultValue 15000
   */
  timeoutMs?: number;
  /**
   * Largest body accepted, compressed or decompressed.
   * @defaultValue 5 MiB
   */
  maxBytes?: number;
  /**
   * Redirect hops followed before giving up.
   * @defaultValue 5
   */
  maxRedirects?: number;
}

export type FetchOutcome =
  | {
      kind: 'fetched';
      finalUrl: string;
      status: number;
      contentType: string;
      body: Buffer;
      redirects: string[];
    }
  | { kind: 'skipped'; reason: 'content_type' | 'too_large'; detail: string; finalUrl: string };

const HTML_TYPES = new Set(['text/html', 'application/xhtml+xml']);
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** The one HTTP client of the pipeline: a guarded undici dispatcher plus the fetch rules. */
export class HttpClient {
  readonly policy: AddressPolicy;
  private readonly dispatcher: Agent;
  private readonly userAgent: string;
  private readonly timeoutMs: number;
  private readonly maxBytes: number;
  private readonly maxRedirects: number;

  constructor(options: HttpClientOptions) {
    this.policy = new AddressPolicy(options);
    this.userAgent = options.userAgent;
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
    this.maxRedirects = options.maxRedirects ?? 5;
    this.dispatcher = new Agent({
      connect: { lookup: this.policy.lookup, timeout: Math.min(this.timeoutMs, 10_000) },
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
      keepAliveTimeout: 4_000,
      connections: 64,
    });
  }

  async fetchPage(rawUrl: string): Promise<FetchOutcome> {
    const signal = AbortSignal.timeout(this.timeoutMs);
    const seen = new Set<string>();
    const redirects: string[] = [];
    let url = new URL(rawUrl);
    for (;;) {
      this.checkTarget(url);
      seen.add(url.href);
      const res = await this.send(url, signal);
      if (REDIRECT_STATUSES.has(res.statusCode)) {
        discard(res.body);
        const location = header(res.headers, 'location');
        if (!location) throw new PermanentError('bad_redirect', `${res.statusCode} without Location from ${url.href}`);
        const next = new URL(location, url);
        if (seen.has(next.href)) throw new PermanentError('redirect_loop', `redirect loop at ${next.href}`);
        if (redirects.length >= this.maxRedirects) {
          throw new PermanentError('too_many_redirects', `more than ${this.maxRedirects} redirects from ${rawUrl}`);
        }
        redirects.push(next.href);
        url = next;
        continue;
      }
      return await this.readResponse(url, res, redirects, signal);
    }
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }

  private checkTarget(url: URL): void {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new PermanentError('bad_scheme', `refusing ${url.protocol} URL ${url.href}`);
    }
    try {
      this.policy.checkUrl(url);
    } catch (err) {
      throw new PermanentError('forbidden_address', (err as Error).message, { cause: err });
    }
  }

  private async send(url: URL, signal: AbortSignal): Promise<Dispatcher.ResponseData> {
    try {
      return await this.dispatcher.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: 'GET',
        signal,
        headers: {
          'user-agent': this.userAgent,
          accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.5',
          'accept-encoding': 'gzip, deflate, br',
        },
      });
    } catch (err) {
      throw classifyNetworkError(err, url);
    }
  }

  private async readResponse(
    url: URL,
    res: Dispatcher.ResponseData,
    redirects: string[],
    signal: AbortSignal,
  ): Promise<FetchOutcome> {
    const status = res.statusCode;
    if (status >= 400) {
      discard(res.body);
      throw classifyStatus(status, header(res.headers, 'retry-after'), url);
    }
    const contentType = (header(res.headers, 'content-type') ?? '').toLowerCase();
    const mime = contentType.split(';')[0]!.trim();
    if (mime !== '' && !HTML_TYPES.has(mime)) {
      discard(res.body);
      return { kind: 'skipped', reason: 'content_type', detail: `not HTML: ${mime}`, finalUrl: url.href };
    }
    const declared = Number(header(res.headers, 'content-length') ?? NaN);
    if (declared > this.maxBytes) {
      discard(res.body);
      return this.tooLarge(url, `Content-Length ${declared} exceeds ${this.maxBytes} bytes`);
    }
    let body: Buffer | null;
    try {
      body = await readCapped(decode(res.body, header(res.headers, 'content-encoding')), this.maxBytes, signal);
    } catch (err) {
      throw classifyNetworkError(err, url);
    } finally {
      discard(res.body);
    }
    if (body === null) return this.tooLarge(url, `body exceeds ${this.maxBytes} bytes`);
    return { kind: 'fetched', finalUrl: url.href, status, contentType, body, redirects };
  }

  private tooLarge(url: URL, detail: string): FetchOutcome {
    return { kind: 'skipped', reason: 'too_large', detail, finalUrl: url.href };
  }
}

function header(headers: Dispatcher.ResponseData['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Stop reading a body we do not want; its abort error is expected and ignored. */
function discard(body: Readable): void {
  if (body.destroyed) return;
  body.on('error', () => {});
  body.destroy();
}

function decode(body: Readable, encoding: string | undefined): Readable {
  const decoder = (() => {
    switch (encoding?.trim().toLowerCase()) {
      case 'gzip':
      case 'x-gzip':
        return zlib.createGunzip();
      case 'deflate':
        return zlib.createInflate();
      case 'br':
        return zlib.createBrotliDecompress();
      default:
        return null;
    }
  })();
  // pipeline() carries an error on either side to the stream we read from.
  return decoder ? pipeline(body, decoder, () => {}) : body;
}

/** Read at most `maxBytes` (after decompression); `null` when the body is larger. */
async function readCapped(stream: Readable, maxBytes: number, signal: AbortSignal): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  const onAbort = () => stream.destroy(signal.reason as Error);
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    for await (const chunk of stream) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) {
        discard(stream);
        return null;
      }
      chunks.push(chunk as Buffer);
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
  return Buffer.concat(chunks, size);
}

/** Retry-After as an epoch-ms time: delta-seconds or an HTTP-date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return now + Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(date, now);
}

function classifyStatus(status: number, retryAfter: string | undefined, url: URL): Error {
  const code = `http_${status}`;
  const message = `${url.href} answered ${status}`;
  const at = parseRetryAfter(retryAfter);
  if ((status === 429 || status === 503) && at !== null) return new RateLimitedError(code, message, at);
  if (status === 429 || status === 408 || status >= 500) return new RetryableError(code, message);
  return new PermanentError(code, message);
}

function causeChain(err: unknown): Array<{ code?: string; name?: string; message?: string }> {
  const chain = [];
  let current: unknown = err;
  for (let i = 0; current && i < 5; i++) {
    chain.push(current as { code?: string; name?: string; message?: string });
    current = (current as { cause?: unknown }).cause;
  }
  return chain;
}

function classifyNetworkError(err: unknown, url: URL): Error {
  const chain = causeChain(err);
  const forbidden = chain.find((e) => e.code === FORBIDDEN_ADDRESS);
  if (forbidden) return new PermanentError('forbidden_address', forbidden.message ?? 'forbidden address', { cause: err });
  const codes = chain.map((e) => e.code ?? e.name ?? '');
  const timedOut = codes.some((c) =>
    ['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'TimeoutError', 'ETIMEDOUT'].includes(c),
  );
  if (timedOut) return new RetryableError('timeout', `timed out fetching ${url.href}`, { cause: err });
  if (codes.includes('ENOTFOUND')) return new RetryableError('dns', `cannot resolve ${url.hostname}`, { cause: err });
  if (codes.some((c) => c.startsWith('Z_') || c === 'ERR__ERROR_FORMAT_PADDING_1')) {
    return new PermanentError('bad_encoding', `corrupt compressed body from ${url.href}`, { cause: err });
  }
  const first = chain[0];
  return new RetryableError('connection', `${first?.code ?? 'network error'} fetching ${url.href}: ${first?.message ?? ''}`.trim(), {
    cause: err,
  });
}
