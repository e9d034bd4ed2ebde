// Fetch one page: redirects followed by hand (each hop re-checked), conditional requests,
// bodies capped while streaming and again after decompression, failures classified for the
// job runner.
import { Agent, buildConnector, type Dispatcher } from 'undici';
import { PermanentError } from '../errors.js';
import { AddressPolicy, type AddressPolicyOptions } from './address-guard.js';
import { classifyNetworkError, classifyStatus } from './classify.js';
import { discard, readBody } from './read-body.js';
import type { ReasonCode } from '../outcomes/reasons.js';
import { settingDefault } from '../settings.js';

export interface HttpClientOptions extends AddressPolicyOptions {
  /** Sent on every request. */
  userAgent: string;
  /**
   * Deadline for the whole fetch, redirects and body included (a trickling server is cut off).
   * @defaultValue FETCH_TIMEOUT_MS
   */
  timeoutMs?: number;
  /**
   * Largest body accepted, compressed or decompressed.
   * @defaultValue FETCH_MAX_BYTES
   */
  maxBytes?: number;
  /**
   * Redirect hops followed before giving up.
   * @defaultValue FETCH_MAX_REDIRECTS
   */
  maxRedirects?: number;
  /** Called with the status of every response a GET receives, redirects included (metrics). */
  onResponse?: (status: number) => void;
}

/** ETag / Last-Modified of an earlier fetch, sent back as If-None-Match / If-Modified-Since. */
export interface Validators {
  etag?: string | undefined;
  lastModified?: string | undefined;
}

export type SkipReason = Extract<ReasonCode, 'content_type' | 'too_large' | 'robots'>;

export type FetchOutcome =
  | {
      kind: 'fetched';
      finalUrl: string;
      status: number;
      contentType: string;
      body: Buffer;
      redirects: string[];
      validators: Validators;
    }
  | { kind: 'not_modified'; finalUrl: string }
  | { kind: 'skipped'; reason: SkipReason; detail: string; finalUrl: string };

export interface FetchPageOptions {
  /** Make the request conditional on these. */
  validators?: Validators | null;
  /** Accept any content type (feeds, sitemaps), not only HTML. */
  anyType?: boolean;
  /**
   * Called before each redirect hop is requested (the first URL is the caller's to check);
   * returning a reason ends the fetch as skipped.
   */
  beforeRedirect?: (url: URL) => Promise<{ reason: SkipReason; detail: string } | null>;
}

export interface RawResponse {
  finalUrl: URL;
  status: number;
  headers: Dispatcher.ResponseData['headers'];
  body: Dispatcher.ResponseData['body'];
  redirects: string[];
}

const HTML_TYPES = new Set(['text/html', 'application/xhtml+xml']);
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export function header(headers: Dispatcher.ResponseData['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The one HTTP client of the pipeline: a guarded undici dispatcher plus the fetch rules. */
export class HttpClient {
  readonly policy: AddressPolicy;
  readonly userAgent: string;
  readonly timeoutMs: number;
  readonly maxBytes: number;
  private readonly maxRedirects: number;
  private readonly dispatcher: Agent;
  private readonly onResponse: ((status: number) => void) | undefined;

  constructor(options: HttpClientOptions) {
    this.policy = new AddressPolicy(options);
    this.userAgent = options.userAgent;
    this.timeoutMs = options.timeoutMs ?? settingDefault('FETCH_TIMEOUT_MS');
    this.maxBytes = options.maxBytes ?? settingDefault('FETCH_MAX_BYTES');
    this.maxRedirects = options.maxRedirects ?? settingDefault('FETCH_MAX_REDIRECTS');
    this.onResponse = options.onResponse;
    const connectors = new Map<number, buildConnector.connector>();
    this.dispatcher = new Agent({
      // Each connection's lookup knows its port: an allow-list entry may allow one port of a host only.
      connect: (opts, callback) => {
        const port = Number(opts.port) || (opts.protocol === 'https:' ? 443 : 80);
        let connector = connectors.get(port);
        if (!connector) {
          connector = buildConnector({
            lookup: this.policy.lookupFor(port),
            timeout: Math.min(this.timeoutMs, 10_000),
          } as buildConnector.BuildOptions);
          connectors.set(port, connector);
        }
        connector(opts, callback);
      },
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
      keepAliveTimeout: 4_000,
      connections: 64,
    });
  }

  async fetchPage(rawUrl: string, options: FetchPageOptions = {}): Promise<FetchOutcome> {
    const signal = AbortSignal.timeout(this.timeoutMs);
    const conditional: Record<string, string> = {};
    if (options.validators?.etag) conditional['if-none-match'] = options.validators.etag;
    if (options.validators?.lastModified) conditional['if-modified-since'] = options.validators.lastModified;
    const res = await this.follow(new URL(rawUrl), {
      signal,
      headers: {
        accept: options.anyType
          ? 'application/rss+xml,application/atom+xml,application/feed+json,application/xml;q=0.9,text/html;q=0.8,*/*;q=0.5'
          : 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.5',
        ...conditional,
      },
      maxRedirects: this.maxRedirects,
      beforeRedirect: options.beforeRedirect,
    });
    if ('skip' in res) return { kind: 'skipped', ...res.skip };
    const finalUrl = res.finalUrl.href;
    if (res.status === 304) {
      discard(res.body);
      return { kind: 'not_modified', finalUrl };
    }
    if (res.status >= 400) {
      discard(res.body);
      throw classifyStatus(res.status, header(res.headers, 'retry-after'), res.finalUrl);
    }
    const contentType = (header(res.headers, 'content-type') ?? '').toLowerCase();
    const mime = contentType.split(';')[0]!.trim();
    if (!options.anyType && mime !== '' && !HTML_TYPES.has(mime)) {
      discard(res.body);
      return { kind: 'skipped', reason: 'content_type', detail: `not HTML: ${mime}`, finalUrl };
    }
    const body = await readBody(res, this.maxBytes, signal);
    if (body === null) {
      return { kind: 'skipped', reason: 'too_large', detail: `body larger than ${this.maxBytes} bytes`, finalUrl };
    }
    return {
      kind: 'fetched',
      finalUrl,
      status: res.status,
      contentType,
      body,
      redirects: res.redirects,
      validators: { etag: header(res.headers, 'etag'), lastModified: header(res.headers, 'last-modified') },
    };
  }

  /**
   * GET `url`, following redirects by hand: every hop is checked against the address policy
   * (and by `beforeRedirect`), loops and more than `maxRedirects` hops are refused.
   */
  async follow(
    start: URL,
    options: {
      signal: AbortSignal;
      headers: Record<string, string>;
      maxRedirects: number;
      beforeRedirect?: FetchPageOptions['beforeRedirect'];
    },
  ): Promise<RawResponse | { skip: { reason: SkipReason; detail: string; finalUrl: string } }> {
    const seen = new Set<string>();
    const redirects: string[] = [];
    let url = start;
    for (;;) {
      this.checkTarget(url);
      seen.add(url.href);
      const res = await this.send(url, options.headers, options.signal);
      this.onResponse?.(res.statusCode);
      if (!REDIRECT_STATUSES.has(res.statusCode)) {
        return { finalUrl: url, status: res.statusCode, headers: res.headers, body: res.body, redirects };
      }
      discard(res.body);
      const location = header(res.headers, 'location');
      if (!location) throw new PermanentError('bad_redirect', `${res.statusCode} without Location from ${url.href}`);
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        throw new PermanentError('bad_redirect', `unparsable Location ${JSON.stringify(location)} from ${url.href}`);
      }
      if (next.protocol !== 'http:' && next.protocol !== 'https:') {
        throw new PermanentError('bad_redirect', `redirect to a ${next.protocol} URL from ${url.href}`);
      }
      // Credentials a redirect hands out are not sent, and not kept as the article's URL.
      next.username = '';
      next.password = '';
      if (seen.has(next.href)) throw new PermanentError('redirect_loop', `redirect loop at ${next.href}`);
      if (redirects.length >= options.maxRedirects) {
        throw new PermanentError('too_many_redirects', `more than ${options.maxRedirects} redirects from ${start.href}`);
      }
      redirects.push(next.href);
      url = next;
      const skip = await options.beforeRedirect?.(next);
      if (skip) return { skip: { ...skip, finalUrl: next.href } };
    }
  }

  /**
   * POST a JSON body (webhook deliveries): the same address guard and deadline as fetches, no
   * redirects followed. Returns the status; network failures throw classified errors.
   */
  async postJson(rawUrl: string, body: string, headers: Record<string, string>): Promise<number> {
    const url = new URL(rawUrl);
    this.checkTarget(url);
    try {
      const res = await this.dispatcher.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        signal: AbortSignal.timeout(this.timeoutMs),
        headers: { 'user-agent': this.userAgent, 'content-type': 'application/json', ...headers },
        body,
      });
      discard(res.body);
      return res.statusCode;
    } catch (err) {
      throw classifyNetworkError(err, url);
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

  private async send(url: URL, headers: Record<string, string>, signal: AbortSignal): Promise<Dispatcher.ResponseData> {
    try {
      return await this.dispatcher.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: 'GET',
        signal,
        headers: { 'user-agent': this.userAgent, 'accept-encoding': 'gzip, deflate, br', ...headers },
      });
    } catch (err) {
      throw classifyNetworkError(err, url);
    }
  }
}
