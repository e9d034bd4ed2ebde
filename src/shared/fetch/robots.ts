// robots.txt per origin (RFC 9309): fetched once, cached in Redis, consulted before every
// request and every redirect hop.
import robotsParserModule from 'robots-parser';
import type { Redis } from 'ioredis';
import { PermanentError, RetryableError, isNewslineError } from '../errors.js';
import { discard, readBody } from './read-body.js';
import type { HttpClient } from './fetch-page.js';
import { settingDefault } from '../settings.js';

interface ParsedRobots {
  isDisallowed(url: string, ua?: string): boolean | undefined;
  getCrawlDelay(ua?: string): number | undefined;
  getSitemaps(): string[];
}
// A CommonJS module whose export is the parser function itself.
const robotsParser = robotsParserModule as unknown as (url: string, body: string) => ParsedRobots;

/** The `Sitemap:` URLs a robots.txt lists. */
export function robotsSitemaps(origin: string, body: string): string[] {
  const robotsUrl = `${origin}/robots.txt`;
  // `Sitemap:` lines may be relative: they are resolved against the robots.txt URL.
  return robotsParser(robotsUrl, body)
    .getSitemaps()
    .flatMap((s) => (URL.canParse(s.trim(), robotsUrl) ? [new URL(s.trim(), robotsUrl).href] : []));
}

const RULE_LINE = /^(\s*)(user-agent|allow|disallow)(\s*:\s*|\s+)(.*)$/i;

/**
 * A robots.txt as its author meant it, before robots-parser reads it: a missing colon after a
 * rule's name is supplied (`disallow /`), and a user-agent line names the product token up to its
 * first space (`User-Agent: FOO BAR` is the group of `foo`), as google/robotstxt reads them.
 */
export function normalizeRobots(body: string): string {
  return body
    .split(/\r\n|\r|\n/)
    .map((line) => {
      const m = RULE_LINE.exec(line);
      if (!m) return line;
      const [, indent, name, , value] = m;
      const kept = name!.toLowerCase() === 'user-agent' ? value!.trim().split(/\s+/)[0]! : value!;
      return `${indent}${name}: ${kept}`;
    })
    .join('\n');
}

function parse(origin: string, body: string): ParsedRobots {
  return robotsParser(`${origin}/robots.txt`, normalizeRobots(body));
}

/** Whether `userAgent` may fetch `url` by the rules of `body`, the robots.txt of the URL's origin. */
export function robotsAllows(body: string, userAgent: string, url: string): boolean {
  const origin = URL.canParse(url) ? new URL(url).origin : 'http://invalid';
  return !parse(origin, body).isDisallowed(url, userAgent);
}

/** What we know of one origin's robots.txt. */
export type RobotsRecord =
  | { state: 'rules'; body: string }
  /** 4xx, or too many redirects: no restrictions (RFC 9309 §2.3.1.3). */
  | { state: 'allow-all' }
  /** 5xx or unreachable: assume complete disallow until `retryAt` (§2.3.1.4). */
  | { state: 'unavailable'; retryAt: number };

export interface RobotsCache {
  get(origin: string): Promise<RobotsRecord | null>;
  set(origin: string, record: RobotsRecord, ttlSeconds: number): Promise<void>;
}

export class RedisRobotsCache implements RobotsCache {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}
  async get(origin: string): Promise<RobotsRecord | null> {
    const raw = await this.redis.get(`${this.prefix}:robots:${origin}`);
    return raw === null ? null : (JSON.parse(raw) as RobotsRecord);
  }
  async set(origin: string, record: RobotsRecord, ttlSeconds: number): Promise<void> {
    await this.redis.set(`${this.prefix}:robots:${origin}`, JSON.stringify(record), 'EX', Math.max(1, Math.ceil(ttlSeconds)));
  }
}

export interface RobotsPolicyOptions {
  /**
   * How long fetched rules are trusted.
   * @defaultValue FETCH_ROBOTS_TTL_S
   */
  ttlSeconds?: number;
  /**
   * After a 5xx or network failure, how long the origin counts as disallowed before robots.txt
   * is asked again.
   * @defaultValue FETCH_ROBOTS_RETRY_MS
   */
  retryMs?: number;
}

export type RobotsVerdict = { allowed: true; crawlDelayMs: number | null } | { allowed: false };

/** RFC 9309 §2.5: parse at least 500 KiB. */
const ROBOTS_MAX_BYTES = 512 * 1024;
/** Parsed rules kept in this process, so a busy origin is not re-parsed for every URL. */
const LOCAL_TTL_MS = 60_000;

export class RobotsPolicy {
  private readonly ttlSeconds: number;
  private readonly retryMs: number;
  private readonly agent: string;
  private readonly local = new Map<string, { record: RobotsRecord; parsed: ParsedRobots | null; until: number }>();

  constructor(
    private readonly http: HttpClient,
    private readonly cache: RobotsCache,
    options: RobotsPolicyOptions = {},
  ) {
    this.ttlSeconds = options.ttlSeconds ?? settingDefault('FETCH_ROBOTS_TTL_S');
    this.retryMs = options.retryMs ?? settingDefault('FETCH_ROBOTS_RETRY_MS');
    // Rules are matched against the product token: "newsline/0.1 (+…)" → "newsline".
    this.agent = http.userAgent.split(/[/\s]/)[0] || http.userAgent;
  }

  /** May `url` be fetched? Throws a retryable error while the origin's robots.txt is unavailable. */
  async check(url: URL): Promise<RobotsVerdict> {
    const entry = await this.entry(url.origin);
    const { record } = entry;
    if (record.state === 'unavailable') {
      throw new RetryableError(
        'robots_unavailable',
        `robots.txt of ${url.origin} is unavailable; treating the site as disallowed for now`,
        {
          retryAt: record.retryAt,
        },
      );
    }
    if (record.state === 'allow-all' || !entry.parsed) return { allowed: true, crawlDelayMs: null };
    if (entry.parsed.isDisallowed(url.href, this.agent)) return { allowed: false };
    const delay = entry.parsed.getCrawlDelay(this.agent);
    return { allowed: true, crawlDelayMs: typeof delay === 'number' && delay > 0 ? delay * 1000 : null };
  }

  private async entry(origin: string) {
    const now = Date.now();
    const cached = this.local.get(origin);
    if (cached && cached.until > now) return cached;
    let record = await this.cache.get(origin);
    if (!record || (record.state === 'unavailable' && record.retryAt <= now)) {
      record = await this.download(origin);
      const ttl = record.state === 'unavailable' ? (record.retryAt - now) / 1000 : this.ttlSeconds;
      await this.cache.set(origin, record, ttl);
    }
    const until = record.state === 'unavailable' ? Math.min(record.retryAt, now + LOCAL_TTL_MS) : now + LOCAL_TTL_MS;
    const entry = { record, parsed: record.state === 'rules' ? parse(origin, record.body) : null, until };
    this.local.set(origin, entry);
    return entry;
  }

  private async download(origin: string): Promise<RobotsRecord> {
    const unavailable = (): RobotsRecord => ({ state: 'unavailable', retryAt: Date.now() + this.retryMs });
    const signal = AbortSignal.timeout(this.http.timeoutMs);
    try {
      const res = await this.http.follow(new URL('/robots.txt', origin), {
        signal,
        headers: { accept: 'text/plain,*/*;q=0.5' },
        maxRedirects: 5,
      });
      if ('skip' in res) return { state: 'allow-all' };
      if (res.status >= 500) {
        discard(res.body);
        return unavailable();
      }
      if (res.status >= 400) {
        discard(res.body);
        return { state: 'allow-all' };
      }
      const body = await readBody(res, ROBOTS_MAX_BYTES * 4, signal);
      return { state: 'rules', body: (body ?? Buffer.alloc(0)).subarray(0, ROBOTS_MAX_BYTES).toString('utf8') };
    } catch (err) {
      if (isNewslineError(err) && err.code === 'forbidden_address') throw err;
      // Too many redirects or a broken redirect: "MAY assume the robots.txt is unavailable" → 4xx rules.
      if (err instanceof PermanentError) return { state: 'allow-all' };
      return unavailable();
    }
  }
}
