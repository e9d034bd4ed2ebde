// Sources crawled on a schedule: a feed, a sitemap index with a gzipped Google News sitemap, and a
// section page that announces its feed; only new URLs enqueued; 304 on an unchanged feed; one
// scheduler per source however many processes start.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscoverQueue, upsertSourceScheduler } from '../../src/queues/discover.js';
import { SourceStore, type Source } from '../../src/shared/sources/source-store.js';
import { openPglite, type Database } from '../../src/shared/store/database.js';
import { migrate } from '../../src/shared/store/migrate.js';
import { jsonLines, runCli } from '../helpers/cli.js';
import { startTestPipeline, type TestPipeline } from '../helpers/pipeline.js';
import { cleanupPrefix, redisUrl, testPrefix } from '../helpers/redis.js';
import { until } from '../helpers/wait.js';
import { articleHtml, html, startTestServer, type TestServer } from '../helpers/test-server.js';

describe('sources and scheduled crawls', () => {
  let site: TestServer;
  let db: Database;
  let t: TestPipeline;
  let store: SourceStore;
  const feedStories = ['harbour-workers-end-strike', 'council-approves-tram-line', 'museum-reopens-after-repairs'];
  const mapStories = ['floods-close-mountain-pass', 'ferry-service-resumes-today'];

  beforeAll(async () => {
    site = await startTestServer('127.0.0.1');
    for (const slug of [...feedStories, ...mapStories]) {
      site.route(`/news/${slug}`, html(articleHtml(slug.replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase()))));
    }
    // A page with no <title> and no headline: the feed's title must stand in.
    site.route(
      '/news/untitled-brief-from-the-wire',
      html(
        `<html><body><article><p>${'A brief note from the wire desk about the weather and the roads. '.repeat(3)}</p></article></body></html>`,
      ),
    );
    const items = [...feedStories, 'untitled-brief-from-the-wire']
      .map(
        (s, i) =>
          `<item><title>Feed title ${i}</title><link>${site.origin}/news/${s}</link><pubDate>Tue, 05 Mar 2024 0${i}:00:00 GMT</pubDate></item>`,
      )
      .join('');
    site.route('/rss.xml', (req, res) => {
      if (req.headers['if-none-match'] === '"feed-1"') {
        res.writeHead(304, { etag: '"feed-1"' });
        return res.end();
      }
      res.writeHead(200, { 'content-type': 'application/rss+xml', etag: '"feed-1"' });
      res.end(`<?xml version="1.0"?><rss version="2.0"><channel><title>Test desk</title>${items}</channel></rss>`);
    });
    site.route('/sitemap-index.xml', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.end(
        `<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>${site.origin}/news-sitemap.xml.gz</loc></sitemap></sitemapindex>`,
      );
    });
    const urls = mapStories
      .map(
        (s) =>
          `<url><loc>${site.origin}/news/${s}</loc><news:news><news:publication_date>2024-03-05T10:00:00Z</news:publication_date><news:title>${s}</news:title></news:news></url>`,
      )
      .join('');
    const gz = zlib.gzipSync(
      `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">${urls}</urlset>`,
    );
    site.route('/news-sitemap.xml.gz', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/gzip' });
      res.end(gz);
    });
    site.route(
      '/section/city',
      html(
        `<html><head><link rel="alternate" type="application/rss+xml" href="/rss.xml"></head><body><a href="/news/harbour-workers-end-strike">Harbour</a></body></html>`,
      ),
    );

    db = await openPglite(null);
    await migrate(db);
    store = new SourceStore(db);
    t = await startTestPipeline(db, { FETCH_HOST_INTERVAL_MS: '0' });
  });

  afterAll(async () => {
    await t?.close();
    await db?.close();
    await site?.close();
  });

  const articles = async () => Number((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM articles')).rows[0]!.n);

  const schedule = async (source: Source) => {
    const queue = createDiscoverQueue(t.redis, t.config.NEWSLINE_PREFIX);
    await upsertSourceScheduler(queue, source);
    await queue.close();
  };

  it('crawls a feed on its schedule: new URLs once, with the feed’s hints, then 304', async () => {
    const source = await store.add({ url: `${site.origin}/rss.xml`, name: 'desk', kind: 'feed', everyMs: 400, cron: null, tz: 'UTC' });
    await schedule(source);
    await until(async () => (await articles()) >= 4);
    const after = await until(async () => {
      const s = await store.get(source.id);
      return s && s.runs >= 3 ? s : null;
    });
    expect(after).toMatchObject({ kind: 'feed', totalNewUrls: 4, lastStatus: 'unchanged', lastNewUrls: 0, errors: 0, etag: '"feed-1"' });
    expect(site.requests.filter((r) => r.path === '/rss.xml' && r.headers['if-none-match'] === '"feed-1"').length).toBeGreaterThanOrEqual(
      2,
    );
    for (const slug of feedStories) expect(site.hits(`/news/${slug}`)).toBe(1); // each article fetched once
    const { rows } = await db.query<{ title: string; published_at: unknown }>(
      "SELECT title, published_at FROM articles WHERE url LIKE '%untitled-brief%'",
    );
    expect(rows[0]!.title).toBe('Feed title 3');
    expect(new Date(rows[0]!.published_at as string).toISOString()).toBe('2024-03-05T03:00:00.000Z');
    await store.remove(source.id);
  });

  it('reads a sitemap index and its gzipped news sitemap; a second run finds nothing new', async () => {
    const before = await articles();
    const source = await store.add({
      url: `${site.origin}/sitemap-index.xml`,
      name: 'maps',
      kind: 'sitemap-index',
      everyMs: 400,
      cron: null,
      tz: 'UTC',
    });
    await schedule(source);
    await until(async () => (await articles()) >= before + 2);
    const after = await until(async () => {
      const s = await store.get(source.id);
      return s && s.runs >= 2 ? s : null;
    });
    expect(after).toMatchObject({ totalNewUrls: 2, lastNewUrls: 0, lastStatus: 'ok' });
    await store.remove(source.id);
  });

  it('keeps one scheduler per source however many processes sync them', async () => {
    const a = await store.add({
      url: `${site.origin}/rss.xml?edition=a`,
      name: 'a',
      kind: 'feed',
      everyMs: 3_600_000,
      cron: null,
      tz: 'UTC',
    });
    const b = await store.add({
      url: `${site.origin}/rss.xml?edition=b`,
      name: 'b',
      kind: 'feed',
      everyMs: null,
      cron: '*/15 * * * *',
      tz: 'Europe/Berlin',
    });
    const second = await startTestPipeline(db, { NEWSLINE_PREFIX: t.config.NEWSLINE_PREFIX });
    const third = await startTestPipeline(db, { NEWSLINE_PREFIX: t.config.NEWSLINE_PREFIX });
    try {
      const queue = createDiscoverQueue(t.redis, t.config.NEWSLINE_PREFIX);
      const keys = (await queue.getJobSchedulers()).map((s) => [s.key, s.pattern ?? s.every, s.tz ?? null]);
      expect(keys.sort()).toEqual(
        [
          [`source:${a.id}`, 3_600_000, null],
          [`source:${b.id}`, '*/15 * * * *', 'Europe/Berlin'],
        ].sort(),
      );
      await queue.close();
    } finally {
      await third.close().catch(() => {});
      await second.close().catch(() => {});
    }
  });

  it('crawls under robots.txt and the host interval: a disallowed feed is never requested, and documents are spaced', async () => {
    const polite = await startTestServer('127.0.0.3');
    const spaced = await startTestPipeline(db, { FETCH_HOST_INTERVAL_MS: '400' });
    try {
      polite.route('/robots.txt', (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('User-agent: *\nDisallow: /private/\nSitemap: /maps/index.xml\n');
      });
      polite.route('/private/feed.xml', html('<rss version="2.0"><channel></channel></rss>'));
      const sitemap = (paths: string[]) =>
        `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${paths.map((p) => `<url><loc>${polite.origin}${p}</loc></url>`).join('')}</urlset>`;
      polite.route('/maps/index.xml', (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/xml' });
        res.end(
          `<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>${polite.origin}/maps/a.xml</loc></sitemap><sitemap><loc>${polite.origin}/maps/b.xml</loc></sitemap></sitemapindex>`,
        );
      });
      for (const name of ['a', 'b']) {
        polite.route(`/maps/${name}.xml`, (_req, res) => {
          res.writeHead(200, { 'content-type': 'application/xml' });
          res.end(sitemap([`/news/${name}-story-about-the-harbour`]));
        });
      }
      const spacedStore = new SourceStore(db);
      const blocked = await spacedStore.add({
        url: `${polite.origin}/private/feed.xml`,
        name: 'p',
        kind: 'feed',
        everyMs: 3_600_000,
        cron: null,
        tz: 'UTC',
      });
      const maps = await spacedStore.add({
        url: `${polite.origin}/maps/index.xml`,
        name: 'm',
        kind: 'sitemap-index',
        everyMs: 3_600_000,
        cron: null,
        tz: 'UTC',
      });
      const queue = createDiscoverQueue(spaced.redis, spaced.config.NEWSLINE_PREFIX);
      await upsertSourceScheduler(queue, blocked);
      await upsertSourceScheduler(queue, maps);
      await queue.close();
      const ran = await until(async () => {
        const [b, m] = await Promise.all([spacedStore.get(blocked.id), spacedStore.get(maps.id)]);
        return b?.runs && m?.runs ? { b, m } : null;
      });
      expect(ran.b).toMatchObject({ lastStatus: 'robots', lastNewUrls: 0 });
      expect(polite.hits('/private/feed.xml')).toBe(0);
      expect(ran.m).toMatchObject({ lastStatus: 'ok', lastNewUrls: 2, lastDocuments: 3, lastFailedDocuments: 0 });
      const times = polite.requests.filter((r) => r.path.startsWith('/maps/')).map((r) => r.at);
      expect(times).toHaveLength(3);
      for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(350);
      await spacedStore.remove(blocked.id);
      await spacedStore.remove(maps.id);
    } finally {
      await spaced.close();
      await polite.close();
    }
  });
});

describe('newsline sources', () => {
  it('detects the feed behind a section page, lists and removes the source', async () => {
    const site = await startTestServer('127.0.0.1');
    site.route(
      '/section',
      html(`<html><head><link rel="alternate" type="application/rss+xml" href="/feed.xml"></head><body>Section</body></html>`),
    );
    site.route('/feed.xml', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.end('<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>');
    });
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsline-sources-'));
    const env = { REDIS_URL: await redisUrl(), NEWSLINE_PREFIX: testPrefix(), NEWSLINE_DATA_DIR: dataDir, FETCH_ALLOW_PRIVATE: 'true' };
    try {
      const added = await runCli(['sources', 'add', `${site.origin}/section`, '--every', '15m', '--name', 'City desk'], env);
      expect(added.code, added.stderr).toBe(0);
      const [source] = jsonLines(added.stdout);
      expect(source).toMatchObject({ url: `${site.origin}/feed.xml`, kind: 'feed', name: 'City desk', everyMs: 900_000 });
      expect(jsonLines((await runCli(['sources', 'list'], env)).stdout)).toEqual([
        expect.objectContaining({ id: source!['id'], runs: 0, detectedVia: 'link-alternate' }),
      ]);
      // Registering it again is refused: the source keeps its name and schedule.
      const again = await runCli(['sources', 'add', `${site.origin}/section`, '--name', 'Renamed', '--every', '1h'], env);
      expect(again.code).toBe(1);
      expect(again.stderr.trim()).toBe(
        `newsline: ${site.origin}/feed.xml is registered already as ${String(source!['id'])} ("City desk"); remove it first to register it again`,
      );
      expect(jsonLines((await runCli(['sources', 'list'], env)).stdout)).toEqual([
        expect.objectContaining({ id: source!['id'], name: 'City desk', everyMs: 900_000 }),
      ]);
      const bad = await runCli(['sources', 'add', `${site.origin}/section`, '--every', 'often'], env);
      expect(bad.stderr.trim()).toMatch(/not a duration: "often"/);
      expect((await runCli(['sources', 'remove', String(source!['id'])], env)).code).toBe(0);
      expect(jsonLines((await runCli(['sources', 'list'], env)).stdout)).toEqual([]);
    } finally {
      await site.close();
      await cleanupPrefix(env.NEWSLINE_PREFIX);
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
