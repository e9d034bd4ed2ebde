// The whole chain on real Redis, over real HTTP, into each store.
import { CloudEvent } from 'cloudevents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSampleSite, type SampleSite } from '../../src/demo/site/sample-site.js';
import { SqlArticleStore } from '../../src/shared/store/article-store.js';
import type { Database } from '../../src/shared/store/database.js';
import { storesUnderTest } from '../helpers/postgres.js';
import { startTestPipeline, waitForEvents, type TestPipeline } from '../helpers/pipeline.js';
import { until } from '../helpers/wait.js';

const stores = await storesUnderTest('the pipeline tests');

// PGlite runs with stages fused (one process runs each article's stages in one go); PostgreSQL with
// every hand-off through Redis, so both paths are exercised end to end.
const runs = stores.map((s) => ({ ...s, handOffs: s.name === 'PGlite' ? 'stages fused' : 'every hand-off through Redis' }));

describe.each(runs)('pipeline end to end with $name, $handOffs', ({ open, handOffs }) => {
  let site: SampleSite;
  let db: Database;
  let drop: () => Promise<void>;
  let t: TestPipeline;

  beforeAll(async () => {
    site = await startSampleSite();
    ({ db, drop } = await open());
    t = await startTestPipeline(db, handOffs === 'stages fused' ? {} : { NEWSLINE_FUSE_STAGES: 'false' });
  });

  afterAll(async () => {
    await t?.close();
    await db?.close();
    await drop?.();
    await site?.close();
  });

  it('stores each article once with its fields and tags, and publishes valid CloudEvents', async () => {
    const outcomes = await t.run(site.articleUrls);
    expect(outcomes.map((o) => o.outcome)).toEqual(['stored', 'stored', 'stored']);

    const store = new SqlArticleStore(db);
    const record = await store.getById(outcomes[0]!.articleId!);
    expect(record).toMatchObject({
      url: site.articleUrls[0],
      canonicalUrl: site.articleUrls[0],
      title: 'Xi Jinping receives Sergey Lavrov as Beijing and Moscow tighten ties',
      authors: ['Mara Ellison'],
      language: 'en',
      siteName: 'The Daily Meridian',
    });
    expect(new Date(record!.publishedAt!).toISOString()).toBe('2024-06-20T01:30:00.000Z');
    expect(record!.body).toMatch(/^Lavrov held two days of talks/);
    expect(record!.body).not.toMatch(/Related posts|Never miss a story|Leave a Reply|Share on X/);
    const countries = record!.entities.map((e) => e.id);
    expect(countries).toEqual(expect.arrayContaining(['CN', 'RU', 'UA', 'US']));

    const events = (await waitForEvents(t, 3)).map((event) => ({ event }));
    const stored = events.filter((e) => e.event.type === 'news.article.stored');
    expect(stored).toHaveLength(3);
    for (const { event } of stored) {
      const ce = new CloudEvent(event as never, true); // strict: throws if not valid CloudEvents 1.0
      expect(ce.validate()).toBe(true);
      expect(ce.specversion).toBe('1.0');
      expect(ce.datacontenttype).toBe('application/json');
    }
    const first = stored.find((e) => e.event.subject === record!.id)!.event;
    expect(first.data).toMatchObject({ id: record!.id, title: record!.title, publishedAt: '2024-06-20T09:30:00+08:00' });
    expect((first.data as { entities: Array<{ id: string }> }).entities.map((e) => e.id)).toEqual(
      expect.arrayContaining(['CN', 'RU', 'UA']),
    );
  });

  it('recognises a resubmission, a syndicated copy and a redirect to a stored page as duplicates', async () => {
    const [original] = await t.run([site.articleUrls[0]!]);
    expect(original).toMatchObject({ outcome: 'duplicate', method: 'url' });
    const store = new SqlArticleStore(db);
    const canonical = await store.getByUrl(site.articleUrls[0]!);

    const [copy, redirected] = await t.run([site.syndicatedUrl, site.redirectUrl]);
    expect(copy).toMatchObject({ outcome: 'duplicate', method: 'exact', duplicateOf: canonical!.id });
    expect(redirected).toMatchObject({ outcome: 'duplicate', method: 'url', finalUrl: site.articleUrls[1] });

    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM articles');
    expect(rows[0]!.n).toBe(3);
    // The copy and the redirect run concurrently: compare as a set.
    const sightings = await db.query<{ method: string }>('SELECT method FROM sightings ORDER BY method');
    expect(sightings.rows.map((r) => r.method)).toEqual(['exact', 'url', 'url']);

    const events = (await waitForEvents(t, 6)).map((event) => ({ event }));
    const duplicates = events.filter((e) => e.event.type === 'news.article.duplicate');
    expect(duplicates).toHaveLength(3);
    expect(duplicates.every((d) => new CloudEvent(d.event as never, true).validate())).toBe(true);
  });

  it('finds stored articles by words (stemmed), entity and date', async () => {
    const store = new SqlArticleStore(db);
    const titles = async (q: Parameters<SqlArticleStore['search']>[0]) => (await store.search(q)).map((r) => r.title);
    expect(await titles({ text: 'gas storages' })).toEqual(['Europe enters winter with gas storage nearly full']);
    expect(await titles({ text: '"rice crop"' })).toEqual(['Strong monsoon lifts hopes for India’s rice harvest']);
    expect(await titles({ text: 'rice' })).toEqual(['Strong monsoon lifts hopes for India’s rice harvest']);
    expect(await titles({ text: 'rice -monsoon' })).toEqual([]);
    expect((await titles({ entity: 'RU' })).sort()).toEqual([
      'Europe enters winter with gas storage nearly full',
      'Xi Jinping receives Sergey Lavrov as Beijing and Moscow tighten ties',
    ]);
    expect(await titles({ entity: 'person:vladimir-putin' })).toEqual([
      'Xi Jinping receives Sergey Lavrov as Beijing and Moscow tighten ties',
    ]);
    expect(await titles({ text: 'winter', since: '2024-10-01', until: '2024-11-01' })).toEqual([
      'Europe enters winter with gas storage nearly full',
    ]);
    expect(await titles({ text: 'winter', since: '2024-11-01' })).toEqual([]);
  });

  it('ends non-articles and missing pages with a recorded outcome, not a retry loop', async () => {
    const [pdf, missing] = await t.run([site.pdfUrl, site.missingUrl]);
    expect(pdf).toMatchObject({ outcome: 'skipped', reason: 'content_type' });
    expect(missing).toMatchObject({ outcome: 'failed', reason: 'http_404' });
    expect(site.hits.get('/news/no-such-story')).toBe(1);
    const failed = await t.queues.fetch.getFailed();
    expect(failed.map((j) => j.failedReason)).toEqual([expect.stringMatching(/^http_404: /)]);
  });

  it('refuses private addresses unless allowed, with reason forbidden_address', async () => {
    const strict = await startTestPipeline(db, { FETCH_ALLOW_PRIVATE: 'false' });
    try {
      const before = site.hits.get('/news/monsoon-rains-harvest-india') ?? 0;
      const [o] = await strict.run([site.articleUrls[2]!]);
      expect(o).toMatchObject({ outcome: 'failed', reason: 'forbidden_address' });
      expect(site.hits.get('/news/monsoon-rains-harvest-india') ?? 0).toBe(before);
    } finally {
      await strict.close();
    }
  });

  it('fails a malformed payload permanently instead of retrying it', async () => {
    const job = await t.queues.extract.add('extract', { requestId: 'bad-1', url: 'not a url' } as never);
    const outcome = await until(async () => await t.redis.get(`${t.config.NEWSLINE_PREFIX}:outcome:bad-1`));
    expect(JSON.parse(outcome)).toMatchObject({ outcome: 'failed', reason: 'invalid_payload' });
    const state = await until(async () => ((await job.getState()) === 'failed' ? 'failed' : null));
    expect(state).toBe('failed');
    expect((await t.queues.extract.getJob(job.id!))!.attemptsMade).toBe(1);
  });

  it('writes the articles of the jobs in flight in one statement (group commit)', async () => {
    const own = await open();
    // Three jobs in flight (concurrency 4), a batch of up to 3 and the longest linger: the three
    // articles reach the store within it, from three jobs, and share its statement.
    const batched = await startTestPipeline(own.db, { NEWSLINE_STORE_BATCH: '3', NEWSLINE_STORE_LINGER_MS: '1000' });
    try {
      const outcomes = await batched.run(site.articleUrls);
      expect(outcomes.map((o) => o.outcome)).toEqual(['stored', 'stored', 'stored']);
      // One statement is one transaction: the three rows have its time.
      const { rows } = await own.db.query<{ n: number }>('SELECT count(DISTINCT stored_at)::int AS n FROM articles');
      expect(rows[0]!.n).toBe(1);
      const metric = await batched.pipeline.metrics.registry.getSingleMetricAsString('newsline_store_batch_articles');
      expect(metric).toMatch(/^newsline_store_batch_articles_sum 3$/m);
      expect(metric).toMatch(/^newsline_store_batch_articles_count 1$/m);
    } finally {
      await batched.close();
      await own.db.close();
      await own.drop();
    }
  });
});
