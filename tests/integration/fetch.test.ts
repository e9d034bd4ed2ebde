// The fetch stage against a hostile local server: each case ends in the right outcome, and
// nothing reaches an address it must not (a canary listener counts attempts).
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { CloudEvent } from 'cloudevents';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite, type Database } from '../../src/shared/store/database.js';
import { startTestPipeline, waitForEvents, type TestPipeline } from '../helpers/pipeline.js';
import { articleHtml, html, redirect, startTestServer, type TestServer } from '../helpers/test-server.js';

// The site under test lives on 127.0.0.5 and is the only allowlisted host; the canary listens on
// 127.0.0.1, where a guard that failed would send the request.
const SITE_HOST = '127.0.0.5';

describe('fetch stage on a hostile server', () => {
  let site: TestServer;
  let flaky: TestServer;
  let canary: TestServer;
  let db: Database;
  let t: TestPipeline;

  beforeAll(async () => {
    site = await startTestServer(SITE_HOST);
    flaky = await startTestServer(SITE_HOST);
    canary = await startTestServer('127.0.0.1');
    canary.route('/', html(articleHtml('Canary page')));
    db = await openPglite(null);
    t = await startTestPipeline(db, {
      FETCH_ALLOW_PRIVATE: 'false',
      FETCH_ALLOW_HOSTS: SITE_HOST,
      FETCH_TIMEOUT_MS: '1500',
      FETCH_HOST_INTERVAL_MS: '0',
      FETCH_ROBOTS_RETRY_MS: '300',
      NEWSLINE_JOB_ATTEMPTS: '2',
      NEWSLINE_BACKOFF_MS: '100',
    });
    site.route('/robots.txt', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('User-agent: *\nDisallow: /private/\n\nUser-agent: otherbot\nDisallow: /\n');
    });
  });

  afterAll(async () => {
    // Whatever else happened, the canary must never have been reached.
    const reached = canary.requests;
    await t?.close();
    await db?.close();
    await Promise.all([site?.close(), flaky?.close(), canary?.close()]);
    expect(reached).toEqual([]);
  });

  const url = (path: string) => `${site.origin}${path}`;

  it('cuts off a server that is slow to send headers: failed(timeout)', async () => {
    site.route('/slow-headers', (_req, res) => {
      const timer = setTimeout(() => html(articleHtml('Slow'))(_req, res), 5_000);
      res.on('close', () => clearTimeout(timer));
    });
    const started = Date.now();
    const [o] = await t.run([url('/slow-headers')]);
    expect(o).toMatchObject({ outcome: 'failed', reason: 'timeout' });
    expect(site.hits('/slow-headers')).toBe(2); // both attempts
    expect(Date.now() - started).toBeLessThan(8_000);
  });

  it('cuts off a body that trickles in: failed(timeout)', async () => {
    site.route('/trickle', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.write('<html><body><p>');
      const timer = setInterval(() => res.write('a'), 100);
      res.on('close', () => clearInterval(timer));
    });
    const [o] = await t.run([url('/trickle')]);
    expect(o).toMatchObject({ outcome: 'failed', reason: 'timeout' });
  });

  it('refuses 50 MB bodies, announced or not, and a gzip bomb: skipped(too_large)', async () => {
    const chunk = Buffer.alloc(1024 * 1024, 'a');
    site.route('/huge-chunked', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      let sent = 0;
      const pump = () => {
        while (sent < 50 && res.write(chunk)) sent++;
        if (sent >= 50) res.end();
      };
      res.on('drain', () => {
        sent++;
        pump();
      });
      pump();
    });
    site.route('/huge-declared', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'content-length': String(50 * 1024 * 1024) });
      res.write(chunk); // then stall: the announced length alone must decide
    });
    const bomb = zlib.gzipSync(Buffer.alloc(64 * 1024 * 1024, ' '), { level: 9 });
    expect(bomb.length).toBeLessThan(200_000);
    site.route('/bomb', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip', 'content-length': String(bomb.length) });
      res.end(bomb);
    });
    const outcomes = await t.run([url('/huge-chunked'), url('/huge-declared'), url('/bomb')]);
    for (const o of outcomes) expect(o).toMatchObject({ outcome: 'skipped', reason: 'too_large' });
  });

  it('stops at a redirect loop and at the sixth redirect; follows five', async () => {
    site.route('/loop-a', redirect('/loop-b'));
    site.route('/loop-b', redirect('/loop-a'));
    for (let i = 1; i <= 6; i++) site.route(`/hop/${i}`, redirect(`/hop/${i - 1}`, 301));
    site.route('/hop/0', html(articleHtml('Five hops away')));
    const [loop, six, five] = await t.run([url('/loop-a'), url('/hop/6'), url('/hop/5')]);
    expect(loop).toMatchObject({ outcome: 'failed', reason: 'redirect_loop' });
    expect(six).toMatchObject({ outcome: 'failed', reason: 'too_many_redirects' });
    expect(site.hits('/hop/0')).toBe(1); // only the five-hop chain got there
    expect(five).toMatchObject({ outcome: 'stored', finalUrl: url('/hop/0') });
  });

  it('refuses redirects to loopback, metadata and disguised addresses, and names that resolve to them', async () => {
    const targets = {
      '/to-loopback': `http://127.0.0.1:${canary.port}/`,
      '/to-metadata': 'http://169.254.169.254/latest/meta-data/',
      '/to-decimal': `http://2130706433:${canary.port}/`,
      '/to-mapped': `http://[::ffff:127.0.0.1]:${canary.port}/`,
      '/to-localhost': `http://localhost:${canary.port}/`,
    };
    for (const [path, target] of Object.entries(targets)) site.route(path, redirect(target));
    const outcomes = await t.run([...Object.keys(targets).map(url), `http://localhost:${canary.port}/`]);
    for (const o of outcomes) expect(o, o.url).toMatchObject({ outcome: 'failed', reason: 'forbidden_address' });
    expect(canary.requests).toHaveLength(0);
  });

  it('ends a redirect to a file:, gopher: or data: URL as a permanent bad_redirect, without retries', async () => {
    for (const [path, target] of [
      ['/to-file', 'file:///etc/passwd'],
      ['/to-gopher', `gopher://127.0.0.1:${canary.port}/_GET`],
      ['/to-data', 'data:text/html,<p>hi</p>'],
    ] as const) {
      site.route(path, (_req, res) => {
        res.writeHead(302, { location: target });
        res.end();
      });
      const [o] = await t.run([url(path)]);
      expect(o).toMatchObject({ outcome: 'failed', reason: 'bad_redirect' });
      expect(site.hits(path)).toBe(1);
    }
  });

  it('skips what robots.txt disallows without requesting it', async () => {
    site.route('/private/memo', html(articleHtml('Private memo')));
    site.route('/public/story', html(articleHtml('Public story about harbours')));
    const [priv, pub] = await t.run([url('/private/memo'), url('/public/story')]);
    expect(priv).toMatchObject({ outcome: 'skipped', reason: 'robots' });
    expect(pub).toMatchObject({ outcome: 'stored' });
    expect(site.hits('/private/memo')).toBe(0);
    expect(site.hits('/robots.txt')).toBe(1); // cached for the rest of the run
  });

  it('checks robots.txt on every redirect hop', async () => {
    site.route('/go-private', redirect('/private/other'));
    const [o] = await t.run([url('/go-private')]);
    expect(o).toMatchObject({ outcome: 'skipped', reason: 'robots' });
    expect(site.hits('/private/other')).toBe(0);
  });

  it('treats a robots.txt 500 as "not now": no page request until robots.txt answers', async () => {
    let robotsCalls = 0;
    flaky.route('/robots.txt', (_req, res) => {
      robotsCalls++;
      if (robotsCalls === 1) {
        res.writeHead(500);
        return res.end();
      }
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('User-agent: *\nAllow: /\n');
    });
    flaky.route('/story', html(articleHtml('Story behind a flaky robots file')));
    const [o] = await t.run([`${flaky.origin}/story`]);
    expect(o).toMatchObject({ outcome: 'stored' });
    expect(robotsCalls).toBe(2);
    const firstPage = flaky.requests.find((r) => r.path === '/story')!;
    const secondRobots = flaky.requests.filter((r) => r.path === '/robots.txt')[1]!;
    expect(firstPage.at).toBeGreaterThanOrEqual(secondRobots.at);
    expect(secondRobots.at - flaky.requests[0]!.at).toBeGreaterThanOrEqual(250);
  });

  it('waits as long as a 429 Retry-After says, then succeeds', async () => {
    let calls = 0;
    site.route('/busy', (req, res) => {
      if (++calls === 1) {
        res.writeHead(429, { 'retry-after': '1' });
        return res.end();
      }
      html(articleHtml('Answered after a pause'))(req, res);
    });
    const [o] = await t.run([url('/busy')]);
    expect(o).toMatchObject({ outcome: 'stored' });
    const [first, second] = site.requests.filter((r) => r.path === '/busy');
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(950);
  });

  it('retries a 503 and records failed(http_503) when it persists', async () => {
    site.route('/down', (_req, res) => {
      res.writeHead(503);
      res.end();
    });
    const [o] = await t.run([url('/down')]);
    expect(o).toMatchObject({ outcome: 'failed', reason: 'http_503' });
    expect(site.hits('/down')).toBe(2);
  });

  it('refetches conditionally: a 304 ends as unchanged, a changed page updates the record', async () => {
    site.route('/etag', (req, res) => {
      if (req.headers['if-none-match'] === '"v1"') {
        res.writeHead(304, { etag: '"v1"' });
        return res.end();
      }
      html(articleHtml('A page with an ETag'), { etag: '"v1"', 'last-modified': 'Wed, 19 Jun 2024 10:00:00 GMT' })(req, res);
    });
    const [first] = await t.run([url('/etag')]);
    expect(first).toMatchObject({ outcome: 'stored' });
    const [second] = await t.run([url('/etag')]);
    expect(second).toMatchObject({ outcome: 'unchanged', articleId: first!.articleId });
    const refetch = site.requests.filter((r) => r.path === '/etag')[1]!;
    expect(refetch.headers['if-none-match']).toBe('"v1"');
    expect(refetch.headers['if-modified-since']).toBe('Wed, 19 Jun 2024 10:00:00 GMT');

    // The page changes: the refetch gets 200 with new text, and the record is updated in place.
    site.route('/etag', (req, res) => {
      if (req.headers['if-none-match'] === '"v2"') {
        res.writeHead(304, { etag: '"v2"' });
        return res.end();
      }
      html(
        articleHtml('A page with an ETag', {
          paragraphs: ['Updated: officials now say the talks will resume next week in the capital, after a pause of several days.'],
        }),
        { etag: '"v2"' },
      )(req, res);
    });
    const updateStarted = Date.now();
    const [third] = await t.run([url('/etag')]);
    expect(third).toMatchObject({ outcome: 'updated', articleId: first!.articleId });
    const { rows } = await db.query<{ n: number; body: string }>(
      'SELECT count(*)::int AS n, max(body) AS body FROM articles WHERE id = $1',
      [first!.articleId],
    );
    expect(rows[0]).toMatchObject({ n: 1, body: expect.stringContaining('talks will resume next week') });
    const events = await waitForEvents(t, 1, { type: 'news.article.updated' });
    const updated = events.filter((e) => e.type === 'news.article.updated');
    expect(updated.map((e) => e.subject)).toEqual([first!.articleId]);
    // The update's time is when it happened, not when the article was first stored.
    expect(Date.parse(updated[0]!.time)).toBeGreaterThanOrEqual(updateStarted - 1_000);
    const storedEvent = events.find((e) => e.type === 'news.article.stored' && e.subject === first!.articleId)!;
    expect(Date.parse(updated[0]!.time)).toBeGreaterThan(Date.parse(storedEvent.time));
    const ajv = new Ajv({ strict: true });
    addFormats.default(ajv);
    const schema = JSON.parse(fs.readFileSync(path.resolve('schemas/news.article.updated.json'), 'utf8'));
    expect(ajv.compile(schema)(updated[0]!.data)).toBe(true);
    expect(new CloudEvent(updated[0]! as never, true).validate()).toBe(true);
    const [fourth] = await t.run([url('/etag')]);
    expect(fourth).toMatchObject({ outcome: 'unchanged', articleId: first!.articleId });
  });

  it('reads pages that declare no charset at all: UTF-8 as UTF-8, windows-1251 by detection', async () => {
    const paragraphs = [
      'Министр иностранных дел России Сергей Лавров прибыл в Пекин, где проведёт переговоры с китайскими коллегами.',
      'Стороны обсудят торговлю, энергетику и положение на Украине, сообщили в министерстве во вторник утром.',
    ];
    const utf8 = articleHtml('Лавров прибыл в Пекин', { paragraphs });
    const cp1251 = articleHtml('Лавров прибыл в Пекин на переговоры', { paragraphs: [...paragraphs].reverse() });
    site.route('/ru-undeclared-utf8', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(Buffer.from(utf8, 'utf8'));
    });
    site.route('/ru-undeclared-1251', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(iconv.encode(cp1251, 'windows-1251'));
    });
    const outcomes = await t.run([url('/ru-undeclared-utf8'), url('/ru-undeclared-1251')]);
    expect(outcomes.map((o) => o.outcome)).toEqual(['stored', 'stored']);
    const titles = await db.query<{ title: string }>('SELECT title FROM articles WHERE id = ANY($1) ORDER BY title', [
      outcomes.map((o) => o.articleId),
    ]);
    expect(titles.rows.map((r) => r.title)).toEqual(['Лавров прибыл в Пекин', 'Лавров прибыл в Пекин на переговоры']);
  });

  it('decodes windows-1251 and Shift_JIS pages that declare their charset only in <meta>', async () => {
    const ru = articleHtml('Переговоры в Пекине', {
      charset: 'windows-1251',
      lang: 'ru',
      paragraphs: ['Министр иностранных дел России провёл переговоры в Пекине со своим китайским коллегой во вторник.'],
    });
    const ja = articleHtml('北京で外相会談', {
      charset: 'Shift_JIS',
      lang: 'ja',
      paragraphs: ['ロシアの外相は火曜日、北京で中国の外相と会談し、両国の協力について話し合った。'],
    });
    site.route('/ru', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(iconv.encode(ru, 'windows-1251'));
    });
    site.route('/ja', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(iconv.encode(ja, 'Shift_JIS'));
    });
    const [ruOut, jaOut] = await t.run([url('/ru'), url('/ja')]);
    expect([ruOut!.outcome, jaOut!.outcome]).toEqual(['stored', 'stored']);
    const { rows } = await db.query<{ id: string; title: string; body: string }>(
      'SELECT id, title, body FROM articles WHERE id = ANY($1)',
      [[ruOut!.articleId, jaOut!.articleId]],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(ruOut!.articleId!)!.title).toBe('Переговоры в Пекине');
    expect(byId.get(ruOut!.articleId!)!.body).toContain('Министр иностранных дел России');
    expect(byId.get(jaOut!.articleId!)!.title).toBe('北京で外相会談');
    expect(byId.get(jaOut!.articleId!)!.body).toContain('ロシアの外相は火曜日');
  });

  it('skips a PDF: skipped(content_type)', async () => {
    site.route('/report.pdf', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/pdf' });
      res.end('%PDF-1.7\n');
    });
    const [o] = await t.run([url('/report.pdf')]);
    expect(o).toMatchObject({ outcome: 'skipped', reason: 'content_type', detail: 'not HTML: application/pdf' });
  });

  it('follows a redirect that hands out credentials without them, and keeps none in the record', async () => {
    site.route('/news/members', html(articleHtml('Members area story about the marina')));
    site.route('/to-credentials', (_req, res) => {
      res.writeHead(302, { location: `http://member:hunter2@${SITE_HOST}:${site.port}/news/members` });
      res.end();
    });
    const [o] = await t.run([url('/to-credentials')]);
    expect(o).toMatchObject({ outcome: 'stored', finalUrl: url('/news/members') });
    expect(site.requests.find((r) => r.path === '/news/members')!.headers.authorization).toBeUndefined();
    const stored = await db.query<{ final_url: string }>('SELECT final_url FROM articles WHERE id = $1', [o!.articleId]);
    expect(stored.rows[0]!.final_url).not.toContain('hunter2');
  });

  it('allows only the listed port of a host listed with one', async () => {
    const portOnly = await startTestPipeline(db, {
      FETCH_ALLOW_PRIVATE: 'false',
      FETCH_ALLOW_HOSTS: `${SITE_HOST}:${site.port}`,
      FETCH_HOST_INTERVAL_MS: '0',
      NEWSLINE_JOB_ATTEMPTS: '1',
    });
    try {
      flaky.route('/other-port', html(articleHtml('Another service on the same host')));
      site.route('/to-other-port', (_req, res) => {
        res.writeHead(302, { location: `http://${SITE_HOST}:${flaky.port}/other-port` });
        res.end();
      });
      site.route('/news/listed-port', html(articleHtml('A story on the listed port')));
      const flakyHitsBefore = flaky.requests.length;
      const [allowed, redirected, direct] = await portOnly.run([
        url('/news/listed-port'),
        url('/to-other-port'),
        `http://${SITE_HOST}:${flaky.port}/other-port`,
      ]);
      expect(allowed).toMatchObject({ outcome: 'stored' });
      expect(redirected).toMatchObject({ outcome: 'failed', reason: 'forbidden_address' });
      expect(direct).toMatchObject({ outcome: 'failed', reason: 'forbidden_address' });
      expect(flaky.requests.length - flakyHitsBefore).toBe(0);
    } finally {
      await portOnly.close();
    }
  });
});
