// The HTTP API against the real pipeline: auth, validation, submitting URLs and reading their
// outcomes, sources (with robots.txt sitemap discovery), article search, server-sent events,
// health, Prometheus metrics and the OpenAPI document.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApi } from '../../src/api/server.js';
import { startApi } from '../../src/api/server.js';
import { createDiscoverQueue } from '../../src/queues/discover.js';
import { eventsStreamKey, readEvents } from '../../src/shared/events/event-sink.js';
import { loadConfig } from '../../src/shared/config.js';
import { createLogger } from '../../src/shared/log.js';
import { openPglite, type Database } from '../../src/shared/store/database.js';
import { migrate } from '../../src/shared/store/migrate.js';
import { TEST_TOKEN, readSse, startTestApi } from '../helpers/api.js';
import { startTestPipeline, type TestPipeline } from '../helpers/pipeline.js';
import { articleHtml, html, startTestServer, type TestServer } from '../helpers/test-server.js';
import { until } from '../helpers/wait.js';
import { Validator } from '@seriousme/openapi-schema-validator';

const auth = { authorization: `Bearer ${TEST_TOKEN}` };
const json = { 'content-type': 'application/json' };

// Four different stories (near-identical texts would rightly be merged as duplicates).
const STORIES: Record<string, string[]> = {
  'talks-resume-in-geneva': [
    'Russian and Ukrainian negotiators met in Geneva on Monday, officials in Moscow and Kyiv said after the session.',
    'The delegations spent four hours on the agenda, and Ukraine asked for a ceasefire along the whole front line.',
    'A Swiss foreign ministry spokesperson said the hosts were ready to hold a further session in the city next week.',
  ],
  'grain-corridor-reopens': [
    'Cargo ships loaded with wheat left Odesa on Tuesday as the Black Sea grain corridor reopened for traffic.',
    'Insurers cut their war-risk premiums after the port authority published a new schedule for the convoys.',
    'Traders in Chicago said futures prices fell by two per cent as the first vessels cleared the Bosphorus.',
  ],
  'prisoner-exchange-agreed': [
    'Ukraine and Russia swapped ninety prisoners of war each on Wednesday in an exchange brokered by the United Arab Emirates.',
    'Families gathered at the border crossing in the Sumy region as the buses arrived late in the evening.',
    'The ombudsman in Kyiv said medical teams would examine every returning soldier before they travel home.',
  ],
  'new-round-of-talks-set': [
    'A new round of negotiations between Kyiv and Moscow will open in Istanbul on the first day of next month.',
    'Turkish officials confirmed that both foreign ministers had accepted the invitation sent on Thursday.',
    'Observers from the United Nations and the European Union are expected to attend the opening session.',
  ],
};

const titleOf = (slug: string) => slug.replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase());

describe('HTTP API', () => {
  let site: TestServer;
  let db: Database;
  let t: TestPipeline;
  let api: RunningApi;
  const call = (path: string, init: RequestInit = {}) => fetch(`${api.url}${path}`, init);
  const submit = async (urls: string[]) => {
    const res = await call('/v1/urls', { method: 'POST', headers: { ...auth, ...json }, body: JSON.stringify({ urls }) });
    expect(res.status).toBe(202);
    return ((await res.json()) as { accepted: Array<{ url: string; requestId: string }> }).accepted;
  };
  const outcomeOf = (requestId: string) =>
    until(async () => {
      const body = (await (await call(`/v1/urls/${requestId}`)).json()) as { outcome: string; articleId?: string };
      return body.outcome !== 'pending' ? body : null;
    });

  beforeAll(async () => {
    site = await startTestServer('127.0.0.1');
    for (const [slug, paragraphs] of Object.entries(STORIES)) site.route(`/news/${slug}`, html(articleHtml(titleOf(slug), { paragraphs })));
    site.route('/', html('<html><head><title>Home</title></head><body><p>Welcome</p></body></html>'));
    site.route('/robots.txt', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`User-agent: *\nAllow: /\n\nSitemap: ${site.origin}/sitemap.xml\nSitemap: ${site.origin}/news-sitemap.xml\n`);
    });
    site.route('/news-sitemap.xml', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.end(
        `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>${site.origin}/news/grain-corridor-reopens</loc></url></urlset>`,
      );
    });
    db = await openPglite(null);
    await migrate(db);
    t = await startTestPipeline(db, { FETCH_HOST_INTERVAL_MS: '0', NEWSLINE_METRICS_PUSH_MS: '200' });
    api = await startTestApi(t, db);
  });

  afterAll(async () => {
    await api?.close();
    await t?.close();
    await db?.close();
    await site?.close();
  });

  it('needs the token for writes: 401 without, 403 when wrong; reads are open', async () => {
    const body = JSON.stringify({ url: `${site.origin}/news/talks-resume-in-geneva` });
    const missing = await call('/v1/urls', { method: 'POST', headers: json, body });
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const wrong = await call('/v1/urls', { method: 'POST', headers: { ...json, authorization: 'Bearer not-the-token-at-all' }, body });
    expect(wrong.status).toBe(403);
    expect(await wrong.json()).toEqual({ error: 'forbidden', message: 'wrong API token' });
    expect((await call('/v1/sources', { method: 'POST', headers: json, body: JSON.stringify({ url: site.origin }) })).status).toBe(401);
    expect((await call('/v1/sources/src_x', { method: 'DELETE' })).status).toBe(401);
    expect((await call('/v1/articles')).status).toBe(200);
    expect(await t.queues.fetch.count()).toBe(0); // nothing was enqueued by the refused calls
  });

  it('answers bad requests with 400 and one line saying what is wrong', async () => {
    const post = (body: unknown) => call('/v1/urls', { method: 'POST', headers: { ...auth, ...json }, body: JSON.stringify(body) });
    const cases: Array<[Response, RegExp]> = [
      [await post({ urls: [`${site.origin}/a`, 'not a url', 'ftp://x.example/f'] }), /^urls\[1\]: not a URL: "not a url" \(and 1 more\)$/],
      [await post({}), /either url or urls/],
      [await post({ url: { href: 'x' } }), /body\/url must be string/],
      [await post({ urls: [] }), /body\/urls must NOT have fewer than 1 items/],
      [await post({ url: `${site.origin}/a`, extra: true }), /must NOT have additional properties/],
      [await call('/v1/urls', { method: 'POST', headers: { ...auth, ...json }, body: '{"url":' }), /JSON/i],
      [await call('/v1/articles?limit=500'), /querystring\/limit must be <= 100/],
      [await call('/v1/articles?since=last-tuesday'), /querystring\/since must match format "date-or-time"/],
      [await call('/v1/events?after=yesterday'), /querystring\/after must match pattern/],
      // Values PostgreSQL would refuse are refused here, naming the field (never a 500).
      [await call('/v1/articles?since=2024-02-30'), /querystring\/since must match format "date-or-time"/],
      [await call('/v1/articles?until=2024-01-01%20GMT%2B1400'), /querystring\/until must match format "date-or-time"/],
      [await call('/v1/articles?since=2024-01-01T10:00:00%2B15:00'), /querystring\/since must match format "date-or-time"/],
      [await call('/v1/articles?q=harbour%00cranes'), /querystring\/q must not contain control characters/],
      [await call('/v1/articles?entity=RU%00'), /querystring\/entity must not contain control characters/],
      [await call('/v1/articles/abc%00def'), /params\/id must not contain control characters/],
      [await call('/v1/urls/req%00id'), /params\/requestId must not contain control characters/],
      [await post({ url: `${site.origin}/a\u0000b` }), /body\/url must not contain control characters/],
    ];
    for (const [res, message] of cases) {
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: string; message: string };
      expect(body.message).toMatch(message);
      expect(body.message).not.toContain('\n');
    }
    const invalid = await (await post({ urls: ['nope'] })).json();
    expect(invalid).toMatchObject({ error: 'invalid_url', invalid: [{ index: 0, url: 'nope' }] });
    expect(await t.queues.fetch.count()).toBe(0); // a batch with a bad URL is refused whole
    expect((await call('/v1/nothing-here')).status).toBe(404);
    expect((await call('/v1/articles/no-such-id')).status).toBe(404);
    expect((await call('/v1/urls/no-such-request')).status).toBe(404);
  });

  it('takes URLs, reports each outcome, and serves the stored articles with search and filters', async () => {
    const [first, second] = await submit([`${site.origin}/news/talks-resume-in-geneva`, `${site.origin}/news/prisoner-exchange-agreed`]);
    const done = await outcomeOf(first!.requestId);
    expect(done).toMatchObject({ outcome: 'stored', articleId: expect.any(String) });
    await outcomeOf(second!.requestId);

    const article = (await (await call(`/v1/articles/${done.articleId}`)).json()) as Record<string, unknown>;
    expect(article).toMatchObject({ title: 'Talks resume in geneva', countries: expect.arrayContaining(['RU', 'UA']) });
    expect(String(article['body'])).toContain('Russian and Ukrainian negotiators met in Geneva');

    const search = (await (await call('/v1/articles?q=prisoner%20exchange')).json()) as {
      items: Array<Record<string, unknown>>;
      nextOffset: number | null;
    };
    expect(search.items.map((a) => a['title'])).toEqual(['Prisoner exchange agreed']);
    expect(search.items[0]).not.toHaveProperty('body');
    const byEntity = (await (await call('/v1/articles?entity=UA&limit=1')).json()) as { items: unknown[]; nextOffset: number | null };
    expect(byEntity.items).toHaveLength(1);
    expect(byEntity.nextOffset).toBe(1);
    const page2 = (await (await call('/v1/articles?entity=UA&limit=1&offset=1')).json()) as { items: unknown[] };
    expect(page2.items).toHaveLength(1);
    expect(page2.items[0]).not.toEqual(byEntity.items[0]);
    const future = (await (await call('/v1/articles?since=2999-01-01')).json()) as { items: unknown[] };
    expect(future.items).toEqual([]);
  });

  it('registers a home page as the news sitemap its robots.txt lists, schedules it, and removes it', async () => {
    const res = await call('/v1/sources', {
      method: 'POST',
      headers: { ...auth, ...json },
      body: JSON.stringify({ url: `${site.origin}/`, every: '1h', name: 'Home' }),
    });
    expect(res.status).toBe(201);
    const source = (await res.json()) as { id: string; url: string; kind: string; detectedVia: string };
    expect(source).toMatchObject({
      url: `${site.origin}/news-sitemap.xml`,
      kind: 'sitemap',
      detectedVia: 'robots-sitemap',
      everyMs: 3_600_000,
    });
    const list = (await (await call('/v1/sources')).json()) as { items: Array<{ id: string }> };
    expect(list.items.map((s) => s.id)).toEqual([source.id]);
    const queue = createDiscoverQueue(t.redis, t.config.NEWSLINE_PREFIX);
    try {
      expect((await queue.getJobSchedulers()).map((s) => s.key)).toEqual([`source:${source.id}`]);
      const post = (body: unknown) => call('/v1/sources', { method: 'POST', headers: { ...auth, ...json }, body: JSON.stringify(body) });
      expect((await post({ url: `${site.origin}/`, every: '1h', cron: '* * * * *' })).status).toBe(400);
      const badCron = await post({ url: `${site.origin}/news-sitemap.xml`, cron: 'every tuesday' });
      expect(badCron.status).toBe(422);
      expect(((await badCron.json()) as { error: string }).error).toBe('invalid_schedule');
      const badZone = await post({ url: `${site.origin}/news-sitemap.xml`, cron: '0 * * * *', tz: 'Mars/Olympus' });
      expect(await badZone.json()).toMatchObject({ error: 'invalid_schedule', message: 'unknown time zone "Mars/Olympus"' });
      const unreadable = await post({ url: `${site.origin}/missing-feed.xml` });
      expect(unreadable.status).toBe(422);
      expect(((await unreadable.json()) as { error: string }).error).toBe('source_unreadable');

      expect((await call(`/v1/sources/${source.id}`, { method: 'DELETE', headers: auth })).status).toBe(204);
      expect((await call(`/v1/sources/${source.id}`, { method: 'DELETE', headers: auth })).status).toBe(404);
      expect((await queue.getJobSchedulers()).map((s) => s.key)).toEqual([]);
      expect(((await (await call('/v1/sources')).json()) as { items: unknown[] }).items).toEqual([]);
    } finally {
      await queue.close();
    }
  });

  it('streams events as server-sent events and resumes after Last-Event-ID', async () => {
    const replay = await readSse(`${api.url}/v1/events?after=0&type=news.article.stored`, {}, (events) => events.length >= 2);
    expect(replay.length).toBeGreaterThanOrEqual(2);
    for (const e of replay) {
      expect(e.id).toMatch(/^\d+-\d+$/);
      expect(e.event).toBe('news.article.stored');
      expect(JSON.parse(e.data)).toMatchObject({ specversion: '1.0', type: 'news.article.stored' });
    }
    // Resume from the one before last: the last one must come again, so a server that ignored
    // Last-Event-ID and sent only new events would fail here.
    const last = replay.at(-2)!.id;
    // Other stories may still be landing (the sources test's sitemap crawl runs on its own), so
    // the resumed stream is read until the fresh story's event and compared with the stream itself.
    const freshUrl = `${site.origin}/news/new-round-of-talks-set`;
    const urlOf = (e: { data: string }) => (JSON.parse(e.data) as { data: { url: string } }).data.url;
    const reading = readSse(`${api.url}/v1/events?type=news.article.stored`, { 'last-event-id': last }, (events) =>
      events.some((e) => urlOf(e) === freshUrl),
    );
    await submit([freshUrl]);
    const resumed = await reading;
    expect(resumed[0]!.id).toBe(replay.at(-1)!.id);
    expect(resumed.map(urlOf)).toContain(freshUrl);
    const after = (await readEvents(t.redis, eventsStreamKey(t.config.NEWSLINE_PREFIX), { after: last, count: 1_000 }))
      .filter((e) => e.event.type === 'news.article.stored')
      .map((e) => e.streamId);
    // Every stored event after Last-Event-ID, in order, none before it, none twice.
    expect(resumed.map((e) => e.id)).toEqual(after.slice(0, resumed.length));
  });

  it('exposes per-stage durations, outcomes, fetch statuses, dedup and tag counters and BullMQ metrics', async () => {
    const text = await until(async () => {
      const body = await (await call('/metrics')).text();
      return /newsline_outcomes_total\{outcome="stored",reason=""\} [3-9]/.test(body) ? body : null;
    });
    for (const series of [
      /newsline_stage_job_duration_seconds_bucket\{le="0\.5",stage="fetch",result="handed_off"\} \d+/,
      /newsline_stage_job_duration_seconds_count\{stage="store",result="done"\} [3-9]/,
      /newsline_fetch_responses_total\{status="200"\} \d+/,
      /newsline_dedup_verdicts_total\{verdict="unique"\} [3-9]/,
      /newsline_tag_entities_total\{kind="country"\} \d+/,
      /newsline_tag_articles_total\{tagged="yes"\} [3-9]/,
      /newsline_queue_depth\{queue="fetch"\} 0/,
      /bullmq_job_count\{queue="store",state="completed"\} \d+/,
      /bullmq_job_completed_total\{queue="fetch"\} [3-9]/,
      /newsline_api_requests_total\{method="POST",route="\/v1\/urls",status="202"\} \d+/,
    ]) {
      expect(text).toMatch(series);
    }
    // Every series is declared once (HELP/TYPE), as Prometheus requires.
    const types = text.split('\n').filter((l) => l.startsWith('# TYPE '));
    expect(new Set(types).size).toBe(types.length);
  });

  it('says whether it is alive and ready, and serves its OpenAPI document', async () => {
    expect(await (await call('/healthz')).json()).toEqual({ status: 'ok' });
    expect(await (await call('/readyz')).json()).toEqual({ status: 'ready', checks: { redis: 'ok', database: 'ok' } });
    const doc = (await (await call('/openapi.json')).json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/urls',
        '/v1/urls/{requestId}',
        '/v1/sources',
        '/v1/sources/{id}',
        '/v1/articles',
        '/v1/articles/{id}',
        '/v1/events',
        '/healthz',
        '/readyz',
        '/metrics',
      ]),
    );
    expect(doc.paths['/v1/urls']!['post']).toMatchObject({ requestBody: expect.anything(), security: [{ bearer: [] }] });
    // A valid OpenAPI 3.1 document (by an OpenAPI validator), with each route's real statuses.
    const validator = new Validator();
    const result = await validator.validate(doc as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    const statuses = (path: string, method: string) => Object.keys((doc.paths[path]![method] as { responses: object }).responses).sort();
    expect(statuses('/v1/sources', 'post')).toEqual(['201', '400', '401', '403', '409', '422', '503']);
    expect(statuses('/v1/sources/{id}', 'delete')).toEqual(['204', '400', '401', '403', '404', '503']);
    expect(statuses('/v1/urls', 'post')).toEqual(['202', '400', '401', '403', '503']);
    expect(statuses('/readyz', 'get')).toEqual(['200', '503']);
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        expect(Object.keys((op as { responses: object }).responses), `${method} ${path}`).not.toContain('default');
      }
    }
  });

  it('is not ready when its database is gone', async () => {
    const gone = await openPglite(null);
    await migrate(gone);
    const second = await startTestApi(t, gone);
    try {
      await gone.close();
      const res = await fetch(`${second.url}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ status: 'not_ready', checks: { redis: 'ok', database: expect.not.stringMatching(/^ok$/) } });
    } finally {
      await second.close();
    }
  });

  it('refuses to listen beyond loopback without a token', async () => {
    const config = loadConfig({
      REDIS_URL: t.config.REDIS_URL,
      NEWSLINE_PREFIX: t.config.NEWSLINE_PREFIX,
      NEWSLINE_API_HOST: '0.0.0.0',
      NEWSLINE_API_PORT: '0',
      LOG_LEVEL: 'silent',
    });
    await expect(startApi(config, createLogger('silent'), { database: db })).rejects.toThrow(
      'refusing to listen on 0.0.0.0 without NEWSLINE_API_TOKEN (only loopback addresses may run without one)',
    );
  });

  it('serves each event type’s schema where the events’ dataschema points', async () => {
    const own = await startTestApi(t, db, { NEWSLINE_SCHEMA_BASE: 'https://news.example/newsline/schemas/' });
    try {
      const res = await fetch(`${own.url}/newsline/schemas/news.article.stored.json`);
      expect(res.status).toBe(200);
      const schema = (await res.json()) as { $id: string; properties: Record<string, unknown> };
      expect(schema.$id).toBe('https://news.example/newsline/schemas/news.article.stored.json');
      expect(Object.keys(schema.properties)).toContain('focus');
      expect((await fetch(`${own.url}/newsline/schemas/news.article.nope.json`)).status).toBe(404);
    } finally {
      await own.close();
    }
    // With the default (a URN), the schemas are at /schemas/.
    expect((await call('/schemas/news.newsletter.digest.json')).status).toBe(200);
  });
});
